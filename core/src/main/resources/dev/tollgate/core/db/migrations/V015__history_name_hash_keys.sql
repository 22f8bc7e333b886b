-- Tollgate run queue, version 15: the history's lane and template indexes are keyed by a hash of
-- the name and the creation time.
--
-- Each finished run writes one entry in run_history's lane index and one in its template index.
-- With several lanes (or templates) the newest entries of every lane but the last in name order
-- go into the middle of the index, and PostgreSQL splits a full page there half and half, logging
-- the half it moves (about 3.4 KB), unless the index's entries are no wider than two 8-byte
-- integers; then it keeps the old page full and logs little (nbtsplitloc.c, _bt_afternewitemoff).
-- The old entries, (lane, created_at, id), were 32 bytes. The new ones, (hashtext(lane),
-- created_at), are 24: a finished run writes about 65 bytes less WAL with four lanes and
-- templates, and the two indexes take a half to a third of the pages (docs/benchmarks.md,
-- "Several lanes"). Deduplication is off so that runs created in the same instant keep entries of
-- one width.
--
-- A page of one lane's (or template's) runs reads the index for the hash of that name, checks the
-- name itself on the row (two names may share a hash), and orders runs created in the same
-- instant by id as it reads them. JdbcRunQueue's statements match the hash as a range of one value,
-- as they matched the name, so that no plan can take the page order from another index.
--
-- The indexes are rebuilt, so the upgrade holds a lock on run_history that makes completions wait
-- while it runs (UPGRADING.md gives the time per million finished runs).

DROP INDEX ${schema}.run_history_lane_idx;
DROP INDEX ${schema}.run_history_template_idx;
CREATE INDEX run_history_lane_idx ON ${schema}.run_history ((hashtext(lane)), created_at)
  WITH (deduplicate_items = off);
CREATE INDEX run_history_template_idx ON ${schema}.run_history ((hashtext(template)), created_at)
  WITH (deduplicate_items = off);
