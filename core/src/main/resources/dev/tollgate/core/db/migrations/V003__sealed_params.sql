-- Tollgate run queue, version 3: secret parameters stored apart from runs.params.
-- A template's writeOnly parameters are sealed by the client (AES-256-GCM, with a key the database
-- never sees; see ParamsCipher) and kept in runs.sealed_params, so that reading the table, a dump
-- or a backup does not reveal them, and a search over params never matches them. runs.params holds
-- '***' in their place.

ALTER TABLE ${schema}.runs ADD COLUMN sealed_params text;

-- enqueue_run takes the sealed text as a last argument that defaults to NULL, so calls written for
-- version 1 (twelve arguments) keep working.
DROP FUNCTION ${schema}.enqueue_run(text, text, text, text, jsonb, integer, integer, text,
  interval, interval, interval, bigint);

CREATE FUNCTION ${schema}.enqueue_run(
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
                                sealed_params)
    VALUES (p_template, p_template_hash, p_lane, coalesce(p_params, '{}'::jsonb),
            coalesce(p_priority, 0), coalesce(p_max_attempts, 3), p_idempotency_key,
            coalesce(p_backoff, interval '2 seconds'), coalesce(p_max_backoff, interval '5 minutes'),
            p_timeout, p_retry_of, p_sealed_params)
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
