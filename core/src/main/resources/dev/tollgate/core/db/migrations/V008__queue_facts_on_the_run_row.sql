-- Tollgate run queue, version 8: a run's enqueue, claim and completion are facts on its row, not
-- event rows, and the claim is a HOT update.
--
-- Before, every run wrote three event rows ('enqueued', 'claimed', 'completed'), each with its
-- index entry, besides its own row: most of the WAL a run cost. Now each of the three is a set of
-- columns on the run's row (in runs while it is live, in run_history once it has finished):
--   enqueued_seq                                    the 'enqueued' event's number (1)
--   claimed_seq, claimed_by, claimed_at, attempt    the current attempt's 'claimed' event
--   completed_seq, outcome (what the worker reported), status, message, finished_at
--                                                   the 'completed' event
-- The stored events move to the table run_event_rows, and run_events becomes a view that shows
-- the stored events and the facts as one stream, in the same shape and numbering as before, so the
-- event API, the order of a run's events and the audit trail (who claimed and completed each
-- attempt, when, and what was reported) read as they did. An earlier attempt's claim is written
-- to run_event_rows when the run goes back to the queue (a release, a requeue by the sweeper, a
-- retry), the rare paths, before the next claim reuses the columns. Rows written before this
-- migration keep their event rows; their fact columns stay NULL.
--
-- The claim index no longer names status: runs holds only live runs (runs_live), queued ones are
-- told from running ones on the row, and so the claim, which changes status but no indexed column,
-- is a HOT update like the heartbeats. The live idempotency index drops its status condition for
-- the same reason; ON CONFLICT clauses written for the old index still infer the new one.

ALTER TABLE ${schema}.runs
  ADD COLUMN enqueued_seq integer,
  ADD COLUMN claimed_seq integer,
  ADD COLUMN claimed_by text,
  ADD COLUMN claimed_at timestamptz,
  ADD COLUMN completed_seq integer,
  ADD COLUMN outcome text;
ALTER TABLE ${schema}.run_history
  ADD COLUMN enqueued_seq integer,
  ADD COLUMN claimed_seq integer,
  ADD COLUMN claimed_by text,
  ADD COLUMN claimed_at timestamptz,
  ADD COLUMN completed_seq integer,
  ADD COLUMN outcome text;

-- A run running at the upgrade has its claim stored as an event row; its completion names the
-- worker that claimed it.
UPDATE ${schema}.runs SET claimed_by = worker_id WHERE status = 'running';

CREATE OR REPLACE VIEW ${schema}.all_runs AS
  SELECT * FROM ${schema}.runs
  UNION ALL
  SELECT * FROM ${schema}.run_history;

DROP INDEX ${schema}.runs_claim_idx;
CREATE INDEX runs_claim_idx ON ${schema}.runs (lane, priority DESC, id);
DROP INDEX ${schema}.runs_idempotency_idx;
CREATE UNIQUE INDEX runs_idempotency_idx ON ${schema}.runs (idempotency_key)
  WHERE idempotency_key IS NOT NULL;

ALTER TABLE ${schema}.run_events RENAME TO run_event_rows;
ALTER INDEX ${schema}.run_events_pkey RENAME TO run_event_rows_pkey;
ALTER INDEX ${schema}.run_events_swept_idx RENAME TO run_event_rows_swept_idx;

-- Every event of every run: the stored ones and the facts on the rows. Each branch names its kind
-- as a constant, so a filter on kind reads only the branches that can match, and a filter on
-- run_id reads each table by its primary key.
CREATE VIEW ${schema}.run_events AS
  SELECT run_id, seq, attempt, at, kind, stream, message, data FROM ${schema}.run_event_rows
  UNION ALL
  SELECT id, enqueued_seq, 0, created_at, 'enqueued'::text, NULL::text, NULL::text,
         jsonb_build_object('lane', lane, 'priority', priority, 'retry_of', retry_of)
    FROM ${schema}.all_runs WHERE enqueued_seq IS NOT NULL
  UNION ALL
  SELECT id, claimed_seq, attempt, claimed_at, 'claimed'::text, NULL::text, NULL::text,
         jsonb_build_object('worker', claimed_by)
    FROM ${schema}.all_runs WHERE claimed_seq IS NOT NULL
  UNION ALL
  SELECT id, completed_seq, attempt, finished_at, 'completed'::text, NULL::text, message,
         jsonb_build_object('status', status, 'reported', outcome, 'worker', claimed_by)
    FROM ${schema}.run_history WHERE completed_seq IS NOT NULL;

