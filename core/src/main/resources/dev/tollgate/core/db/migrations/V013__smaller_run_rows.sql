-- Tollgate run queue, version 13: smaller rows for every run, live and finished.
--
-- Most of the WAL a run writes is its own row, twice: the live row's page image after a checkpoint
-- and the claim's update while it runs, then the history row and its index entries when it
-- finishes. Three columns were wider than what they hold:
--   template_hash  the SHA-256 of the template as 64 hex digits (65 bytes): now its 32 bytes
--                  (bytea, in run_templates, runs and run_history). The protocol still takes and
--                  the API still shows hex; psql readers use encode(template_hash, 'hex').
--   backoff, max_backoff
--                  intervals (16 bytes each): now whole milliseconds, backoff_ms and
--                  max_backoff_ms (integer, 4 bytes each, at most 24 days). enqueue_run still takes
--                  intervals and rounds them to the millisecond.
--   claimed_by     a second copy of the worker's id on the live row, written by every claim. A live
--                  run's claim is now worker_id while claimed_seq is set (a claim is stored as an
--                  event row, and claimed_seq cleared, before a run goes back to the queue, while
--                  worker_id still names its worker); run_history keeps claimed_by, written from
--                  worker_id when the run finishes. all_runs shows claimed_by for both, as before.
--   started_at, heartbeat_at
--                  both equal to the claim's time when a run is first claimed, and were written
--                  with it. A claim now writes only claimed_at: while a run is claimed
--                  (claimed_seq set), a NULL started_at means "when this claim was made" and a
--                  NULL heartbeat_at "no heartbeat since the claim". started_at is written when a
--                  run goes back to the queue (store_claim), so that a later claim keeps the first
--                  one's time, and heartbeat_at by every heartbeat. all_runs and every read of the
--                  API show the times as before: coalesce(started_at, claimed_at) and
--                  coalesce(heartbeat_at, claimed_at) while claimed_seq is set.
--   outcome        what the worker reported, the same as the final status but when a cancel
--                  overrode it: now written only then (NULL: the status is what was reported).
--                  all_runs and the 'completed' event show it as before.
-- The live queue also leaves more of each page free (fillfactor 40, was 70), so that a claim finds
-- room for the running version of every row on the page and stays a HOT update when a worker
-- claims far ahead of its completions. And claimers skip each other's runs with an advisory lock
-- instead of a row lock, which the WAL never sees (claim_runs below).
--
-- Changing a column's type rewrites its table: the upgrade holds run_history's lock while it
-- copies the finished runs and rebuilds their indexes (UPGRADING.md gives the time per million).

DROP VIEW ${schema}.run_events;
DROP VIEW ${schema}.all_runs;

-- A queued run whose claim was not stored as an event row (none should exist: every path back to
-- the queue stores it) keeps it before the claim's worker column goes.
INSERT INTO ${schema}.run_event_rows (run_id, seq, attempt, at, kind, data)
SELECT id, claimed_seq, attempt, claimed_at, 'claimed', jsonb_build_object('worker', claimed_by)
  FROM ${schema}.runs WHERE status = 'queued' AND claimed_seq IS NOT NULL;
UPDATE ${schema}.runs SET claimed_seq = NULL WHERE status = 'queued' AND claimed_seq IS NOT NULL;
ALTER TABLE ${schema}.runs DROP COLUMN claimed_by;

-- A hash that is not hex (only a psql caller could have stored one) keeps its bytes as text.
CREATE FUNCTION ${schema}.v013_hash_bytes(p_hash text) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN p_hash ~ '^([0-9a-fA-F]{2})*$' THEN decode(p_hash, 'hex')
              ELSE convert_to(p_hash, 'UTF8') END
$$;

ALTER TABLE ${schema}.run_templates
  ALTER COLUMN hash TYPE bytea USING ${schema}.v013_hash_bytes(hash);

ALTER TABLE ${schema}.runs SET (fillfactor = 40);
ALTER TABLE ${schema}.runs
  ALTER COLUMN backoff DROP DEFAULT,
  ALTER COLUMN max_backoff DROP DEFAULT;
ALTER TABLE ${schema}.runs
  ALTER COLUMN template_hash TYPE bytea USING ${schema}.v013_hash_bytes(template_hash),
  ALTER COLUMN backoff TYPE integer USING round(extract(epoch FROM backoff) * 1000)::integer,
  ALTER COLUMN max_backoff TYPE integer USING round(extract(epoch FROM max_backoff) * 1000)::integer;
