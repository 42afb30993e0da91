-- stg_version_changes: grain = one row per pair of consecutive versions (key to_version_id); renames only.
-- Columns: site_id, from_version_id, to_version_id, changed_after, changed_before, similarity,
-- segments_added, segments_removed, segments_modified, segments_unchanged, practices_gained,
-- practices_lost, stated_date_from, stated_date_to.
select
    site_id,
    from_version_id,
    to_version_id,
    changed_after,
    changed_before,
    similarity,
    segments_added,
    segments_removed,
    segments_modified,
    segments_unchanged,
    practices_gained,
    practices_lost,
    stated_date_from,
    stated_date_to
from version_changes