-- Appends one event to a run and returns its sequence number. Callers hold the run's row lock.
CREATE OR REPLACE FUNCTION ${schema}.add_event(p_run bigint, p_kind text, p_message text, p_data jsonb)
RETURNS integer LANGUAGE sql AS $$
  WITH bumped AS (
    UPDATE ${schema}.runs SET event_seq = event_seq + 1 WHERE id = p_run
    RETURNING id, event_seq, attempt
  )
  INSERT INTO ${schema}.run_event_rows (run_id, seq, attempt, kind, message, data)
  SELECT id, event_seq, attempt, p_kind, p_message, p_data FROM bumped
  RETURNING seq
$$;

-- Stores the current attempt's claim as an event row, before a run goes back to the queue and its
-- next claim reuses the claim columns. Callers hold the run's row lock.
CREATE FUNCTION ${schema}.store_claim(p_run bigint)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO ${schema}.run_event_rows (run_id, seq, attempt, at, kind, data)
  SELECT id, claimed_seq, attempt, claimed_at, 'claimed', jsonb_build_object('worker', claimed_by)
    FROM ${schema}.runs WHERE id = p_run AND claimed_seq IS NOT NULL;
  UPDATE ${schema}.runs SET claimed_seq = NULL WHERE id = p_run AND claimed_seq IS NOT NULL;
$$;

-- Moves a live run to the history with its final status and message. Callers hold its row lock.
CREATE OR REPLACE FUNCTION ${schema}.retire_run(p_run bigint, p_status text, p_message text)
RETURNS void LANGUAGE sql AS $$
  WITH gone AS (
    DELETE FROM ${schema}.runs WHERE id = p_run RETURNING *
  )
  INSERT INTO ${schema}.run_history (
    id, template, template_hash, lane, priority, params, status, attempt, releases, max_attempts,
    backoff, max_backoff, timeout, available_at, created_at, started_at, finished_at, heartbeat_at,
    worker_id, cancel_requested, cancel_reason, idempotency_key, retry_of, message, event_seq,
    sealed_params, enqueued_seq, claimed_seq, claimed_by, claimed_at, completed_seq, outcome)
  SELECT id, template, template_hash, lane, priority, params, p_status, attempt, releases,
         max_attempts, backoff, max_backoff, timeout, available_at, created_at, started_at, now(),
         heartbeat_at, NULL, cancel_requested, cancel_reason, idempotency_key, retry_of,
         coalesce(p_message, message), event_seq, sealed_params, enqueued_seq, claimed_seq,
         claimed_by, claimed_at, NULL, NULL
    FROM gone
$$;

-- Enqueue writes one row: the 'enqueued' event is its enqueued_seq.
CREATE OR REPLACE FUNCTION ${schema}.enqueue_run(
  p_template text, p_template_hash text, p_template_definition text, p_lane text,
  p_params jsonb, p_priority integer, p_max_attempts integer, p_idempotency_key text,
  p_backoff interval, p_max_backoff interval, p_timeout interval, p_retry_of bigint,
  p_sealed_params text DEFAULT NULL)
RETURNS TABLE (run_id bigint, created boolean) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_id bigint;
BEGIN
  IF p_template_hash IS NOT NULL THEN
    INSERT INTO ${schema}.run_templates (hash, name, definition)
    VALUES (p_template_hash, p_template, coalesce(p_template_definition, ''))
    ON CONFLICT (hash) DO NOTHING;
  END IF;
  LOOP
    INSERT INTO ${schema}.runs (template, template_hash, lane, params, priority, max_attempts,
                                idempotency_key, backoff, max_backoff, timeout, retry_of,
                                sealed_params, event_seq, enqueued_seq)
    VALUES (p_template, p_template_hash, p_lane, coalesce(p_params, '{}'::jsonb),
            coalesce(p_priority, 0), coalesce(p_max_attempts, 3), p_idempotency_key,
            coalesce(p_backoff, interval '2 seconds'), coalesce(p_max_backoff, interval '5 minutes'),
            p_timeout, p_retry_of, p_sealed_params, 1, 1)
    ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL
      DO NOTHING
    RETURNING id INTO v_id;
    IF v_id IS NOT NULL THEN
      PERFORM pg_notify('${schema}_runs', p_lane);
      RETURN QUERY SELECT v_id, true;
      RETURN;
    END IF;
    SELECT id INTO v_id FROM ${schema}.runs WHERE idempotency_key = p_idempotency_key;
    IF v_id IS NOT NULL THEN
      RETURN QUERY SELECT v_id, false;
      RETURN;
    END IF;
    -- The live holder of the key finished between the two statements: try again.
  END LOOP;
