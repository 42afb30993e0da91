-- stg_versions_in_force: grain = one row per (year, site_id) (key year, site_id), for every year from the
-- first version seen anywhere to the last, and every site whose first version was seen by the end of it.
-- Columns: year, site_id, version_id and payload_sha256 of the version in force on 31 December of that year
-- (the latest one first seen by then). The shared base of the by-year marts.
-- A table (a row per site and year: the biggest staging model after the practices), built a batch of sites at
-- a time, like stg_version_practices:
-- materialized: table, batched by policy_versions.site_id
with versions as (select * from stg_policy_versions),
years as (
    select unnest(range(cast(min(year(valid_from)) as integer), cast(max(year(valid_from)) as integer) + 1))
        as year
    from versions
)
select y.year, v.site_id,
       arg_max(v.version_id, v.valid_from) as version_id,
       arg_max(v.payload_sha256, v.valid_from) as payload_sha256
from years y join versions v on v.valid_from < make_date(y.year + 1, 1, 1)
group by y.year, v.site_id
