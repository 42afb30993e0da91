-- practice_changes: grain = one row per (site_id, version_id, category, change) where a practice appears
-- or disappears; key (version_id, category, change).
-- Columns: site_id, version_id, version_no, category, change ('first_seen' for practices of a site's first
-- version, 'gained', 'lost'), changed_after, valid_from (the change happened in (changed_after, valid_from]).
with versions as (select * from stg_policy_versions),
changes as (select * from stg_version_changes),
practices as (select * from stg_version_practices),
first_versions as (
    select distinct v.site_id, v.version_id, v.version_no, p.category, 'first_seen' as change,
           v.changed_after, v.valid_from
    from versions v join practices p using (version_id)
    where v.version_no = 1
),
gained as (
    select c.site_id, c.to_version_id as version_id, unnest(c.practices_gained) as category, 'gained' as change
    from changes c
),
lost as (
    select c.site_id, c.to_version_id as version_id, unnest(c.practices_lost) as category, 'lost' as change
    from changes c
),
moves as (
    select m.site_id, m.version_id, v.version_no, m.category, m.change, v.changed_after, v.valid_from
    from (select * from gained union all select * from lost) m
    join versions v using (version_id)
)
select * from first_versions
union all
select * from moves
order by site_id, valid_from, category
