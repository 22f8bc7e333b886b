-- Tollgate run queue, version 1.
-- ${schema} is replaced by the configured schema name (checked against [a-z_][a-z0-9_]*) before
-- this file runs; every value the functions use arrives as a bound parameter.

CREATE TABLE ${schema}.run_templates (
  hash        text PRIMARY KEY,
  name        text NOT NULL,
  definition  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ${schema}.runs (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  template         text NOT NULL,
  template_hash    text REFERENCES ${schema}.run_templates (hash),
  lane             text NOT NULL,
  priority         integer NOT NULL DEFAULT 0,
  params           jsonb NOT NULL DEFAULT '{}'::jsonb,
  status           text NOT NULL DEFAULT 'queued'
                   CHECK (status IN ('queued', 'running', 'success', 'error', 'cancelled')),
  -- attempt counts claims and fences every write after a claim; releases are not charged
  -- against max_attempts, so the charged attempts are attempt - releases.
  attempt          integer NOT NULL DEFAULT 0,
  releases         integer NOT NULL DEFAULT 0,
  max_attempts     integer NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),
  backoff          interval NOT NULL DEFAULT interval '2 seconds',
  max_backoff      interval NOT NULL DEFAULT interval '5 minutes',
  timeout          interval,
  available_at     timestamptz NOT NULL DEFAULT now(),
  created_at       timestamptz NOT NULL DEFAULT now(),
  started_at       timestamptz,
  finished_at      timestamptz,
  heartbeat_at     timestamptz,
  worker_id        text,
  cancel_requested boolean NOT NULL DEFAULT false,
  cancel_reason    text,
  idempotency_key  text,
  retry_of         bigint REFERENCES ${schema}.runs (id),
  message          text,
  event_seq        integer NOT NULL DEFAULT 0,
  CHECK ((status = 'running') = (worker_id IS NOT NULL))
);

-- Claim order: lane, then priority (higher first), then FIFO by id.
CREATE INDEX runs_claim_idx ON ${schema}.runs (lane, priority DESC, id) WHERE status = 'queued';
CREATE INDEX runs_heartbeat_idx ON ${schema}.runs (heartbeat_at) WHERE status = 'running';
CREATE INDEX runs_created_idx ON ${schema}.runs (created_at);
-- An idempotency key is unique among live runs; a finished run frees it.
CREATE UNIQUE INDEX runs_idempotency_idx ON ${schema}.runs (idempotency_key)
  WHERE idempotency_key IS NOT NULL AND status IN ('queued', 'running');

CREATE TABLE ${schema}.run_events (
  run_id   bigint NOT NULL REFERENCES ${schema}.runs (id) ON DELETE CASCADE,
  seq      integer NOT NULL,
  attempt  integer NOT NULL,
  at       timestamptz NOT NULL DEFAULT clock_timestamp(),
  kind     text NOT NULL,
  stream   text,
  message  text,
  data     jsonb,
  PRIMARY KEY (run_id, seq)
);
CREATE INDEX run_events_kind_idx ON ${schema}.run_events (kind, at);

CREATE TABLE ${schema}.run_steps (
  run_id      bigint NOT NULL REFERENCES ${schema}.runs (id) ON DELETE CASCADE,
  attempt     integer NOT NULL,
  idx         integer NOT NULL,
  name        text NOT NULL,
  status      text NOT NULL CHECK (status IN ('running', 'success', 'error', 'cancelled', 'timeout')),
  started_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  PRIMARY KEY (run_id, attempt, idx)
);

-- Artifact content, addressed by its SHA-256, shared between runs that produce the same bytes.
CREATE TABLE ${schema}.artifact_blobs (
  sha256   text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size     bigint NOT NULL,
  content  bytea NOT NULL
);

CREATE TABLE ${schema}.artifacts (
  run_id     bigint NOT NULL REFERENCES ${schema}.runs (id) ON DELETE CASCADE,
  name       text NOT NULL CHECK (name ~ '^[A-Za-z0-9._-][A-Za-z0-9._/-]*$' AND name !~ '(^|/)\.\.?(/|$)'),
  attempt    integer NOT NULL,
  sha256     text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size       bigint NOT NULL,
  -- Small text is kept here; otherwise the content is the artifact_blobs row with this sha256.
  inline     text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, name)
);

CREATE TABLE ${schema}.worker_sessions (
  worker_id    text PRIMARY KEY,
  host         text,
  pid          bigint,
  lanes        text[] NOT NULL,
  started_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  stopped_at   timestamptz
);

-- Appends one event to a run and returns its sequence number. Callers hold the run's row lock.
CREATE FUNCTION ${schema}.add_event(p_run bigint, p_kind text, p_message text, p_data jsonb)
RETURNS integer LANGUAGE sql AS $$
  WITH bumped AS (
    UPDATE ${schema}.runs SET event_seq = event_seq + 1 WHERE id = p_run
    RETURNING id, event_seq, attempt
  )
  INSERT INTO ${schema}.run_events (run_id, seq, attempt, kind, message, data)
  SELECT id, event_seq, attempt, p_kind, p_message, p_data FROM bumped
  RETURNING seq
