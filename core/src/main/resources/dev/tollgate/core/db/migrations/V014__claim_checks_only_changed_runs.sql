-- Tollgate run queue, version 14: a claim asks still_claimable only about runs that changed.
--
-- Since version 13 a claim that holds a run's advisory lock asks still_claimable(run), a VOLATILE
-- function with a snapshot of its own, whether the run is still queued and due as committed now:
-- another claim may have taken it after this statement's snapshot and released its lock at
-- commit. That is only possible for a row version some transaction has updated, deleted or locked
-- since it was written, and such a version carries that transaction's id in its xmax. A version
-- whose xmax is 0 has been touched by nobody, so the newest version of the run is the one this
-- statement sees, queued and due: the claim takes it without the call. Only versions with an xmax
-- (claimed meanwhile, or an updater that rolled back) still go through still_claimable. The
-- function call was most of the claim's cost per run: 0.078 ms of server time per unbatched run at
-- 10,000 runs and 8 threads, 0.046 without it (docs/benchmarks.md). The update still checks each
-- row again, and JdbcRunQueue sends the same statement (QueueFactsTest checks both agree).
--
-- Nothing else changes: no table, column or index, and the function keeps its arguments and
-- result.

CREATE OR REPLACE FUNCTION ${schema}.claim_runs(p_worker text, p_lanes text[], p_limit integer)
RETURNS SETOF ${schema}.runs LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan AS $$
#variable_conflict use_column
BEGIN
  IF p_worker IS NULL OR p_worker = '' THEN
    RAISE EXCEPTION 'claim_runs: a worker id is required' USING ERRCODE = '22023';
  END IF;
  RETURN QUERY
  WITH picked AS MATERIALIZED (
    SELECT c.id FROM unnest(p_lanes) AS l(lane)
    CROSS JOIN LATERAL (
      SELECT r.id, r.priority FROM ${schema}.runs r
       WHERE r.lane = l.lane
         AND CASE WHEN r.status = 'queued' AND r.available_at <= now()
                  THEN CASE WHEN pg_try_advisory_xact_lock(hashtext('${schema}.runs'),
                                                           (r.id % 2147483648)::integer)
                            THEN r.xmax = '0'::xid OR ${schema}.still_claimable(r.id)
                            ELSE false END
                  ELSE false END
       ORDER BY r.priority DESC, r.id
       LIMIT greatest(p_limit, 0)
    ) c
    ORDER BY c.priority DESC, c.id
    LIMIT greatest(p_limit, 0)
  ), claimed AS (
    UPDATE ${schema}.runs r
       SET status = 'running', attempt = r.attempt + 1, worker_id = p_worker,
           event_seq = r.event_seq + 1, claimed_seq = r.event_seq + 1, claimed_at = now()
     WHERE r.id = ANY (ARRAY(SELECT id FROM picked))
       AND r.status = 'queued' AND r.available_at <= now()
    RETURNING r.*
  )
  SELECT * FROM claimed ORDER BY priority DESC, id;
END
$$;
