-- regulatory_mentions_by_year: grain = one row per (year, term) (key year, term), over the policies in
-- force on 31 December and seen recently enough (stg_versions_in_force.covered). Terms: GDPR, CCPA/CPRA, Safe Harbor, Privacy Shield, Data Privacy Framework,
-- Do Not Track, TRUSTe, NAI, DAA.
-- Columns: year, term, n_sites_covered (sites with a policy in force), n_sites_mentioning (text names the
-- term), share (n_sites_mentioning / n_sites_covered), practice_id (the term's practice; coarser:
-- self_regulatory covers TRUSTe, NAI and DAA, gdpr also fires on GDPR vocabulary such as 'legal basis'),
-- n_sites_read (sites whose version's language a tagger reads), n_sites_tagged (a segment carries the
-- practice), tagged_share (n_sites_tagged / n_sites_read; null when none is read).
with versions as (select * from stg_policy_versions),
latest_document as (select * from stg_documents_current),
practices as (select * from stg_version_practices),
terms(term, practice_id) as (
    values ('GDPR', 'gdpr'), ('CCPA/CPRA', 'ccpa_cpra'), ('Safe Harbor', 'safe_harbor'),
           ('Privacy Shield', 'privacy_shield'), ('Data Privacy Framework', 'data_privacy_framework'),
           ('Do Not Track', 'do_not_track'), ('TRUSTe', 'self_regulatory'), ('NAI', 'self_regulatory'),
           ('DAA', 'self_regulatory')
),
in_force as (select * from stg_versions_in_force where covered),
readers as (select version_id, bool_or(reads) as read from stg_version_readers group by version_id),
version_text as (
    select v.version_id, coalesce(d.text, '') as text from versions v left join latest_document d using (payload_sha256)
),
text_hits as materialized (
    -- each version searched once, not once per year it stays in force; constant patterns, compiled once
    -- (a pattern read from a column would be recompiled for every row). Materialized: only these flags reach
    -- the joins below, which would otherwise be free to carry every version's text into a hash table.
    select version_id,
        regexp_matches(text, '(?i:\bgdpr\b|general data protection regulation)') as "GDPR",
        regexp_matches(text, '\bCCPA\b|\bCPRA\b|(?i:california consumer privacy act|california privacy rights act)')
            as "CCPA/CPRA",
        regexp_matches(text, '(?i:safe harbou?r[^.]{0,120}\b(?:u\.?s|eu|swiss|commerce|framework|privacy|principles)\b|'
            || '\b(?:u\.?s|eu|swiss)\b[^.]{0,40}safe harbou?r)') as "Safe Harbor",
        regexp_matches(text, '(?i:privacy shield)') as "Privacy Shield",
        regexp_matches(text, '(?i:data privacy framework)') as "Data Privacy Framework",
        regexp_matches(text, '(?i:do[- ]not[- ]track)') as "Do Not Track",
        regexp_matches(text, '\bTRUSTe\b|(?i:trustarc)') as "TRUSTe",
        regexp_matches(text, '\bNAI\b|(?i:network advertising initiative)') as "NAI",
        regexp_matches(text, '\bDAA\b|(?i:digital advertising alliance|aboutads\.info|adchoices)') as "DAA"
    from version_text
),
tagged as (select distinct version_id, practice_id from practices),
version_terms as (
    select h.version_id, h.term, t.practice_id, h.in_text, coalesce(r.read, true) as is_read,
           m.version_id is not null as is_tagged
    from (unpivot text_hits on columns(* exclude (version_id)) into name term value in_text) h
    join terms t using (term)
    left join readers r on r.version_id = h.version_id
    left join tagged m on m.version_id = h.version_id and m.practice_id = t.practice_id
)
select f.year, vt.term, count(*) as n_sites_covered,
       count(*) filter (where vt.in_text) as n_sites_mentioning,
       round(count(*) filter (where vt.in_text) / count(*), 4) as share,
       any_value(vt.practice_id) as practice_id,
       count(*) filter (where vt.is_read) as n_sites_read,
       count(*) filter (where vt.is_tagged and vt.is_read) as n_sites_tagged,
       round(count(*) filter (where vt.is_tagged and vt.is_read) / nullif(count(*) filter (where vt.is_read), 0), 4)
           as tagged_share
from in_force f join version_terms vt using (version_id)
group by f.year, vt.term
order by f.year, vt.term
