-- Tollgate, version 5: the audit log of what callers did through a front end (the control plane's
-- API and console): who, what, on what, when, and how it ended. Append-only; read newest first by
-- id, one page at a time.

CREATE TABLE ${schema}.audit_log (
  id       bigserial   PRIMARY KEY,
  at       timestamptz NOT NULL DEFAULT now(),
  actor    text        NOT NULL,
  action   text        NOT NULL,
  target   text        NOT NULL,
  status   integer     NOT NULL,
  result   text        NOT NULL,
  message  text
);

CREATE INDEX audit_log_actor_idx ON ${schema}.audit_log (actor, id);