END
$$;

-- Claims up to p_limit runs from p_lanes for p_worker: priority first, then FIFO. The claim is
-- written on the row (claimed_seq, claimed_by, claimed_at) and changes no indexed column, so the
-- update is HOT. JdbcRunQueue sends the same statement itself (QueueFactsTest checks both agree).
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
       WHERE r.lane = l.lane AND r.status = 'queued' AND r.available_at <= now()
       ORDER BY r.priority DESC, r.id
       LIMIT greatest(p_limit, 0)
       FOR UPDATE SKIP LOCKED
    ) c
    ORDER BY c.priority DESC, c.id
    LIMIT greatest(p_limit, 0)
  ), claimed AS (
    UPDATE ${schema}.runs r
       SET status = 'running', attempt = r.attempt + 1, worker_id = p_worker,
           heartbeat_at = now(), started_at = coalesce(r.started_at, now()),
           event_seq = r.event_seq + 1, claimed_seq = r.event_seq + 1, claimed_by = p_worker,
           claimed_at = now()
      FROM picked WHERE r.id = picked.id
    RETURNING r.*
  )
  SELECT * FROM claimed ORDER BY priority DESC, id;
END
$$;

-- Completes a worker's runs in one statement: each run is found by its primary key, fenced by
-- (attempt, worker, running), deleted from the live queue and appended to the history with the
-- completion written on the row (completed_seq, outcome, message, finished_at). A run whose cancel
-- was requested ends 'cancelled' whatever the worker reports. Returns the final status per run, or
-- 'lost' when the run is no longer this worker's attempt. JdbcRunQueue sends the same statement.
CREATE OR REPLACE FUNCTION ${schema}.complete_runs(
  p_worker text, p_runs bigint[], p_attempts integer[], p_statuses text[], p_messages text[])
RETURNS TABLE (run_id bigint, final_status text) LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan AS $$
#variable_conflict use_column
BEGIN
  IF EXISTS (SELECT 1 FROM unnest(p_statuses) s WHERE s NOT IN ('success', 'error', 'cancelled')) THEN
    RAISE EXCEPTION 'complete_runs: status must be success, error or cancelled' USING ERRCODE = '22023';
  END IF;
  RETURN QUERY
  WITH wanted AS (
    SELECT * FROM unnest(p_runs, p_attempts, p_statuses, p_messages) AS w(id, attempt, status, message)
  ), done AS (
    DELETE FROM ${schema}.runs r USING wanted w
     WHERE r.id = w.id AND r.attempt = w.attempt AND r.worker_id = p_worker AND r.status = 'running'
    RETURNING r.*, CASE WHEN r.cancel_requested THEN 'cancelled' ELSE w.status END AS final,
              w.status AS reported, w.message AS reported_message
  ), moved AS (
    INSERT INTO ${schema}.run_history (
      id, template, template_hash, lane, priority, params, status, attempt, releases, max_attempts,
      backoff, max_backoff, timeout, available_at, created_at, started_at, finished_at, heartbeat_at,
      worker_id, cancel_requested, cancel_reason, idempotency_key, retry_of, message, event_seq,
      sealed_params, enqueued_seq, claimed_seq, claimed_by, claimed_at, completed_seq, outcome)
    SELECT id, template, template_hash, lane, priority, params, final, attempt, releases,
           max_attempts, backoff, max_backoff, timeout, available_at, created_at, started_at, now(),
           heartbeat_at, NULL, cancel_requested, cancel_reason, idempotency_key, retry_of,
           reported_message, event_seq + 1, sealed_params, enqueued_seq, claimed_seq, claimed_by,
           claimed_at, event_seq + 1, reported
      FROM done
  )
  SELECT w.id, coalesce(d.final, 'lost') FROM wanted w LEFT JOIN done d ON d.id = w.id;
