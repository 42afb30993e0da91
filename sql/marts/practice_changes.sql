-- practice_changes: grain = one row per (site_id, version_id, practice_id, change) where a practice appears
-- or disappears; key (version_id, practice_id, change). A translation, or a version in a language the
-- tagger does not read, gains and loses nothing here: its practices are unknown (see changes.change_kind).
-- Columns: site_id, version_id, version_no, practice_id, practice_name, change ('first_seen' for practices of
-- a site's first version, 'gained', 'lost'), changed_after, valid_from (the change happened in
-- (changed_after, valid_from]).
with versions as (select * from stg_policy_versions),
changes as (select * from stg_version_changes),
practices as (select * from stg_version_practices),
catalog as (select distinct practice_id, practice_name from stg_practice_labels),
first_versions as (
    select distinct v.site_id, v.version_id, v.version_no, p.practice_id, 'first_seen' as change,
           v.changed_after, v.valid_from
    from versions v join practices p using (version_id)
    where v.version_no = 1
),
gained as (
    select c.site_id, c.to_version_id as version_id, unnest(c.practices_gained) as practice_id, 'gained' as change
    from changes c
),
lost as (
    select c.site_id, c.to_version_id as version_id, unnest(c.practices_lost) as practice_id, 'lost' as change
    from changes c
),
moves as (
    select m.site_id, m.version_id, v.version_no, m.practice_id, m.change, v.changed_after, v.valid_from
    from (select * from gained union all select * from lost) m
    join versions v using (version_id)
),
all_moves as (select * from first_versions union all select * from moves)
select m.site_id, m.version_id, m.version_no, m.practice_id, coalesce(c.practice_name, m.practice_id)
           as practice_name, m.change, m.changed_after, m.valid_from
from all_moves m left join catalog c using (practice_id)
order by m.site_id, m.valid_from, m.practice_id, m.change
