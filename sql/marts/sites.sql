-- sites: grain = one row per site (key site_id).
-- Columns: site_id, n_captures, n_policy_captures, n_versions, first_captured_at, last_captured_at,
-- current_version_id.
with captures as (select * from stg_captures),
versions as (select * from stg_policy_versions),
capture_versions as (select * from stg_capture_versions),
capture_stats as (
    select site_id, count(*) as n_captures, min(captured_at) as first_captured_at,
           max(captured_at) as last_captured_at
    from captures group by site_id
),
version_stats as (
    select site_id, count(*) as n_versions,
           any_value(version_id) filter (where is_current) as current_version_id
    from versions group by site_id
),
policy_captures as (
    select site_id, count(*) as n_policy_captures from capture_versions group by site_id
)
select c.site_id, c.n_captures, coalesce(p.n_policy_captures, 0) as n_policy_captures,
       coalesce(v.n_versions, 0) as n_versions, c.first_captured_at, c.last_captured_at,
       v.current_version_id
from capture_stats c
left join version_stats v using (site_id)
left join policy_captures p using (site_id)
