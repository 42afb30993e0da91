-- stg_version_practices: grain = one row per (version_id, practice_id, tagger, tagger_version), for the
-- versions the tagger reads (stg_version_readers): a version in a language the tagger does not read has no
-- rows, and the marts say its practices are unknown.
-- Columns: version_id, site_id, practice_id, tagger, tagger_version, n_segments (segments with the practice),
-- max_score. Tagger labels are mapped to practice ids (stg_practice_labels), so a practice two labels name is
-- counted once; a label the catalog does not know stands for itself.
-- The one staging model that joins tags to versions: tags are stored per segment text, and a version is a
-- payload, so this lookup is what every mart needs to read practices per version.
-- A table, not a view: five marts read it, and in one statement the join holds every version's segments in
-- memory (it ran out of a 100 MB DuckDB limit at 384,000 captures). Built a batch of sites at a time:
-- materialized: table, batched by policy_versions.site_id
select
    v.version_id,
    v.site_id,
    coalesce(l.practice_id, p.category) as practice_id,
    p.tagger,
    p.tagger_version,
    cast(count(distinct s.position) as integer) as n_segments,
    max(p.score) as max_score
from policy_versions v
join segments s on s.payload_sha256 = v.payload_sha256
join segment_practices p on p.text_sha256 = s.text_sha256
left join stg_practice_labels l on l.label = p.category
where not exists (
    select 1 from stg_version_readers r
    where r.version_id = v.version_id and r.tagger = p.tagger and r.tagger_version = p.tagger_version and not r.reads
)
group by all