ALTER TABLE ${schema}.runs RENAME COLUMN backoff TO backoff_ms;
ALTER TABLE ${schema}.runs RENAME COLUMN max_backoff TO max_backoff_ms;
ALTER TABLE ${schema}.runs
  ALTER COLUMN backoff_ms SET DEFAULT 2000,
  ALTER COLUMN max_backoff_ms SET DEFAULT 300000,
  ADD CONSTRAINT runs_backoff_check CHECK (backoff_ms >= 0 AND max_backoff_ms >= 0);

ALTER TABLE ${schema}.run_history
  ALTER COLUMN backoff DROP DEFAULT,
  ALTER COLUMN max_backoff DROP DEFAULT;
ALTER TABLE ${schema}.run_history
  ALTER COLUMN template_hash TYPE bytea USING ${schema}.v013_hash_bytes(template_hash),
  ALTER COLUMN backoff TYPE integer USING round(extract(epoch FROM backoff) * 1000)::integer,
  ALTER COLUMN max_backoff TYPE integer USING round(extract(epoch FROM max_backoff) * 1000)::integer;
ALTER TABLE ${schema}.run_history RENAME COLUMN backoff TO backoff_ms;
ALTER TABLE ${schema}.run_history RENAME COLUMN max_backoff TO max_backoff_ms;
ALTER TABLE ${schema}.run_history
  ALTER COLUMN backoff_ms SET DEFAULT 2000,
  ALTER COLUMN max_backoff_ms SET DEFAULT 300000;

DROP FUNCTION ${schema}.v013_hash_bytes(text);

-- Every run, live or finished. A live run's claim names its worker_id.
CREATE VIEW ${schema}.all_runs AS
  SELECT id, template, template_hash, lane, priority, params, status, attempt, releases,
         max_attempts, backoff_ms, max_backoff_ms, timeout, available_at, created_at,
         coalesce(started_at, CASE WHEN claimed_seq IS NOT NULL THEN claimed_at END) AS started_at,
         finished_at,
         coalesce(heartbeat_at, CASE WHEN claimed_seq IS NOT NULL THEN claimed_at END)
           AS heartbeat_at,
         worker_id, cancel_requested, cancel_reason, idempotency_key,
         retry_of, message, event_seq, sealed_params, enqueued_seq, claimed_seq,
         CASE WHEN claimed_seq IS NOT NULL THEN worker_id END AS claimed_by, claimed_at,
         completed_seq, outcome
    FROM ${schema}.runs
  UNION ALL
  SELECT id, template, template_hash, lane, priority, params, status, attempt, releases,
         max_attempts, backoff_ms, max_backoff_ms, timeout, available_at, created_at,
         coalesce(started_at, CASE WHEN claimed_seq IS NOT NULL THEN claimed_at END) AS started_at,
         finished_at,
         coalesce(heartbeat_at, CASE WHEN claimed_seq IS NOT NULL THEN claimed_at END)
           AS heartbeat_at,
         worker_id, cancel_requested, cancel_reason, idempotency_key,
         retry_of, message, event_seq, sealed_params, enqueued_seq, claimed_seq, claimed_by,
         claimed_at, completed_seq,
         coalesce(outcome, CASE WHEN completed_seq IS NOT NULL THEN status END) AS outcome
    FROM ${schema}.run_history;

-- As in version 8.
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
         jsonb_build_object('status', status, 'reported', coalesce(outcome, status),
                            'worker', claimed_by)
    FROM ${schema}.run_history WHERE completed_seq IS NOT NULL;

-- Stores the current attempt's claim, made by p_worker, as an event row before a run goes back
-- to the queue and its next claim reuses the claim columns, and keeps the first claim's time as
-- started_at. Callers hold the run's row lock.
DROP FUNCTION ${schema}.store_claim(bigint);
CREATE FUNCTION ${schema}.store_claim(p_run bigint, p_worker text)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO ${schema}.run_event_rows (run_id, seq, attempt, at, kind, data)
  SELECT id, claimed_seq, attempt, claimed_at, 'claimed', jsonb_build_object('worker', p_worker)
    FROM ${schema}.runs WHERE id = p_run AND claimed_seq IS NOT NULL;
  UPDATE ${schema}.runs SET claimed_seq = NULL, started_at = coalesce(started_at, claimed_at)
   WHERE id = p_run AND claimed_seq IS NOT NULL;
