-- versions: grain = one row per policy version (key version_id), with its document's measures and practices.
-- Columns: version_id, site_id, version_no, url, valid_from, valid_to, changed_after, is_current,
-- n_captures, stated_date, language, word_count, fk_grade (Flesch-Kincaid grade of the version's text),
-- practices (sorted list of practice ids tagged in the version by any tagger that reads its language; null
-- when no recorded tagger reads it: unknown, not none).
with versions as (select * from stg_policy_versions),
latest_document as (select * from stg_documents_current),
practices as (select * from stg_version_practices),
readers as (select version_id, bool_or(reads) as read from stg_version_readers group by version_id),
captures as (select * from stg_capture_versions),
capture_counts as (select version_id, count(*) as n_captures from captures group by version_id),
version_practices as (
    select version_id, list(distinct practice_id order by practice_id) as practices from practices group by version_id
)
select v.version_id, v.site_id, v.version_no, v.url, v.valid_from, v.valid_to, v.changed_after, v.is_current,
       coalesce(c.n_captures, 0) as n_captures, v.stated_date, coalesce(v.language, d.language) as language,
       coalesce(d.word_count, v.word_count) as word_count, d.fk_grade,
       case when coalesce(r.read, true) then coalesce(p.practices, []) end as practices
from versions v
left join latest_document d using (payload_sha256)
left join capture_counts c using (version_id)
left join version_practices p using (version_id)
left join readers r using (version_id)
order by v.site_id, v.version_no
