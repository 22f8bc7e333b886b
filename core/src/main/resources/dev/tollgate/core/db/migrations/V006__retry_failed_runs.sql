-- Tollgate run queue, version 6: a failed attempt may be tried again.
-- A worker whose run failed in a way its template retries (retry_on: error, timeout) reports the
-- attempt with retry_run instead of complete_run. While attempts remain (attempt - releases <
-- max_attempts) and no cancel was requested, the run goes back to the queue, the attempt charged,
-- after a delay drawn at random between zero and least(max_backoff, backoff * 2^(charged - 1)),
-- as the sweeper does for a lost worker. Otherwise it is completed with the status given, exactly
-- as complete_run completes it. Returns the run's status afterwards ('queued', or what
-- complete_run returns: 'error', 'cancelled', 'lost') and, when queued, when it may run again.
CREATE FUNCTION ${schema}.retry_run(
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
  PERFORM ${schema}.add_event(p_run, 'retrying', p_message,
    jsonb_build_object('worker', p_worker, 'reported', p_status, 'attempts_used',
                       r.attempt - r.releases, 'max_attempts', r.max_attempts,
                       'delay_ms', round(extract(epoch FROM v_delay) * 1000)));
  PERFORM pg_notify('${schema}_runs', r.lane);
  RETURN QUERY SELECT 'queued'::text, now() + v_delay;
END
$$;
