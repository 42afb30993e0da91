-- stg_versions_in_force: grain = one row per (year, site_id) (key year, site_id), for every year from the
-- first version seen anywhere to the last policy capture, and every site whose first version was seen by the end of it.
-- Columns: year, site_id, version_id and payload_sha256 of the version in force on 31 December of that year
-- (the latest one first seen by then), language (the version's), covered (whether the year counts the site:
-- its version in force was captured within stg_settings.stale_after_months before the year's end, or after
-- it; a site not seen for longer may have changed its policy or dropped it, so by-year marts leave it out and
-- report n_sites_covered). The shared base of the by-year marts.
-- A table (a row per site and year: the biggest staging model after the practices), built a batch of sites at
-- a time, like stg_version_practices:
-- materialized: table, batched by policy_versions.site_id
with versions as (select * from stg_policy_versions),
years as (
    select unnest(range(cast(min(year(valid_from)) as integer), cast(max(year(last_captured_at)) as integer) + 1))
        as year
    from versions
),
in_force as (
    select y.year, v.site_id,
           arg_max(v.version_id, v.valid_from) as version_id,
           arg_max(v.payload_sha256, v.valid_from) as payload_sha256,
           arg_max(v.language, v.valid_from) as language,
           arg_max(v.last_captured_at, v.valid_from) as last_captured_at
    from years y join versions v on v.valid_from < make_date(y.year + 1, 1, 1)
    group by y.year, v.site_id
)
select f.year, f.site_id, f.version_id, f.payload_sha256, f.language,
       f.last_captured_at >= make_date(f.year + 1, 1, 1) - to_months(s.stale_after_months) as covered
from in_force f cross join stg_settings s
