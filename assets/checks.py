"""Asset check names (constants) and the SQL that decides them: each query counts violations."""

CAPTURES_RESOLVED = "every_capture_resolves"
CAPTURES_KEY_UNIQUE = "capture_id_unique"
DOCUMENTS_HAVE_STATUS = "every_payload_has_document"
SEGMENT_IDS_UNIQUE = "segment_ids_unique_per_document"
ONE_CURRENT_VERSION = "one_current_version_per_site"
VERSION_WINDOWS_ORDERED = "version_windows_ordered"

VIOLATIONS: dict[str, str] = {
    # An ok capture must have a stored payload; anything else must say why it has none.
    CAPTURES_RESOLVED: "SELECT count(*) FROM captures WHERE fetch_status IS NULL "
    "OR (fetch_status = 'ok' AND payload_sha256 IS NULL)",
    CAPTURES_KEY_UNIQUE: "SELECT count(*) - count(DISTINCT capture_id) FROM captures",
    DOCUMENTS_HAVE_STATUS: "SELECT count(*) FROM captures c WHERE c.fetch_status = 'ok' AND NOT EXISTS "
    "(SELECT 1 FROM documents d WHERE d.payload_sha256 = c.payload_sha256 AND d.status IS NOT NULL)",
    SEGMENT_IDS_UNIQUE: "SELECT count(*) FROM (SELECT payload_sha256, extractor_version, segment_id FROM segments "
    "GROUP BY ALL HAVING count(*) > 1)",
    ONE_CURRENT_VERSION: "SELECT count(*) FROM (SELECT site_id FROM policy_versions GROUP BY site_id "
    "HAVING count(*) FILTER (WHERE is_current) <> 1)",
    VERSION_WINDOWS_ORDERED: "SELECT count(*) FROM policy_versions WHERE last_captured_at < valid_from "
    "OR changed_after >= valid_from OR valid_to <= last_captured_at",
}
