-- stg_settings: grain = one row. The warehouse's analysis settings, in one place; edit and rebuild to change.
-- Columns: stale_after_months (a site whose version in force was last captured more than this many months
-- before a year's end is not counted as having a policy in force that year: it may have changed or gone
-- unseen; default 18).
select 18 as stale_after_months
