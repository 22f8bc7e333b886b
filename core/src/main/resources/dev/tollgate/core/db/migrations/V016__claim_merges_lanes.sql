-- Tollgate run queue, version 16: a claim over several lanes tries the locks of only the runs it
-- may take.
--
-- Version 14's claim_runs read each lane it names up to the limit (a LATERAL subquery per lane),
-- then kept the best runs of all lanes by priority and id. Each run it read was locked (the
-- advisory lock of version 13) before the best were chosen, so a claim of 50 runs over four lanes
-- locked up to 200 and held the 150 it did not take until its transaction ended, and claimers
-- running beside it passed those runs by. With several lanes, claim_runs now reads each lane in a
-- branch of its own, in claim order and lazily, and PostgreSQL merges the branches (Merge
-- Append): a lane's next run is read, and locked, only once the run before it has been taken, so
-- a claim locks at most limit + lanes - 1 runs. The branches are one per lane, so the statement is
-- built for the lanes named (with the limit written in: each branch needs a limit of its own for
-- PostgreSQL to read its lane in index order) and planned on each call; a claim of one lane keeps
-- version 14's statement and its plan cached per session. A lane named twice counts once.
--
-- What a claim returns is unchanged: up to p_limit queued and due runs of the lanes, best
-- priority first, then oldest id. The Java client sends the same statement itself
-- (JdbcRunQueue.claimStatement).
CREATE OR REPLACE FUNCTION ${schema}.claim_runs(p_worker text, p_lanes text[], p_limit integer)
RETURNS SETOF ${schema}.runs LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan AS $$
#variable_conflict use_column
DECLARE
  v_lanes text[] := ARRAY(SELECT DISTINCT u.lane FROM unnest(p_lanes) AS u(lane)
                           WHERE u.lane IS NOT NULL);
  v_limit integer := greatest(p_limit, 0);
  v_branches text;
BEGIN
  IF p_worker IS NULL OR p_worker = '' THEN
    RAISE EXCEPTION 'claim_runs: a worker id is required' USING ERRCODE = '22023';
  END IF;
  IF cardinality(v_lanes) <= 1 THEN
    RETURN QUERY
    WITH picked AS MATERIALIZED (
      SELECT c.id FROM unnest(v_lanes) AS l(lane)
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
    RETURN;
  END IF;
  -- One branch per lane; $1 is the lanes, $2 the worker. The limit is written in, as the client
  -- writes it into its statement (see JdbcRunQueue.claimStatement).
  SELECT string_agg(format(
           '(SELECT r.id, r.priority FROM ${schema}.runs r'
           ' WHERE r.lane = $1[%s]'
           ' AND CASE WHEN r.status = ''queued'' AND r.available_at <= now()'
           ' THEN CASE WHEN pg_try_advisory_xact_lock(hashtext(''${schema}.runs''),'
           ' (r.id %% 2147483648)::integer)'
           ' THEN r.xmax = ''0''::xid OR ${schema}.still_claimable(r.id) ELSE false END'
           ' ELSE false END'
           ' ORDER BY r.priority DESC, r.id LIMIT %s)', i, v_limit), ' UNION ALL ' ORDER BY i)
    INTO v_branches
    FROM generate_subscripts(v_lanes, 1) AS i;
  RETURN QUERY EXECUTE
    'WITH picked AS MATERIALIZED (SELECT c.id FROM (' || v_branches || ') c'
    ' ORDER BY c.priority DESC, c.id LIMIT ' || v_limit ||
    '), claimed AS ('
    ' UPDATE ${schema}.runs r'
    ' SET status = ''running'', attempt = r.attempt + 1, worker_id = $2,'
    ' event_seq = r.event_seq + 1, claimed_seq = r.event_seq + 1, claimed_at = now()'
    ' WHERE r.id = ANY (ARRAY(SELECT id FROM picked))'
    ' AND r.status = ''queued'' AND r.available_at <= now()'
    ' RETURNING r.*'
    ') SELECT * FROM claimed ORDER BY priority DESC, id'
    USING v_lanes, p_worker;
END
$$;
