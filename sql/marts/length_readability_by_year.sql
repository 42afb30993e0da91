-- length_readability_by_year: grain = one row per year (key year), over the policies in force on 31 December
-- and seen recently enough (stg_versions_in_force.covered).
-- Columns: year, n_sites_covered, mean_words, median_words, p25_words, p75_words, mean_fk_grade, median_fk_grade
-- (Flesch-Kincaid grade level of the version's document).
with in_force as (select * from stg_versions_in_force where covered),
latest_document as (select * from stg_documents_current)
select f.year, count(*) as n_sites_covered,
       round(avg(d.word_count), 1) as mean_words, median(d.word_count) as median_words,
       quantile_cont(d.word_count, 0.25) as p25_words, quantile_cont(d.word_count, 0.75) as p75_words,
       round(avg(d.fk_grade), 2) as mean_fk_grade, median(d.fk_grade) as median_fk_grade
from in_force f join latest_document d using (payload_sha256)
group by f.year
order by f.year
