-- practice_prevalence_by_year: grain = one row per (year, practice_id, tagger, tagger_version) for every year
-- from the first version seen to the last policy capture, every practice of the catalog and every tagger version recorded:
-- a practice no site has that year is a row with share 0, not a missing row.
-- Columns: year, practice_id, practice_name, practice_kind, tagger, tagger_version, n_sites_in_force (sites
-- with a policy in force on 31 December and seen recently enough: stg_versions_in_force.covered),
-- n_sites_unread (of those, sites whose version is in a language the tagger does not read: left out of the
-- share), n_sites_covered (n_sites_in_force - n_sites_unread), n_sites_with_practice, share
-- (n_sites_with_practice / n_sites_covered; null when no site is covered).
with in_force as (select * from stg_versions_in_force where covered),
readers as (select * from stg_version_readers),
practices as (select * from stg_version_practices),
catalog as (select distinct practice_id, practice_name, practice_kind from stg_practice_labels),
years as (select distinct year from stg_versions_in_force),
taggers as (select distinct tagger, tagger_version from readers),
site_counts as (
    select f.year, r.tagger, r.tagger_version, count(*) as n_sites_in_force,
           count(*) filter (where not r.reads) as n_sites_unread
    from in_force f join readers r using (version_id)
    group by all
),
with_practice as (
    select f.year, p.practice_id, p.tagger, p.tagger_version, count(distinct f.site_id) as n_sites_with_practice
    from in_force f join practices p using (version_id)
    group by all
)
select y.year, c.practice_id, c.practice_name, c.practice_kind, t.tagger, t.tagger_version,
       coalesce(s.n_sites_in_force, 0) as n_sites_in_force, coalesce(s.n_sites_unread, 0) as n_sites_unread,
       coalesce(s.n_sites_in_force - s.n_sites_unread, 0) as n_sites_covered,
       coalesce(w.n_sites_with_practice, 0) as n_sites_with_practice,
       round(coalesce(w.n_sites_with_practice, 0) / nullif(s.n_sites_in_force - s.n_sites_unread, 0), 4) as share
from years y cross join catalog c cross join taggers t
left join site_counts s on s.year = y.year and s.tagger = t.tagger and s.tagger_version = t.tagger_version
left join with_practice w
    on w.year = y.year and w.practice_id = c.practice_id and w.tagger = t.tagger
    and w.tagger_version = t.tagger_version
order by y.year, c.practice_id, t.tagger, t.tagger_version
