-- practice_prevalence_by_year: grain = one row per (year, category, tagger, tagger_version).
-- Columns: year, category, tagger, tagger_version, n_sites (sites with a policy in force on 31 December
-- of that year), n_sites_with_practice, share (n_sites_with_practice / n_sites).
with in_force as (select * from stg_versions_in_force),
practices as (select * from stg_version_practices),
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
