-- stg_captures: grain = one row per archived capture (key capture_id); renames and casts only.
-- Columns: capture_id, site_id, url, captured_at, capture_year, status_code, fetch_status, payload_sha256,
-- fetch_state (fetched | reused | inferred | not_fetched: how the capture's text was had).
select
    capture_id,
    site_id,
    url,
    captured_at,
    cast(year(captured_at) as integer) as capture_year,
    status_code,
    fetch_status,
    payload_sha256,
    coalesce(fetch_state, 'fetched') as fetch_state
from captures
