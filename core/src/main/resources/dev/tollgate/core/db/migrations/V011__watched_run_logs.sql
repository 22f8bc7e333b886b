-- Live logs without a query loop: a control-plane server records here which runs someone is
-- watching, and appending to a watched run's log sends a NOTIFY on '<schema>_log' with the run's
-- id. Runs nobody watches append as before, so the queue's hot path never takes PostgreSQL's
-- notification lock for a log nobody reads. A watch is a lease: its server renews it while people
-- watch, and a server that dies leaves rows that expire on their own.
CREATE TABLE ${schema}.watched_runs (
  run_id bigint NOT NULL,
  watcher text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (run_id, watcher)
);

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
  -- Delivered when this transaction commits, like the queue's other notifications.
  IF EXISTS (SELECT 1 FROM ${schema}.watched_runs w
              WHERE w.run_id = p_run AND w.expires_at > now()) THEN
    PERFORM pg_notify('${schema}_log', p_run::text);
  END IF;
  RETURN v_count;
END
$$;
