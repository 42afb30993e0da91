-- stg_version_changes: grain = one row per pair of consecutive versions (key to_version_id); renames only.
-- Columns: site_id, from_version_id, to_version_id, changed_after, valid_from (the change lies in
-- (changed_after, valid_from]), change_kind (edited | translated), language_from, language_to, similarity,
-- segments_added, segments_removed, segments_modified, segments_unchanged, practices_gained, practices_lost
-- (practice ids; null when unknown: a translation, or a language the tagger does not read),
-- stated_date_from, stated_date_to.
select
    site_id,
    from_version_id,
    to_version_id,
    changed_after,
    valid_from,
    coalesce(change_kind, 'edited') as change_kind,
    language_from,
    language_to,
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