END
$$;

-- Gives a running run back to the queue without charging the attempt (a worker shutting down); a
-- run whose cancel was requested ends 'cancelled' instead.
CREATE OR REPLACE FUNCTION ${schema}.release_run(p_run bigint, p_attempt integer, p_worker text)
RETURNS boolean LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_lane text;
  v_cancel boolean;
BEGIN
  UPDATE ${schema}.runs
     SET status = 'queued', worker_id = NULL, heartbeat_at = NULL, releases = releases + 1,
         available_at = now()
   WHERE id = p_run AND attempt = p_attempt AND worker_id = p_worker AND status = 'running'
  RETURNING lane, cancel_requested INTO v_lane, v_cancel;
  IF v_lane IS NULL THEN
    RETURN false;
  END IF;
  PERFORM ${schema}.store_claim(p_run);
  PERFORM ${schema}.add_event(p_run, 'released', 'the worker shut down; the attempt is not charged',
                              jsonb_build_object('worker', p_worker));
  IF v_cancel THEN
    PERFORM ${schema}.retire_run(p_run, 'cancelled', NULL);
  ELSE
    PERFORM pg_notify('${schema}_runs', v_lane);
  END IF;
  RETURN true;
END
$$;

-- Decides what happens to runs whose worker stopped heartbeating for longer than p_stale_after,
-- by the database clock: cancelled (cancel was requested), error (attempts used up), or queued
-- again after a backoff of random() * least(max_backoff, backoff * 2^(charged attempts - 1)).
CREATE OR REPLACE FUNCTION ${schema}.sweep_runs(p_stale_after interval, p_limit integer)
RETURNS TABLE (run_id bigint, decision text, attempt integer, available_at timestamptz)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  r record;
  v_decision text;
  v_delay interval;
  v_message text;
BEGIN
  FOR r IN
    SELECT * FROM ${schema}.runs
     WHERE status = 'running' AND heartbeat_at < now() - p_stale_after
     ORDER BY heartbeat_at
     LIMIT greatest(p_limit, 0)
     FOR UPDATE SKIP LOCKED
  LOOP
    v_delay := NULL;
    IF r.cancel_requested THEN
      v_decision := 'cancelled';
      v_message := 'cancelled; its worker stopped heartbeating';
    ELSIF r.attempt - r.releases >= r.max_attempts THEN
      v_decision := 'error';
      v_message := format('worker %s stopped heartbeating; %s of %s attempts used',
                          r.worker_id, r.attempt - r.releases, r.max_attempts);
    ELSE
      v_decision := 'requeued';
      v_delay := random() * least(r.max_backoff,
                   r.backoff * power(2, greatest(r.attempt - r.releases - 1, 0))::double precision);
      UPDATE ${schema}.runs SET status = 'queued', worker_id = NULL, heartbeat_at = NULL,
             available_at = now() + v_delay WHERE id = r.id;
      PERFORM ${schema}.store_claim(r.id);
    END IF;
    PERFORM ${schema}.add_event(r.id, 'swept', v_decision,
      jsonb_build_object('decision', v_decision, 'worker', r.worker_id,
                         'last_heartbeat', r.heartbeat_at, 'delay_ms',
                         round(extract(epoch FROM coalesce(v_delay, interval '0')) * 1000)));
    IF v_decision = 'requeued' THEN
      PERFORM pg_notify('${schema}_runs', r.lane);
    ELSE
      PERFORM ${schema}.retire_run(r.id, v_decision, v_message);
    END IF;
    run_id := r.id;
    decision := v_decision;
    attempt := r.attempt;
    available_at := CASE WHEN v_decision = 'requeued' THEN now() + v_delay END;
    RETURN NEXT;
  END LOOP;
END
$$;

-- A failed attempt tried again (version 6), storing the attempt's claim before the run goes back.
CREATE OR REPLACE FUNCTION ${schema}.retry_run(
  p_run bigint, p_attempt integer, p_worker text, p_status text, p_message text)
RETURNS TABLE (final_status text, available_at timestamptz) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  r record;
  v_delay interval;
