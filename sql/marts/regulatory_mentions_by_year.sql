-- regulatory_mentions_by_year: grain = one row per (year, term) (key year, term), over the policies in
-- force on 31 December. Terms: GDPR, CCPA/CPRA, Safe Harbor, Privacy Shield, Data Privacy Framework,
-- Do Not Track, TRUSTe, NAI, DAA.
-- Columns: year, term, n_sites (sites with a policy in force), n_sites_mentioning (text names the term),
-- share (n_sites_mentioning / n_sites), n_sites_marker (a segment carries the term's tag marker; coarser:
-- 'self_regulatory' covers TRUSTe, NAI and DAA, 'gdpr' also fires on GDPR vocabulary such as 'legal basis'),
-- marker_share.
with versions as (select * from stg_policy_versions),
latest_document as (select * from stg_documents_current),
practices as (select * from stg_version_practices),
terms(term, marker) as (
    values ('GDPR', 'gdpr'), ('CCPA/CPRA', 'california'), ('Safe Harbor', 'safe_harbor'),
           ('Privacy Shield', 'privacy_shield'), ('Data Privacy Framework', 'data_privacy_framework'),
           ('Do Not Track', 'do_not_track'), ('TRUSTe', 'self_regulatory'), ('NAI', 'self_regulatory'),
           ('DAA', 'self_regulatory')
),
in_force as (select * from stg_versions_in_force),
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
markers as (select distinct version_id, category from practices),
version_terms as (
    select h.version_id, h.term, h.in_text, m.version_id is not null as has_marker
    from (unpivot text_hits on columns(* exclude (version_id)) into name term value in_text) h
    join terms t using (term)
    left join markers m on m.version_id = h.version_id and m.category = t.marker
),
site_counts as (select year, count(*) as n_sites from in_force group by year)
select f.year, vt.term, s.n_sites,
       count(*) filter (where vt.in_text) as n_sites_mentioning,
       round(count(*) filter (where vt.in_text) / s.n_sites, 4) as share,
       count(*) filter (where vt.has_marker) as n_sites_marker,
       round(count(*) filter (where vt.has_marker) / s.n_sites, 4) as marker_share
from in_force f join version_terms vt using (version_id) join site_counts s using (year)
group by f.year, vt.term, s.n_sites
order by f.year, vt.term
