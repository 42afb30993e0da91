-- changes: grain = one row per pair of consecutive versions of a site (key to_version_id).
-- Columns: site_id, from_version_id, to_version_id, from_version_no, to_version_no, changed_after,
-- valid_from (the change happened in (changed_after, valid_from]), uncertainty_days (its width), change_kind
-- (edited | translated), language_from, language_to, similarity, segments_added, segments_removed,
-- segments_modified, segments_unchanged, practices_gained, practices_lost (practice ids; null when unknown:
-- a translation, or a language the tagger does not read), stated_date_from, stated_date_to,
-- stated_date_changed, word_count_from, word_count_to.
with changes as (select * from stg_version_changes),
versions as (select * from stg_policy_versions)
select c.site_id, c.from_version_id, c.to_version_id, f.version_no as from_version_no,
       t.version_no as to_version_no, c.changed_after, c.valid_from,
       round(epoch(c.valid_from - c.changed_after) / 86400, 2) as uncertainty_days, c.change_kind,
       c.language_from, c.language_to, c.similarity,
       c.segments_added, c.segments_removed, c.segments_modified, c.segments_unchanged,
       c.practices_gained, c.practices_lost, c.stated_date_from, c.stated_date_to,
       c.stated_date_from is distinct from c.stated_date_to as stated_date_changed,
       f.word_count as word_count_from, t.word_count as word_count_to
from changes c
join versions f on f.version_id = c.from_version_id
join versions t on t.version_id = c.to_version_id
order by c.site_id, t.version_no
