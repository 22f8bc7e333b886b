-- Tollgate run queue, version 9: the columns a claim or a heartbeat changes are the last of a live
-- run's row, so the WAL record of each update holds only what changed.
--
-- When an update keeps the row on its page (a HOT update, which the claim and the heartbeats are),
-- PostgreSQL logs the new row without the bytes it shares with the old one at its start and at its
-- end. The claim changed status, the seventh column, and claimed_at near the end, so nearly the
-- whole row went to the WAL for every claim. The changing columns now come last, the heartbeat's
-- heartbeat_at at the very end: a claim logs about 90 bytes of its row, a heartbeat 8.
--
-- PostgreSQL cannot move a column, so each one is added again at the end, copied and the old one
-- dropped; the live queue is small, and its rows are rewritten once. run_history keeps its order
-- (its rows are never updated), and all_runs names its columns, in the order it had, so readers of
-- the view see no change.

DROP VIEW ${schema}.run_events;
DROP VIEW ${schema}.all_runs;

ALTER TABLE ${schema}.runs
  RENAME COLUMN status TO status_v8;
ALTER TABLE ${schema}.runs
  RENAME COLUMN attempt TO attempt_v8;
ALTER TABLE ${schema}.runs
  RENAME COLUMN started_at TO started_at_v8;
ALTER TABLE ${schema}.runs
  RENAME COLUMN worker_id TO worker_id_v8;
ALTER TABLE ${schema}.runs
  RENAME COLUMN event_seq TO event_seq_v8;
ALTER TABLE ${schema}.runs
  RENAME COLUMN claimed_seq TO claimed_seq_v8;
ALTER TABLE ${schema}.runs
  RENAME COLUMN claimed_by TO claimed_by_v8;
ALTER TABLE ${schema}.runs
  RENAME COLUMN claimed_at TO claimed_at_v8;
ALTER TABLE ${schema}.runs
  RENAME COLUMN heartbeat_at TO heartbeat_at_v8;

ALTER TABLE ${schema}.runs
  ADD COLUMN status text,
  ADD COLUMN attempt integer,
  ADD COLUMN started_at timestamptz,
  ADD COLUMN worker_id text,
  ADD COLUMN event_seq integer,
  ADD COLUMN claimed_seq integer,
  ADD COLUMN claimed_by text,
  ADD COLUMN claimed_at timestamptz,
  ADD COLUMN heartbeat_at timestamptz;

UPDATE ${schema}.runs
   SET status = status_v8, attempt = attempt_v8, started_at = started_at_v8,
       worker_id = worker_id_v8, event_seq = event_seq_v8, claimed_seq = claimed_seq_v8,
       claimed_by = claimed_by_v8, claimed_at = claimed_at_v8, heartbeat_at = heartbeat_at_v8;

-- Dropping the old columns drops the checks that named them; they come back over the new ones.
ALTER TABLE ${schema}.runs
  DROP COLUMN status_v8,
  DROP COLUMN attempt_v8,
  DROP COLUMN started_at_v8,
  DROP COLUMN worker_id_v8,
  DROP COLUMN event_seq_v8,
  DROP COLUMN claimed_seq_v8,
  DROP COLUMN claimed_by_v8,
  DROP COLUMN claimed_at_v8,
  DROP COLUMN heartbeat_at_v8;

ALTER TABLE ${schema}.runs
  ALTER COLUMN status SET NOT NULL,
  ALTER COLUMN status SET DEFAULT 'queued',
  ALTER COLUMN attempt SET NOT NULL,
  ALTER COLUMN attempt SET DEFAULT 0,
  ALTER COLUMN event_seq SET NOT NULL,
  ALTER COLUMN event_seq SET DEFAULT 0,
  ADD CONSTRAINT runs_status_check
    CHECK (status IN ('queued', 'running', 'success', 'error', 'cancelled')),
  ADD CONSTRAINT runs_check CHECK ((status = 'running') = (worker_id IS NOT NULL)),
  ADD CONSTRAINT runs_live CHECK (status IN ('queued', 'running'));

-- Every run, live or finished, in the column order the view always had.
CREATE VIEW ${schema}.all_runs AS
  SELECT id, template, template_hash, lane, priority, params, status, attempt, releases,
         max_attempts, backoff, max_backoff, timeout, available_at, created_at, started_at,
         finished_at, heartbeat_at, worker_id, cancel_requested, cancel_reason, idempotency_key,
         retry_of, message, event_seq, sealed_params, enqueued_seq, claimed_seq, claimed_by,
         claimed_at, completed_seq, outcome
    FROM ${schema}.runs
  UNION ALL
  SELECT id, template, template_hash, lane, priority, params, status, attempt, releases,
         max_attempts, backoff, max_backoff, timeout, available_at, created_at, started_at,
         finished_at, heartbeat_at, worker_id, cancel_requested, cancel_reason, idempotency_key,
         retry_of, message, event_seq, sealed_params, enqueued_seq, claimed_seq, claimed_by,
         claimed_at, completed_seq, outcome
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
         jsonb_build_object('status', status, 'reported', outcome, 'worker', claimed_by)
    FROM ${schema}.run_history WHERE completed_seq IS NOT NULL;
