-- stg_captures: grain = one row per archived capture (key capture_id); renames and casts only.
-- Columns: capture_id, site_id, url, captured_at, capture_year, status_code, fetch_status, payload_sha256.
select
    capture_id,
    site_id,
    url,
    captured_at,
    cast(year(captured_at) as integer) as capture_year,
    status_code,
    fetch_status,
    payload_sha256
from captures
