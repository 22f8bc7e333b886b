-- Tollgate governed deploys, version 2: the per-environment lock with a lease and fencing token,
-- releases and their artifacts, change requests with approvals, promotions, and an audit trail.

CREATE SEQUENCE ${schema}.deploy_fencing_tokens;

CREATE TABLE ${schema}.deploy_locks (
  environment   text PRIMARY KEY,
  -- deploy: held by a running deploy, renewed by heartbeat, taken over when stale;
  -- hold: a manual hold (tollgate lock), or the hold left by an automatic rollback; never stale.
  kind          text NOT NULL CHECK (kind IN ('deploy', 'hold')),
  holder        text NOT NULL,
  author        text NOT NULL,
  reason        text NOT NULL CHECK (reason <> ''),
  fencing_token bigint NOT NULL,
  acquired_at   timestamptz NOT NULL DEFAULT now(),
  heartbeat_at  timestamptz NOT NULL DEFAULT now(),
  lease         interval NOT NULL,
  stale_after   interval NOT NULL,
  release_id    bigint
);

CREATE TABLE ${schema}.deploy_audit (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  environment text NOT NULL,
  at          timestamptz NOT NULL DEFAULT clock_timestamp(),
  actor       text,
  kind        text NOT NULL,
  message     text NOT NULL,
  data        jsonb
);
CREATE INDEX deploy_audit_env_idx ON ${schema}.deploy_audit (environment, at);

CREATE TABLE ${schema}.releases (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  environment     text NOT NULL,
  version         text NOT NULL,
  commit_sha      text NOT NULL,
  ref             text,
  actor           text NOT NULL,
  approvers       text[] NOT NULL DEFAULT '{}',
  change_id       text,
  window_decision text,
  override_reason text,
  status          text NOT NULL CHECK (status IN ('in_progress', 'deployed', 'rolled_back',
                    'failed_rollback', 'failed', 'cancelled')),
  backup_ref      text,
  rollback_of     bigint REFERENCES ${schema}.releases (id),
  fencing_token   bigint NOT NULL,
  run_id          bigint REFERENCES ${schema}.runs (id),
  message         text,
  started_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz
);
CREATE INDEX releases_env_idx ON ${schema}.releases (environment, id DESC);

CREATE TABLE ${schema}.release_artifacts (
  release_id bigint NOT NULL REFERENCES ${schema}.releases (id) ON DELETE CASCADE,
  path       text NOT NULL,
  sha256     text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size       bigint NOT NULL,
  PRIMARY KEY (release_id, path)
);

CREATE TABLE ${schema}.change_requests (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  environment text NOT NULL,
  type        text NOT NULL CHECK (type IN ('standard', 'normal', 'emergency')),
  risk        text NOT NULL CHECK (risk IN ('low', 'medium', 'high')),
  commit_sha  text NOT NULL,
  author      text NOT NULL,
  reason      text,
  status      text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved', 'in-progress',
                'completed', 'rejected', 'cancelled')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ${schema}.change_approvals (
  change_id  bigint NOT NULL REFERENCES ${schema}.change_requests (id) ON DELETE CASCADE,
  actor      text NOT NULL,
  commit_sha text NOT NULL,
  verdict    text NOT NULL CHECK (verdict IN ('approve', 'reject')),
  comment    text,
  at         timestamptz NOT NULL DEFAULT now(),
  -- One vote per person per commit.
  PRIMARY KEY (change_id, actor, commit_sha)
);

CREATE TABLE ${schema}.promotions (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  environment text NOT NULL,
  release_ref text NOT NULL,
  commit_sha  text NOT NULL,
  status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'executing',
                'deployed', 'rolled_back')),
  change_id   bigint REFERENCES ${schema}.change_requests (id),
  release_id  bigint REFERENCES ${schema}.releases (id),
  approved_by text,
  backup_ref  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Takes the environment's lock for a deploy, or a stale deploy lock over. Returns one row:
-- acquired, the fencing token (new on success), and the holder seen (the new one, or the one that
-- keeps it). A lock is stale when its heartbeat AND its acquisition are older than its stale_after,
-- so a deploy that only just started is never reaped. Holds never go stale.
CREATE FUNCTION ${schema}.acquire_deploy_lock(
  p_env text, p_kind text, p_holder text, p_author text, p_reason text,
  p_lease interval, p_stale_after interval)
