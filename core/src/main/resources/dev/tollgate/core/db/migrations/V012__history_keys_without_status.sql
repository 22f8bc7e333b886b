-- Tollgate run queue, version 12: the history's page-order indexes no longer carry status.
--
-- Every finished run writes one entry in each of run_history's primary key and its three
-- page-order indexes (by creation time, by lane, by template). status was the last key column of
-- the three, so that a status filter could be checked inside the index while the scan followed the
-- page order. A successful run (nearly all of them) never needed that: a filter on 'success' keeps
-- nearly every row, and the failed and cancelled runs have partial indexes of their own. Without
-- status each of the three entries is 8 bytes shorter (a quarter of the creation-time entry), which
-- is WAL and index size every finished run pays. The filters it served keep an index in page order:
--   status 'error' or 'cancelled'              run_history_failed_idx        (unchanged)
--   lane and status 'error' or 'cancelled'     run_history_lane_failed_idx   (unchanged)
--   template and status 'error' or 'cancelled' run_history_template_failed_idx (new, partial:
--                                              successful runs write no entry in it)
--   status 'success', alone or with a lane or template: the page-order index, the row read for
--                                              its status (it nearly always matches).
--
-- The indexes are rebuilt, so the upgrade holds a lock on run_history that makes completions wait
-- while it runs (UPGRADING.md gives the time per million finished runs).

DROP INDEX ${schema}.run_history_created_idx;
DROP INDEX ${schema}.run_history_lane_idx;
DROP INDEX ${schema}.run_history_template_idx;
CREATE INDEX run_history_created_idx ON ${schema}.run_history (created_at, id);
CREATE INDEX run_history_lane_idx ON ${schema}.run_history (lane, created_at, id);
CREATE INDEX run_history_template_idx ON ${schema}.run_history (template, created_at, id);
CREATE INDEX run_history_template_failed_idx ON ${schema}.run_history (template, status, created_at, id)
  WHERE status <> 'success';
