-- stg_policy_versions: grain = one row per policy version (key version_id); renames and casts only.
-- Columns: version_id, site_id, version_no, url, payload_sha256, valid_from (first capture),
-- valid_to (first capture of the next version, null while current), changed_after (last capture of the
-- previous version), last_captured_at, n_captures, stated_date, word_count, language, is_current.
select
    version_id,
    site_id,
    version_no,
    url,
    payload_sha256,
    valid_from,
    valid_to,
    changed_after,
    last_captured_at,
    n_captures,
    stated_date,
    word_count,
    language,
    is_current
from policy_versions
