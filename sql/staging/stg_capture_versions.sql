-- stg_capture_versions: grain = one row per policy capture that belongs to a version (key capture_id).
-- Columns: capture_id, site_id, version_id. Renames and casts only.
select
    capture_id,
    site_id,
    version_id
from capture_versions