$$;

-- Enqueues a run; with an idempotency key that a live run already holds, returns that run instead.
CREATE FUNCTION ${schema}.enqueue_run(
  p_template text, p_template_hash text, p_template_definition text, p_lane text,
  p_params jsonb, p_priority integer, p_max_attempts integer, p_idempotency_key text,
  p_backoff interval, p_max_backoff interval, p_timeout interval, p_retry_of bigint)
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
                                idempotency_key, backoff, max_backoff, timeout, retry_of)
    VALUES (p_template, p_template_hash, p_lane, coalesce(p_params, '{}'::jsonb),
            coalesce(p_priority, 0), coalesce(p_max_attempts, 3), p_idempotency_key,
            coalesce(p_backoff, interval '2 seconds'), coalesce(p_max_backoff, interval '5 minutes'),
            p_timeout, p_retry_of)
    ON CONFLICT (idempotency_key)
      WHERE idempotency_key IS NOT NULL AND status IN ('queued', 'running')
      DO NOTHING
    RETURNING id INTO v_id;
    IF v_id IS NOT NULL THEN
      PERFORM ${schema}.add_event(v_id, 'enqueued', NULL,
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

-- Claims up to p_limit runs from p_lanes for p_worker: priority first, then FIFO.
-- Each lane is read in claim-index order (lane, priority DESC, id) by its own LATERAL subquery, so a
-- claim costs the same with ten or a million queued runs; the lanes are then merged in the same
-- order under the same LIMIT. The CTE is evaluated once (PostgreSQL bug #15715), so the LIMIT holds
-- whatever plan is chosen.
CREATE FUNCTION ${schema}.claim_runs(p_worker text, p_lanes text[], p_limit integer)
RETURNS SETOF ${schema}.runs LANGUAGE plpgsql AS $$
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
       WHERE r.status = 'queued' AND r.lane = l.lane AND r.available_at <= now()
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
           event_seq = r.event_seq + 1
      FROM picked WHERE r.id = picked.id
    RETURNING r.*
  ), logged AS (
    INSERT INTO ${schema}.run_events (run_id, seq, attempt, kind, message, data)
    SELECT id, event_seq, attempt, 'claimed', NULL, jsonb_build_object('worker', p_worker)
      FROM claimed
  )
  SELECT * FROM claimed ORDER BY priority DESC, id;
END
$$;

-- Records heartbeats for a worker's runs. Per run: 'ok', 'cancel' (cancel was requested: stop)
-- or 'lost' (the run is no longer this worker's attempt: stop without completing).
CREATE FUNCTION ${schema}.heartbeat_runs(p_worker text, p_runs bigint[], p_attempts integer[])
RETURNS TABLE (run_id bigint, state text) LANGUAGE sql AS $$
  WITH wanted AS (
    SELECT * FROM unnest(p_runs, p_attempts) AS w(id, attempt)
  ), beat AS (
    UPDATE ${schema}.runs r SET heartbeat_at = now()
      FROM wanted w
     WHERE r.id = w.id AND r.attempt = w.attempt AND r.worker_id = p_worker AND r.status = 'running'
    RETURNING r.id, r.cancel_requested
  ), seen AS (
    UPDATE ${schema}.worker_sessions SET last_seen_at = now() WHERE worker_id = p_worker
  )
  SELECT w.id, CASE WHEN b.id IS NULL THEN 'lost' WHEN b.cancel_requested THEN 'cancel' ELSE 'ok' END
    FROM wanted w LEFT JOIN beat b ON b.id = w.id
$$;

CREATE FUNCTION ${schema}.heartbeat_run(p_run bigint, p_attempt integer, p_worker text)
RETURNS text LANGUAGE sql AS $$
  SELECT state FROM ${schema}.heartbeat_runs(p_worker, ARRAY[p_run], ARRAY[p_attempt])
$$;

-- Completes a worker's runs in one statement. A run whose cancel was requested ends 'cancelled'
-- whatever the worker reports (a late completion after cancel loses). Returns the final status
-- per run, or 'lost' when the run is no longer this worker's attempt (nothing is changed).
CREATE FUNCTION ${schema}.complete_runs(
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
    UPDATE ${schema}.runs r
       SET status = CASE WHEN r.cancel_requested THEN 'cancelled' ELSE w.status END,
           message = w.message, finished_at = now(), worker_id = NULL,
           event_seq = r.event_seq + 1
      FROM wanted w
     WHERE r.id = w.id AND r.attempt = w.attempt AND r.worker_id = p_worker AND r.status = 'running'
    RETURNING r.id, r.status, r.event_seq, r.attempt, w.status AS reported, r.message
  ), logged AS (
    INSERT INTO ${schema}.run_events (run_id, seq, attempt, kind, message, data)
    SELECT id, event_seq, attempt, 'completed', message,
           jsonb_build_object('status', status, 'reported', reported, 'worker', p_worker)
      FROM done
  )
  SELECT w.id, coalesce(d.status, 'lost') FROM wanted w LEFT JOIN done d ON d.id = w.id;
END
$$;

CREATE FUNCTION ${schema}.complete_run(
  p_run bigint, p_attempt integer, p_worker text, p_status text, p_message text)
RETURNS text LANGUAGE sql AS $$
  SELECT final_status FROM ${schema}.complete_runs(
    p_worker, ARRAY[p_run], ARRAY[p_attempt], ARRAY[p_status], ARRAY[p_message])
$$;

-- Gives a running run back to the queue without charging the attempt (a worker shutting down).
CREATE FUNCTION ${schema}.release_run(p_run bigint, p_attempt integer, p_worker text)
RETURNS boolean LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_lane text;
BEGIN
  UPDATE ${schema}.runs
     SET status = CASE WHEN cancel_requested THEN 'cancelled' ELSE 'queued' END,
         finished_at = CASE WHEN cancel_requested THEN now() END,
         worker_id = NULL, heartbeat_at = NULL, releases = releases + 1, available_at = now()
   WHERE id = p_run AND attempt = p_attempt AND worker_id = p_worker AND status = 'running'
  RETURNING lane INTO v_lane;
  IF v_lane IS NULL THEN
    RETURN false;
  END IF;
  PERFORM ${schema}.add_event(p_run, 'released', 'the worker shut down; the attempt is not charged',
                              jsonb_build_object('worker', p_worker));
  PERFORM pg_notify('${schema}_runs', v_lane);
  RETURN true;
END
$$;

-- Cancels a run. A queued run is cancelled at once and never starts; a running run is flagged and
-- its worker stops it at its next heartbeat (or sooner through the cancel notification); a
-- finished run is unaffected. Returns 'cancelled', 'cancel_requested', 'unchanged' or 'not_found'.
CREATE FUNCTION ${schema}.cancel_run(p_run bigint, p_reason text)
RETURNS text LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_status text;
BEGIN
  SELECT status INTO v_status FROM ${schema}.runs WHERE id = p_run FOR UPDATE;
  IF v_status IS NULL THEN
    RETURN 'not_found';
  ELSIF v_status = 'queued' THEN
    UPDATE ${schema}.runs SET status = 'cancelled', finished_at = now(), cancel_requested = true,
           cancel_reason = p_reason, message = coalesce(p_reason, 'cancelled before it started')
     WHERE id = p_run;
    PERFORM ${schema}.add_event(p_run, 'cancelled', p_reason, NULL);
    RETURN 'cancelled';
  ELSIF v_status = 'running' THEN
    UPDATE ${schema}.runs SET cancel_requested = true, cancel_reason = p_reason WHERE id = p_run;
    PERFORM ${schema}.add_event(p_run, 'cancel_requested', p_reason, NULL);
    PERFORM pg_notify('${schema}_cancel', p_run::text);
    RETURN 'cancel_requested';
  END IF;
  RETURN 'unchanged';
END
$$;

-- Appends a worker's events (a JSON array of {kind, stream, message, data}) to its run, in order.
-- Nothing is accepted from a worker that no longer holds the run, or after a terminal state.
CREATE FUNCTION ${schema}.append_run_events(
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
  INSERT INTO ${schema}.run_events (run_id, seq, attempt, kind, stream, message, data)
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

-- Decides what happens to runs whose worker stopped heartbeating for longer than p_stale_after,
-- by the database clock: cancelled (cancel was requested), error (attempts used up), or queued
-- again after a backoff of random() * least(max_backoff, backoff * 2^(charged attempts - 1)).
CREATE FUNCTION ${schema}.sweep_runs(p_stale_after interval, p_limit integer)
RETURNS TABLE (run_id bigint, decision text, attempt integer, available_at timestamptz)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  r record;
  v_decision text;
  v_delay interval;
BEGIN
  FOR r IN
    SELECT * FROM ${schema}.runs
     WHERE status = 'running' AND heartbeat_at < now() - p_stale_after
     ORDER BY heartbeat_at
     LIMIT greatest(p_limit, 0)
     FOR UPDATE SKIP LOCKED
  LOOP
    IF r.cancel_requested THEN
      v_decision := 'cancelled';
      UPDATE ${schema}.runs SET status = 'cancelled', finished_at = now(), worker_id = NULL,
             message = 'cancelled; its worker stopped heartbeating' WHERE id = r.id;
      v_delay := NULL;
    ELSIF r.attempt - r.releases >= r.max_attempts THEN
      v_decision := 'error';
      UPDATE ${schema}.runs SET status = 'error', finished_at = now(), worker_id = NULL,
             message = format('worker %s stopped heartbeating; %s of %s attempts used',
                              r.worker_id, r.attempt - r.releases, r.max_attempts)
       WHERE id = r.id;
      v_delay := NULL;
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
    END IF;
    run_id := r.id;
    decision := v_decision;
    attempt := r.attempt;
    available_at := CASE WHEN v_decision = 'requeued' THEN now() + v_delay END;
    RETURN NEXT;
  END LOOP;
END
$$;
