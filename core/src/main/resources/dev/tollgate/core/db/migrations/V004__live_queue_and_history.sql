-- Tollgate run queue, version 4: a small live queue and an append-only history.
--
-- runs holds only live runs (queued or running). A run that finishes leaves runs in the same
-- statement that finishes it and is appended to run_history, so the queue's tables and indexes stay
-- as small as the backlog however much history accumulates, and the history carries the indexes
-- the control plane's lists need without the queue paying for them on every claim. all_runs is
-- both, for reading. Keep the two tables' columns identical: a later migration that adds a column
-- to runs adds it to run_history too.
--
-- Writes per run are cheaper: completions find the run by its primary key and delete it (no
-- heartbeat-index scan, no update of an indexed column); heartbeats change no indexed column and
-- find room on the page (fillfactor), so they are HOT updates; events are checked by no foreign key
-- and carry one index; enqueue writes its first event's number with the row instead of updating it.

-- Foreign keys to runs go: a finished run's id lives on in run_history, and every event, step,
-- artifact and release row was written by a function that checked its run first. Pruning the
-- history (prune_history) deletes a run's events, steps and artifacts with it.
ALTER TABLE ${schema}.run_events DROP CONSTRAINT run_events_run_id_fkey;
ALTER TABLE ${schema}.run_steps DROP CONSTRAINT run_steps_run_id_fkey;
ALTER TABLE ${schema}.artifacts DROP CONSTRAINT artifacts_run_id_fkey;
ALTER TABLE ${schema}.releases DROP CONSTRAINT releases_run_id_fkey;
ALTER TABLE ${schema}.runs DROP CONSTRAINT runs_retry_of_fkey;
ALTER TABLE ${schema}.runs DROP CONSTRAINT runs_template_hash_fkey;

