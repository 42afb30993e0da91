-- stg_practice_labels: grain = one row per tagger label (key label): the practice it means.
-- Columns: label (segment_practices.category), practice_id, practice_name, practice_kind (opp115_category |
-- regulation | programme | technology | audience). From the practices table (pipelines/practices/data/practices.toml).
select unnest(labels) as label, practice_id, name as practice_name, kind as practice_kind
from practices
