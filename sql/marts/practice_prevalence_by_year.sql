-- practice_prevalence_by_year: grain = one row per (year, category, tagger, tagger_version).
-- Columns: year, category, tagger, tagger_version, n_sites (sites with a policy in force on 31 December
-- of that year), n_sites_with_practice, share (n_sites_with_practice / n_sites).
with versions as (select * from stg_policy_versions),
practices as (select * from stg_version_practices),
years as (
    select unnest(range(cast(min(year(valid_from)) as integer), cast(max(year(valid_from)) as integer) + 1))
        as year
    from versions
),
in_force as (
    -- the version in force at the end of each year: the latest one first seen by then
    select y.year, v.site_id, arg_max(v.version_id, v.valid_from) as version_id
    from years y join versions v on v.valid_from < make_date(y.year + 1, 1, 1)
    group by y.year, v.site_id
),
site_counts as (select year, count(*) as n_sites from in_force group by year),
with_practice as (
    select f.year, p.category, p.tagger, p.tagger_version, count(distinct f.site_id) as n_sites_with_practice
    from in_force f join practices p using (version_id)
    group by all
)
select w.year, w.category, w.tagger, w.tagger_version, s.n_sites, w.n_sites_with_practice,
       round(w.n_sites_with_practice / s.n_sites, 4) as share
from with_practice w join site_counts s using (year)
order by w.year, w.category
