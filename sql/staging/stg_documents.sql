-- stg_documents: grain = one row per (payload_sha256, extractor_version); renames and casts only.
-- Columns: payload_sha256, extractor_version, status, language, is_policy, page_type (privacy_policy |
-- cookie_notice | other_legal | not_legal | unknown), stated_date, word_count,
-- fk_grade, text (clean markdown, searched by the regulatory-mentions mart).
select
    payload_sha256,
    extractor_version,
    status,
    language,
    is_policy,
    page_type,
    stated_date,
    cast(word_count as integer) as word_count,
    cast(fk_grade as double) as fk_grade,
    text
from documents