$$;

-- Moves a live run to the history with its final status and message. Callers hold its row lock.
CREATE OR REPLACE FUNCTION ${schema}.retire_run(p_run bigint, p_status text, p_message text)
RETURNS void LANGUAGE sql AS $$
  WITH gone AS (
    DELETE FROM ${schema}.runs WHERE id = p_run RETURNING *
  )
  INSERT INTO ${schema}.run_history (
    id, template, template_hash, lane, priority, params, status, attempt, releases, max_attempts,
    backoff_ms, max_backoff_ms, timeout, available_at, created_at, started_at, finished_at,
    heartbeat_at, worker_id, cancel_requested, cancel_reason, idempotency_key, retry_of, message,
    event_seq, sealed_params, enqueued_seq, claimed_seq, claimed_by, claimed_at, completed_seq,
    outcome)
  SELECT id, template, template_hash, lane, priority, params, p_status, attempt, releases,
         max_attempts, backoff_ms, max_backoff_ms, timeout, available_at, created_at, started_at,
         now(), heartbeat_at, NULL, cancel_requested, cancel_reason, idempotency_key, retry_of,
         coalesce(p_message, message), event_seq, sealed_params, enqueued_seq, claimed_seq,
         CASE WHEN claimed_seq IS NOT NULL THEN worker_id END, claimed_at, NULL, NULL
    FROM gone
$$;

-- Converts a delay given to the protocol to the milliseconds stored on the row.
CREATE FUNCTION ${schema}.delay_ms(p_name text, p_delay interval)
RETURNS integer LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  IF p_delay < interval '0' OR p_delay > interval '24 days' THEN
    RAISE EXCEPTION '%: expected a delay from 0 to 24 days, got %', p_name, p_delay
      USING ERRCODE = '22023';
  END IF;
  RETURN round(extract(epoch FROM p_delay) * 1000)::integer;
END
$$;

-- Enqueue writes one row: the 'enqueued' event is its enqueued_seq. The template's hash arrives as
-- hex and is stored as its bytes; the delays arrive as intervals and are stored as milliseconds.
CREATE OR REPLACE FUNCTION ${schema}.enqueue_run(
  p_template text, p_template_hash text, p_template_definition text, p_lane text,
  p_params jsonb, p_priority integer, p_max_attempts integer, p_idempotency_key text,
  p_backoff interval, p_max_backoff interval, p_timeout interval, p_retry_of bigint,
  p_sealed_params text DEFAULT NULL)
RETURNS TABLE (run_id bigint, created boolean) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_id bigint;
  v_hash bytea;
BEGIN
  IF p_template_hash IS NOT NULL THEN
    IF p_template_hash !~ '^([0-9a-fA-F]{2})+$' THEN
      RAISE EXCEPTION 'enqueue_run: expected the template hash as hex digits, got %', p_template_hash
        USING ERRCODE = '22023';
    END IF;
    v_hash := decode(p_template_hash, 'hex');
    INSERT INTO ${schema}.run_templates (hash, name, definition)
    VALUES (v_hash, p_template, coalesce(p_template_definition, ''))
    ON CONFLICT (hash) DO NOTHING;
  END IF;
  LOOP
    INSERT INTO ${schema}.runs (template, template_hash, lane, params, priority, max_attempts,
                                idempotency_key, backoff_ms, max_backoff_ms, timeout, retry_of,
                                sealed_params, event_seq, enqueued_seq)
    VALUES (p_template, v_hash, p_lane, coalesce(p_params, '{}'::jsonb),
            coalesce(p_priority, 0), coalesce(p_max_attempts, 3), p_idempotency_key,
            ${schema}.delay_ms('backoff', coalesce(p_backoff, interval '2 seconds')),
            ${schema}.delay_ms('max_backoff', coalesce(p_max_backoff, interval '5 minutes')),
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
-- written on the row (claimed_seq, claimed_at; the worker is worker_id; the run's start and its
-- heartbeat are the claim's time until written) and changes no indexed column, so the update is
-- HOT. JdbcRunQueue sends the same statement itself (QueueFactsTest checks
-- both agree).
--
-- Whether a run is queued and due as committed now, not as the calling statement's snapshot saw
-- it: a VOLATILE function reads with a snapshot of its own (at READ COMMITTED). claim_runs asks it
-- once it holds the run's advisory lock, after which no other claim can change the answer.
CREATE FUNCTION ${schema}.still_claimable(p_run bigint)
RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RETURN EXISTS (SELECT 1 FROM ${schema}.runs
                  WHERE id = p_run AND status = 'queued' AND available_at <= now());
END
$$;

-- Claimers skip each other's runs with a transaction-scoped advisory lock on the run (the two-key
-- form: this schema's key and the run's id), not a row lock: a row lock (FOR UPDATE SKIP LOCKED)
-- is written to the WAL, about 54 bytes per run, and the update that follows writes its own record
-- anyway. Only rows that are queued and due are tried (the CASE keeps the lock behind the other
-- conditions), and the lock is released when the claiming transaction ends. A run this
-- statement's snapshot shows queued may have been claimed by a transaction that committed since,
-- and so released its lock: once it holds the lock, the claim asks still_claimable, which reads
-- the row as it is now, and passes the run by if it is no longer queued and due, going on down
-- the index as a row lock's recheck would (without it, such a run filled the LIMIT and the
-- claim came back short while runs waited). The update checks the row again all the same, and
-- finds the picked runs by their keys (id = ANY of an array): a join to the CTE could be planned,
-- the LIMIT being a parameter, as a merge join that reads the primary key from its start, through
-- every run claimed before, on each claim.
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
                            THEN ${schema}.still_claimable(r.id) ELSE false END
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