CREATE TABLE ${schema}.run_history (LIKE ${schema}.runs INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
ALTER TABLE ${schema}.run_history ADD PRIMARY KEY (id);
ALTER TABLE ${schema}.run_history
  ADD CONSTRAINT run_history_finished CHECK (status IN ('success', 'error', 'cancelled'));

-- Finished runs move to the history; queued and running runs stay where they are, leases intact.
INSERT INTO ${schema}.run_history
SELECT * FROM ${schema}.runs WHERE status IN ('success', 'error', 'cancelled');
DELETE FROM ${schema}.runs WHERE status IN ('success', 'error', 'cancelled');
ALTER TABLE ${schema}.runs
  ADD CONSTRAINT runs_live CHECK (status IN ('queued', 'running'));

-- The live queue's indexes: the primary key, the claim order and live idempotency keys. No lease
-- column is indexed, and no index covers just the running runs: the planner would scan such an
-- index for a completion instead of looking the run up by its key. The sweeper and the statistics
-- read the running runs from the (small) table itself.
DROP INDEX ${schema}.runs_heartbeat_idx;
DROP INDEX ${schema}.runs_created_idx;
ALTER TABLE ${schema}.runs SET (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.02,
  autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.05);

-- The history's indexes serve newest-first pages (created_at DESC, id DESC) by time, lane and
-- template. status is a trailing key column so that a status filter is checked inside the index,
-- without reading the table, while the scan follows the page order.
CREATE INDEX run_history_created_idx ON ${schema}.run_history (created_at, id, status);
CREATE INDEX run_history_lane_idx ON ${schema}.run_history (lane, created_at, id, status);
CREATE INDEX run_history_template_idx ON ${schema}.run_history (template, created_at, id, status);
-- Failed and cancelled runs are few and the ones operators look for: their own small indexes
-- answer a status filter, alone or with a lane, at once even when it matches nothing.
CREATE INDEX run_history_failed_idx ON ${schema}.run_history (status, created_at, id)
  WHERE status <> 'success';
CREATE INDEX run_history_lane_failed_idx ON ${schema}.run_history (lane, status, created_at, id)
  WHERE status <> 'success';

-- Only 'swept' events are looked up by kind (the queue statistics).
DROP INDEX ${schema}.run_events_kind_idx;
CREATE INDEX run_events_swept_idx ON ${schema}.run_events (at) WHERE kind = 'swept';

-- Every run, live or finished. Filters on status skip the table that cannot hold it (the CHECK
-- constraints above, through constraint_exclusion's default 'partition').
CREATE VIEW ${schema}.all_runs AS
  SELECT * FROM ${schema}.runs
  UNION ALL
  SELECT * FROM ${schema}.run_history;

-- Moves a live run to the history with its final status and message. Callers hold its row lock.
CREATE FUNCTION ${schema}.retire_run(p_run bigint, p_status text, p_message text)
RETURNS void LANGUAGE sql AS $$
  WITH gone AS (
    DELETE FROM ${schema}.runs WHERE id = p_run RETURNING *
  )
  INSERT INTO ${schema}.run_history (
    id, template, template_hash, lane, priority, params, status, attempt, releases, max_attempts,
    backoff, max_backoff, timeout, available_at, created_at, started_at, finished_at, heartbeat_at,
    worker_id, cancel_requested, cancel_reason, idempotency_key, retry_of, message, event_seq,
    sealed_params)
  SELECT id, template, template_hash, lane, priority, params, p_status, attempt, releases,
         max_attempts, backoff, max_backoff, timeout, available_at, created_at, started_at, now(),
         heartbeat_at, NULL, cancel_requested, cancel_reason, idempotency_key, retry_of,
         coalesce(p_message, message), event_seq, sealed_params
    FROM gone
$$;

-- Enqueue writes the run and its 'enqueued' event (number 1) in two inserts.
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
                                sealed_params, event_seq)
    VALUES (p_template, p_template_hash, p_lane, coalesce(p_params, '{}'::jsonb),
            coalesce(p_priority, 0), coalesce(p_max_attempts, 3), p_idempotency_key,
            coalesce(p_backoff, interval '2 seconds'), coalesce(p_max_backoff, interval '5 minutes'),
            p_timeout, p_retry_of, p_sealed_params, 1)
    ON CONFLICT (idempotency_key)
      WHERE idempotency_key IS NOT NULL AND status IN ('queued', 'running')
      DO NOTHING
    RETURNING id INTO v_id;
    IF v_id IS NOT NULL THEN
      INSERT INTO ${schema}.run_events (run_id, seq, attempt, kind, data)
      VALUES (v_id, 1, 0, 'enqueued',
        jsonb_build_object('lane', p_lane, 'priority', coalesce(p_priority, 0), 'retry_of', p_retry_of));
      PERFORM pg_notify('${schema}_runs', p_lane);
      RETURN QUERY SELECT v_id, true;
      RETURN;
    END IF;
    SELECT id INTO v_id FROM ${schema}.runs
     WHERE idempotency_key = p_idempotency_key AND status IN ('queued', 'running');
    IF v_id IS NOT NULL THEN
      RETURN QUERY SELECT v_id, false;
      RETURN;
    END IF;
    -- The live holder of the key finished between the two statements: try again.
  END LOOP;
END
$$;

-- Completes a worker's runs in one statement: each run is found by its primary key, fenced by
-- (attempt, worker, running), deleted from the live queue and appended to the history with its
-- 'completed' event. A run whose cancel was requested ends 'cancelled' whatever the worker reports.
-- Returns the final status per run, or 'lost' when the run is no longer this worker's attempt.
CREATE OR REPLACE FUNCTION ${schema}.complete_runs(
  p_worker text, p_runs bigint[], p_attempts integer[], p_statuses text[], p_messages text[])
RETURNS TABLE (run_id bigint, final_status text) LANGUAGE plpgsql AS $$
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
      sealed_params)
    SELECT id, template, template_hash, lane, priority, params, final, attempt, releases,
           max_attempts, backoff, max_backoff, timeout, available_at, created_at, started_at, now(),
           heartbeat_at, NULL, cancel_requested, cancel_reason, idempotency_key, retry_of,
           reported_message, event_seq + 1, sealed_params
      FROM done
  ), logged AS (
    INSERT INTO ${schema}.run_events (run_id, seq, attempt, kind, message, data)
    SELECT id, event_seq + 1, attempt, 'completed', reported_message,
           jsonb_build_object('status', final, 'reported', reported, 'worker', p_worker)
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

-- Cancels a run. A queued run is cancelled at once and never starts; a running run is flagged and
-- its worker stops it at its next heartbeat (or sooner through the cancel notification); a
-- finished run is unaffected. Returns 'cancelled', 'cancel_requested', 'unchanged' or 'not_found'.
CREATE OR REPLACE FUNCTION ${schema}.cancel_run(p_run bigint, p_reason text)
RETURNS text LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_status text;
BEGIN
  SELECT status INTO v_status FROM ${schema}.runs WHERE id = p_run FOR UPDATE;
  IF v_status IS NULL THEN
    IF EXISTS (SELECT 1 FROM ${schema}.run_history WHERE id = p_run) THEN
      RETURN 'unchanged';
    END IF;
    RETURN 'not_found';
  ELSIF v_status = 'queued' THEN
    UPDATE ${schema}.runs SET cancel_requested = true, cancel_reason = p_reason WHERE id = p_run;
    PERFORM ${schema}.add_event(p_run, 'cancelled', p_reason, NULL);
    PERFORM ${schema}.retire_run(p_run, 'cancelled', coalesce(p_reason, 'cancelled before it started'));
    RETURN 'cancelled';
  END IF;
  UPDATE ${schema}.runs SET cancel_requested = true, cancel_reason = p_reason WHERE id = p_run;
  PERFORM ${schema}.add_event(p_run, 'cancel_requested', p_reason, NULL);
  PERFORM pg_notify('${schema}_cancel', p_run::text);
  RETURN 'cancel_requested';
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

-- Deletes up to p_limit finished runs created before p_before, oldest first, with their events,
-- steps and artifacts (artifact content shared with other runs stays). It touches only the
-- history, so the live queue goes on meanwhile. Returns how many runs it deleted; call it again
-- until it returns 0.
CREATE FUNCTION ${schema}.prune_history(p_before timestamptz, p_limit integer)
RETURNS integer LANGUAGE sql AS $$
  WITH doomed AS (
    SELECT id FROM ${schema}.run_history
     WHERE created_at < p_before
     ORDER BY created_at, id
     LIMIT greatest(p_limit, 0)
     FOR UPDATE
  ), events AS (
    DELETE FROM ${schema}.run_events e USING doomed d WHERE e.run_id = d.id
  ), steps AS (
    DELETE FROM ${schema}.run_steps s USING doomed d WHERE s.run_id = d.id
  ), files AS (
    DELETE FROM ${schema}.artifacts a USING doomed d WHERE a.run_id = d.id
  ), gone AS (
    DELETE FROM ${schema}.run_history h USING doomed d WHERE h.id = d.id RETURNING 1
  )
  SELECT count(*)::integer FROM gone
$$;
