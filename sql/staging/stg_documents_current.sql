-- stg_documents_current: grain = one row per payload_sha256 (key payload_sha256): its document of the newest
-- extractor version, versions compared as numbers (0.10.0 after 0.9.0).
-- Columns: those of stg_documents.
-- The newest version is chosen over the keys alone and the texts joined after, so a mart holds the texts it
-- reads and no more (stg_documents is named twice, not through a CTE, which DuckDB would materialize whole).
select d.*
from stg_documents d
join (
    select payload_sha256,
           arg_max(extractor_version,
                   list_transform(string_split(extractor_version, '.'), lambda x: try_cast(x as integer)))
               as extractor_version
    from stg_documents
    group by payload_sha256
) newest using (payload_sha256, extractor_version)
