-- regulatory_windows: grain = one row per (event, site_id) (key event, site_id), for the balanced panel of
-- sites observed with a policy from a year before the event to a year after it. Events: GDPR (2018-05-25)
-- and CCPA (2020-01-01).
-- Columns: event, event_date, window_start (event - 365 days), window_end (event + 365 days), site_id,
-- version_before (in force at window_start), version_at_event, version_after (in force at window_end),
-- n_changes_in_window (versions first seen inside the window), first_change_after_event (valid_from of the
-- first version first seen on or after the event), word_count_before, word_count_after, practice_id (the
-- event's practice: gdpr | ccpa_cpra), practice_before, practice_after (whether that version carries the
-- practice; null when no tagger reads the version's language).
with versions as (select * from stg_policy_versions),
practices as (select * from stg_version_practices),
events(event, event_date, practice_id) as (
    values ('GDPR', date '2018-05-25', 'gdpr'), ('CCPA', date '2020-01-01', 'ccpa_cpra')
),
windows as (
    select event, event_date, practice_id, event_date - interval 365 day as window_start,
           event_date + interval 365 day as window_end
    from events
),
panel as (
    -- observed before the window opens and still observed when it closes
    select w.*, v.site_id
    from windows w join versions v on true
    group by all
    having min(v.valid_from) <= w.window_start and max(v.last_captured_at) >= w.window_end
),
in_force as (
    select p.event, p.site_id,
           arg_max(v.version_id, v.valid_from) filter (where v.valid_from <= p.window_start) as version_before,
           arg_max(v.version_id, v.valid_from) filter (where v.valid_from <= p.event_date) as version_at_event,
           arg_max(v.version_id, v.valid_from) filter (where v.valid_from <= p.window_end) as version_after,
           count(*) filter (where v.valid_from > p.window_start and v.valid_from <= p.window_end)
               as n_changes_in_window,
           min(v.valid_from) filter (where v.valid_from >= p.event_date and v.valid_from <= p.window_end)
               as first_change_after_event
    from panel p join versions v using (site_id)
    group by p.event, p.site_id
),
tagged as (select distinct version_id, practice_id from practices),
readers as (select version_id, bool_or(reads) as read from stg_version_readers group by version_id)
select p.event, p.event_date, p.window_start, p.window_end, p.site_id, f.version_before, f.version_at_event,
       f.version_after, f.n_changes_in_window, f.first_change_after_event,
       b.word_count as word_count_before, a.word_count as word_count_after, p.practice_id,
       case when coalesce(rb.read, true) then exists (
           select 1 from tagged m where m.version_id = f.version_before and m.practice_id = p.practice_id
       ) end as practice_before,
       case when coalesce(ra.read, true) then exists (
           select 1 from tagged m where m.version_id = f.version_after and m.practice_id = p.practice_id
       ) end as practice_after
from panel p
join in_force f using (event, site_id)
join versions b on b.version_id = f.version_before
join versions a on a.version_id = f.version_after
left join readers rb on rb.version_id = f.version_before
left join readers ra on ra.version_id = f.version_after
order by p.event, p.site_id