-- Completes a worker's runs in one statement, as in version 8; the history's claimed_by is the
-- worker that held the run, and its outcome is written only when a cancel overrode it. JdbcRunQueue sends the same statement.
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
      backoff_ms, max_backoff_ms, timeout, available_at, created_at, started_at, finished_at,
      heartbeat_at, worker_id, cancel_requested, cancel_reason, idempotency_key, retry_of, message,
      event_seq, sealed_params, enqueued_seq, claimed_seq, claimed_by, claimed_at, completed_seq,
      outcome)
    SELECT id, template, template_hash, lane, priority, params, final, attempt, releases,
           max_attempts, backoff_ms, max_backoff_ms, timeout, available_at, created_at,
           started_at, now(), heartbeat_at, NULL, cancel_requested, cancel_reason,
           idempotency_key, retry_of, reported_message, event_seq + 1, sealed_params,
           enqueued_seq, claimed_seq, worker_id, claimed_at, event_seq + 1,
           nullif(reported, final)
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
  PERFORM ${schema}.store_claim(p_run, p_worker);
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
     WHERE status = 'running' AND coalesce(heartbeat_at, claimed_at) < now() - p_stale_after
     ORDER BY coalesce(heartbeat_at, claimed_at)
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
      v_delay := random() * least(r.max_backoff_ms,
                   r.backoff_ms * power(2, greatest(r.attempt - r.releases - 1, 0)))
                 * interval '1 millisecond';
      UPDATE ${schema}.runs SET status = 'queued', worker_id = NULL, heartbeat_at = NULL,
             available_at = now() + v_delay WHERE id = r.id;
      PERFORM ${schema}.store_claim(r.id, r.worker_id);
    END IF;
    PERFORM ${schema}.add_event(r.id, 'swept', v_decision,
      jsonb_build_object('decision', v_decision, 'worker', r.worker_id,
                         'last_heartbeat', coalesce(r.heartbeat_at, r.claimed_at), 'delay_ms',
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
  v_delay := random() * least(r.max_backoff_ms,
               r.backoff_ms * power(2, greatest(r.attempt - r.releases - 1, 0)))
             * interval '1 millisecond';
  UPDATE ${schema}.runs
     SET status = 'queued', worker_id = NULL, heartbeat_at = NULL, message = p_message,
         available_at = now() + v_delay
   WHERE id = p_run;
  PERFORM ${schema}.store_claim(p_run, p_worker);
  PERFORM ${schema}.add_event(p_run, 'retrying', p_message,
    jsonb_build_object('worker', p_worker, 'reported', p_status, 'attempts_used',
                       r.attempt - r.releases, 'max_attempts', r.max_attempts,
                       'delay_ms', round(extract(epoch FROM v_delay) * 1000)));
  PERFORM pg_notify('${schema}_runs', r.lane);
  RETURN QUERY SELECT 'queued'::text, now() + v_delay;
END
$$;
