-- coverage_by_site_year: grain = one row per (site_id, year) from the site's first to its last capture year.
-- Columns: site_id, year, n_captures (any status), n_policy_captures (captures grouped into a version),
-- version_id (version in force on 31 December: the latest first seen by then, null before the first),
-- covered (whether the by-year marts count that version as in force: seen within
-- stg_settings.stale_after_months before the year's end, or after it),
-- n_inferred_captures (captures a bisecting build did not fetch: their text is inferred from fetched ones around),
-- status: 'policy' (a policy was captured, and fetched, that year), 'inferred' (the year's captures were all
-- inferred to show the policy in force: not fetched, so not observed), 'no_policy' (captured, but no capture was
-- a policy), 'gap' (no capture at all that year; version_id is then carried over, not observed);
-- 'other_legal' / 'cookie_notice' instead of 'no_policy' when the year's captures served that legal page (a policy
-- URL serving the terms for a while: no version is made of it, and the year says what it served).
-- Built a batch of sites at a time: it joins every capture to its version, which in one statement needs memory
-- in proportion to the archive.
-- materialized: table, batched by captures.site_id
with captures as (select * from stg_captures),
capture_versions as (select * from stg_capture_versions),
versions as (select * from stg_policy_versions),
site_span as (
    select site_id, min(capture_year) as first_year, max(capture_year) as last_year from captures group by site_id
),
site_years as (
    select site_id, unnest(range(first_year, last_year + 1)) as year from site_span
),
observed as (
    select c.site_id, c.capture_year as year, count(*) as n_captures, count(cv.version_id) as n_policy_captures,
           count_if(c.fetch_state = 'inferred') as n_inferred_captures,
           mode(d.page_type) filter (where d.page_type in ('other_legal', 'cookie_notice')) as legal_type
    from captures c left join capture_versions cv using (capture_id)
    left join stg_documents_current d using (payload_sha256)
    group by c.site_id, c.capture_year
),
in_force as (
    select sy.site_id, sy.year, arg_max(v.version_id, v.valid_from) as version_id
    from site_years sy join versions v on v.site_id = sy.site_id and v.valid_from < make_date(sy.year + 1, 1, 1)
    group by sy.site_id, sy.year
)
select sy.site_id, sy.year, coalesce(o.n_captures, 0) as n_captures,
       coalesce(o.n_policy_captures, 0) as n_policy_captures, coalesce(o.n_inferred_captures, 0)
           as n_inferred_captures, f.version_id, coalesce(i.covered, false) as covered,
       case when o.n_policy_captures > 0 then 'policy' when o.n_inferred_captures > 0 then 'inferred'
            when o.legal_type is not null then o.legal_type when o.n_captures > 0 then 'no_policy' else 'gap' end
           as status
from site_years sy
left join observed o using (site_id, year)
left join in_force f using (site_id, year)
left join stg_versions_in_force i using (site_id, year)
order by sy.site_id, sy.year
