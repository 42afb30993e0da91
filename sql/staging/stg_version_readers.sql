-- stg_version_readers: grain = one row per (version_id, tagger, tagger_version) for every tagger version the
-- warehouse holds tags of or records (tagger_languages). Columns: version_id, site_id, language, tagger,
-- tagger_version, reads (whether that tagger reads the version's language: where it does not, the version's
-- practices are unknown, not absent; a version whose language was not detected, or a tagger version that
-- recorded no languages (an earlier release's), is read).
with taggers as (
    select tagger, tagger_version from tagger_languages
    union
    select distinct tagger, tagger_version from segment_practices
),
known as (select distinct tagger, tagger_version from tagger_languages)
select v.version_id, v.site_id, v.language, t.tagger, t.tagger_version,
       v.language is null
       or not exists (select 1 from known k where k.tagger = t.tagger and k.tagger_version = t.tagger_version)
       or exists (
           select 1 from tagger_languages l
           where l.tagger = t.tagger and l.tagger_version = t.tagger_version and l.language = v.language
       ) as reads
from policy_versions v cross join taggers t
