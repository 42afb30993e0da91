-- site_timeline: grain = one row per policy version (key version_id), with what changed at its start.
-- Columns: site_id, version_no, version_id, valid_from, valid_to, changed_after, stated_date, word_count,
-- language, change_kind (edited | translated; null for a site's first version), similarity (to the previous
-- version), segments_added, segments_removed, segments_modified, practices_gained, practices_lost (null when
-- unknown: a translation, or a language the tagger does not read).
with versions as (select * from stg_policy_versions),
changes as (select * from stg_version_changes)
select v.site_id, v.version_no, v.version_id, v.valid_from, v.valid_to, v.changed_after, v.stated_date,
       v.word_count, v.language, c.change_kind, c.similarity, c.segments_added, c.segments_removed,
       c.segments_modified, c.practices_gained, c.practices_lost
from versions v
left join changes c on c.to_version_id = v.version_id
order by v.site_id, v.version_no
