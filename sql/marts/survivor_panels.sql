-- survivor_panels: grain = one row per site with a policy (key site_id): the span over which it is observed,
-- to pick balanced panels ("sites present across 2012-2020": first_year <= 2012 and last_year >= 2020, or
-- for an unbroken panel longest_run_start <= 2012 and longest_run_end >= 2020).
-- Columns: site_id, first_policy_at, last_policy_at, first_year, last_year, n_years_with_policy (years with a
-- policy capture), longest_run_start, longest_run_end (longest run of consecutive years with a policy capture;
-- of equally long runs, the earliest), n_versions.
with versions as (select * from stg_policy_versions),
captures as (select * from stg_captures),
capture_versions as (select * from stg_capture_versions),
policy_years as (
    select distinct cv.site_id, c.capture_year as year
    from capture_versions cv join captures c using (capture_id)
),
runs as (
    -- gaps and islands: consecutive years share year - row_number()
    select site_id, year, year - row_number() over (partition by site_id order by year) as island from policy_years
),
islands as (
    select site_id, min(year) as run_start, max(year) as run_end from runs group by site_id, island
),
longest as (
    -- ties broken by the start year: the same row whatever order the rows come in
    select site_id, arg_max(run_start, [run_end - run_start, -run_start]) as longest_run_start,
           arg_max(run_end, [run_end - run_start, -run_start]) as longest_run_end
    from islands group by site_id
),
spans as (
    select site_id, min(valid_from) as first_policy_at, max(last_captured_at) as last_policy_at,
           count(*) as n_versions
    from versions group by site_id
),
year_counts as (select site_id, count(*) as n_years_with_policy from policy_years group by site_id)
select s.site_id, s.first_policy_at, s.last_policy_at, cast(year(s.first_policy_at) as integer) as first_year,
       cast(year(s.last_policy_at) as integer) as last_year, y.n_years_with_policy, l.longest_run_start,
       l.longest_run_end, s.n_versions
from spans s join year_counts y using (site_id) join longest l using (site_id)
order by s.site_id
