-- regulatory_mentions_by_year: grain = one row per (year, term) (key year, term), over the policies in
-- force on 31 December. Terms: GDPR, CCPA/CPRA, Safe Harbor, Privacy Shield, Data Privacy Framework,
-- Do Not Track, TRUSTe, NAI, DAA.
-- Columns: year, term, n_sites (sites with a policy in force), n_sites_mentioning (text names the term),
-- share (n_sites_mentioning / n_sites), n_sites_marker (a segment carries the term's tag marker; coarser:
-- 'self_regulatory' covers TRUSTe, NAI and DAA, 'gdpr' also fires on GDPR vocabulary such as 'legal basis'),
-- marker_share.
with versions as (select * from stg_policy_versions),
documents as (select * from stg_documents),
practices as (select * from stg_version_practices),
terms(term, pattern, marker) as (
    values
        ('GDPR', '(?i:\bgdpr\b|general data protection regulation)', 'gdpr'),
        ('CCPA/CPRA', '\bCCPA\b|\bCPRA\b|(?i:california consumer privacy act|california privacy rights act)',
         'california'),
        ('Safe Harbor', '(?i:safe harbou?r[^.]{0,120}\b(?:u\.?s|eu|swiss|commerce|framework|privacy|principles)\b|'
         || '\b(?:u\.?s|eu|swiss)\b[^.]{0,40}safe harbou?r)', 'safe_harbor'),
        ('Privacy Shield', '(?i:privacy shield)', 'privacy_shield'),
        ('Data Privacy Framework', '(?i:data privacy framework)', 'data_privacy_framework'),
        ('Do Not Track', '(?i:do[- ]not[- ]track)', 'do_not_track'),
        ('TRUSTe', '\bTRUSTe\b|(?i:trustarc)', 'self_regulatory'),
        ('NAI', '\bNAI\b|(?i:network advertising initiative)', 'self_regulatory'),
        ('DAA', '\bDAA\b|(?i:digital advertising alliance|aboutads\.info|adchoices)', 'self_regulatory')
),
in_force as (select * from stg_versions_in_force),
latest_document as (
    select * from documents qualify row_number() over (partition by payload_sha256 order by extractor_version desc) = 1
),
version_terms as (
    -- each version searched once, not once per year it stays in force
    select v.version_id, t.term, regexp_matches(coalesce(d.text, ''), t.pattern) as in_text,
           exists (select 1 from practices p where p.version_id = v.version_id and p.category = t.marker)
               as has_marker
    from versions v cross join terms t left join latest_document d using (payload_sha256)
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