BEGIN
  SELECT * INTO r FROM ${schema}.runs
   WHERE id = p_run AND attempt = p_attempt AND worker_id = p_worker AND status = 'running'
   FOR UPDATE;
  IF NOT FOUND OR r.cancel_requested OR r.attempt - r.releases >= r.max_attempts THEN
    RETURN QUERY
      SELECT ${schema}.complete_run(p_run, p_attempt, p_worker, p_status, p_message),
             NULL::timestamptz;
    RETURN;
  END IF;
  v_delay := random() * least(r.max_backoff,
               r.backoff * power(2, greatest(r.attempt - r.releases - 1, 0))::double precision);
  UPDATE ${schema}.runs
     SET status = 'queued', worker_id = NULL, heartbeat_at = NULL, message = p_message,
         available_at = now() + v_delay
   WHERE id = p_run;
  PERFORM ${schema}.store_claim(p_run);
  PERFORM ${schema}.add_event(p_run, 'retrying', p_message,
    jsonb_build_object('worker', p_worker, 'reported', p_status, 'attempts_used',
                       r.attempt - r.releases, 'max_attempts', r.max_attempts,
                       'delay_ms', round(extract(epoch FROM v_delay) * 1000)));
  PERFORM pg_notify('${schema}_runs', r.lane);
  RETURN QUERY SELECT 'queued'::text, now() + v_delay;
END
$$;

-- The functions that write stored events name the renamed table.
CREATE OR REPLACE FUNCTION ${schema}.append_run_events(
  p_run bigint, p_attempt integer, p_worker text, p_events jsonb)
RETURNS integer LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_first integer;
  v_count integer := jsonb_array_length(p_events);
BEGIN
  IF v_count = 0 THEN
    RETURN 0;
  END IF;
  UPDATE ${schema}.runs SET event_seq = event_seq + v_count
   WHERE id = p_run AND attempt = p_attempt AND worker_id = p_worker AND status = 'running'
  RETURNING event_seq - v_count INTO v_first;
  IF v_first IS NULL THEN
    RETURN -1;
  END IF;
  INSERT INTO ${schema}.run_event_rows (run_id, seq, attempt, kind, stream, message, data)
  SELECT p_run, v_first + e.ord::integer, p_attempt, coalesce(e.value->>'kind', 'log'),
         e.value->>'stream', e.value->>'message', e.value->'data'
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e(value, ord);
  -- run_steps follows the step_started and step_finished events, so any client gets it for free.
  INSERT INTO ${schema}.run_steps (run_id, attempt, idx, name, status)
  SELECT p_run, p_attempt,
         (SELECT count(*) FROM ${schema}.run_steps s WHERE s.run_id = p_run AND s.attempt = p_attempt)
           + row_number() OVER (ORDER BY e.ord),
         e.value->'data'->>'step', 'running'
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e(value, ord)
   WHERE e.value->>'kind' = 'step_started' AND e.value->'data'->>'step' IS NOT NULL;
  UPDATE ${schema}.run_steps s
     SET finished_at = now(),
         status = CASE e.value->'data'->>'status'
                    WHEN 'succeeded' THEN 'success' WHEN 'cancelled' THEN 'cancelled'
                    WHEN 'timed_out' THEN 'timeout' ELSE 'error' END
    FROM jsonb_array_elements(p_events) AS e(value)
   WHERE e.value->>'kind' = 'step_finished' AND s.run_id = p_run AND s.attempt = p_attempt
     AND s.name = e.value->'data'->>'step' AND s.finished_at IS NULL;
  RETURN v_count;
END
$$;

CREATE OR REPLACE FUNCTION ${schema}.prune_history(p_before timestamptz, p_limit integer)
RETURNS integer LANGUAGE sql AS $$
  WITH doomed AS (
    SELECT id FROM ${schema}.run_history
     WHERE created_at < p_before
     ORDER BY created_at, id
     LIMIT greatest(p_limit, 0)
     FOR UPDATE
  ), events AS (
    DELETE FROM ${schema}.run_event_rows e USING doomed d WHERE e.run_id = d.id
  ), steps AS (
    DELETE FROM ${schema}.run_steps s USING doomed d WHERE s.run_id = d.id
  ), files AS (
    DELETE FROM ${schema}.artifacts a USING doomed d WHERE a.run_id = d.id
  ), gone AS (
    DELETE FROM ${schema}.run_history h USING doomed d WHERE h.id = d.id RETURNING 1
  )
  SELECT count(*)::integer FROM gone
$$;
