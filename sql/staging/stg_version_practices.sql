-- stg_version_practices: grain = one row per (version_id, category, tagger, tagger_version).
-- Columns: version_id, site_id, category, tagger, tagger_version, n_segments (segments with the tag),
-- max_score. The one staging model that joins: tags are stored per segment text, and a version is a
-- payload, so this lookup is what every mart needs to read practices per version.
-- A table, not a view: five marts read it, and in one statement the join holds every version's segments in
-- memory (it ran out of a 100 MB DuckDB limit at 384,000 captures). Built a batch of sites at a time:
-- materialized: table, batched by policy_versions.site_id
select
    v.version_id,
    v.site_id,
    p.category,
    p.tagger,
    p.tagger_version,
    cast(count(*) as integer) as n_segments,
    max(p.score) as max_score
from policy_versions v
join segments s on s.payload_sha256 = v.payload_sha256
join segment_practices p on p.text_sha256 = s.text_sha256
group by all