RETURNS TABLE (acquired boolean, fencing_token bigint, holder text, author text, reason text,
               kind text, acquired_at timestamptz, taken_over_from text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_old ${schema}.deploy_locks;
  v_token bigint;
BEGIN
  IF p_reason IS NULL OR p_reason = '' THEN
    RAISE EXCEPTION 'a lock needs a reason' USING ERRCODE = '22023';
  END IF;
  LOOP
    SELECT * INTO v_old FROM ${schema}.deploy_locks l WHERE l.environment = p_env FOR UPDATE;
    IF FOUND THEN
      IF NOT (v_old.kind = 'deploy'
              AND v_old.heartbeat_at < now() - v_old.stale_after
              AND v_old.acquired_at < now() - v_old.stale_after) THEN
        RETURN QUERY SELECT false, v_old.fencing_token, v_old.holder, v_old.author, v_old.reason,
                            v_old.kind, v_old.acquired_at, NULL::text;
        RETURN;
      END IF;
      v_token := nextval('${schema}.deploy_fencing_tokens');
      UPDATE ${schema}.deploy_locks l
         SET kind = p_kind, holder = p_holder, author = p_author, reason = p_reason,
             fencing_token = v_token, acquired_at = now(), heartbeat_at = now(),
             lease = p_lease, stale_after = p_stale_after, release_id = NULL
       WHERE l.environment = p_env;
      INSERT INTO ${schema}.deploy_audit (environment, actor, kind, message, data)
      VALUES (p_env, p_author, 'lock_taken_over',
              format('took over the lock of %s (%s), whose heartbeat stopped at %s',
                     v_old.holder, v_old.reason, v_old.heartbeat_at),
              jsonb_build_object('previous_holder', v_old.holder,
                                 'previous_token', v_old.fencing_token, 'token', v_token));
      EXIT;
    END IF;
    v_token := nextval('${schema}.deploy_fencing_tokens');
    INSERT INTO ${schema}.deploy_locks (environment, kind, holder, author, reason, fencing_token,
                                        lease, stale_after)
    VALUES (p_env, p_kind, p_holder, p_author, p_reason, v_token, p_lease, p_stale_after)
    ON CONFLICT (environment) DO NOTHING;
    EXIT WHEN FOUND;
    -- Another session inserted the lock between our read and our insert: read it again, locked.
  END LOOP;
  INSERT INTO ${schema}.deploy_audit (environment, actor, kind, message, data)
  VALUES (p_env, p_author, 'locked', p_reason,
          jsonb_build_object('holder', p_holder, 'kind', p_kind, 'token', v_token));
  RETURN QUERY SELECT true, v_token, p_holder, p_author, p_reason, p_kind, now(),
                      CASE WHEN v_old.holder IS NULL THEN NULL ELSE v_old.holder END;
END
$$;

-- Renews a deploy lock; false when the token no longer holds it (taken over).
CREATE FUNCTION ${schema}.renew_deploy_lock(p_env text, p_token bigint)
RETURNS boolean LANGUAGE sql AS $$
  WITH renewed AS (
    UPDATE ${schema}.deploy_locks SET heartbeat_at = now()
     WHERE environment = p_env AND fencing_token = p_token
    RETURNING 1
  )
  SELECT EXISTS (SELECT 1 FROM renewed)
$$;

-- Releases the lock held with this token; false when the token no longer holds it.
CREATE FUNCTION ${schema}.release_deploy_lock(p_env text, p_token bigint, p_actor text)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM ${schema}.deploy_locks WHERE environment = p_env AND fencing_token = p_token;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  INSERT INTO ${schema}.deploy_audit (environment, actor, kind, message)
  VALUES (p_env, p_actor, 'unlocked', 'released by its holder');
  RETURN true;
END
$$;

-- Turns the lock held with this token into a hold (after an automatic rollback the environment
-- stays locked until someone unlocks it). False when the token no longer holds it.
CREATE FUNCTION ${schema}.convert_deploy_lock_to_hold(p_env text, p_token bigint, p_reason text)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  UPDATE ${schema}.deploy_locks SET kind = 'hold', reason = p_reason, heartbeat_at = now()
   WHERE environment = p_env AND fencing_token = p_token;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  INSERT INTO ${schema}.deploy_audit (environment, actor, kind, message)
  VALUES (p_env, 'tollgate', 'held', p_reason);
  RETURN true;
END
$$;

-- Removes a hold (tollgate unlock). A live deploy lock is only removed with p_force, and that is
-- audited; the deploy's later writes are then refused by its fencing token.
CREATE FUNCTION ${schema}.unlock_environment(p_env text, p_actor text, p_force boolean)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  v_old ${schema}.deploy_locks;
BEGIN
  SELECT * INTO v_old FROM ${schema}.deploy_locks WHERE environment = p_env FOR UPDATE;
  IF NOT FOUND THEN
    RETURN 'not_locked';
  END IF;
  IF v_old.kind = 'deploy' AND NOT p_force THEN
    RETURN 'held_by_deploy';
  END IF;
  DELETE FROM ${schema}.deploy_locks WHERE environment = p_env;
  INSERT INTO ${schema}.deploy_audit (environment, actor, kind, message, data)
  VALUES (p_env, p_actor, CASE WHEN v_old.kind = 'deploy' THEN 'lock_broken' ELSE 'unlocked' END,
          format('removed the %s lock of %s (%s)', v_old.kind, v_old.holder, v_old.reason),
          jsonb_build_object('previous_holder', v_old.holder, 'previous_token', v_old.fencing_token));
  RETURN 'unlocked';
END
$$;
