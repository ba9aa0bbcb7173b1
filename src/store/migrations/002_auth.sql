-- Access control and audit (src/auth/).
--
-- Case memberships: who is on which case, as supervisors set it. Read on every request, so taking an
-- officer off a case takes effect at once. Changes are audited in audit_log (kind 'admin').
CREATE TABLE case_members (
  case_id   text        NOT NULL CHECK (btrim(case_id) <> ''),
  user_id   text        NOT NULL CHECK (btrim(user_id) <> ''),
  added_by  text        NOT NULL,
  added_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, user_id)
);
CREATE INDEX case_members_by_user ON case_members (user_id);

-- The audit trail, append-only and hash-chained (src/auth/audit.ts). `entry` is the exact canonical
-- JSON that was hashed (it holds seq, at, kind, actor and prev as well); the other columns repeat parts
-- of it for querying and are checked against it by verifyAudit(). Text, not jsonb: jsonb would
-- re-serialise the content and the bytes would no longer be the ones hashed.
CREATE TABLE audit_log (
  seq        bigint      PRIMARY KEY CHECK (seq > 0),
  at         timestamptz NOT NULL,
  kind       text        NOT NULL,
  actor      text        NOT NULL,
  entry      text        NOT NULL,
  prev_hash  text        NOT NULL,
  hash       text        NOT NULL UNIQUE
);
CREATE INDEX audit_log_by_actor ON audit_log (actor, at);
CREATE INDEX audit_log_by_kind ON audit_log (kind, at);

-- The chain head: one row, locked FOR UPDATE by every appender, so two replicas appending at once
-- serialise on it and the chain never forks. It may only move forward by one.
CREATE TABLE audit_head (
  id    boolean PRIMARY KEY DEFAULT true CHECK (id),
  seq   bigint  NOT NULL,
  hash  text    NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (true, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Function bodies stay on one line: the migration runner splits statements at a semicolon ending a line.
CREATE FUNCTION audit_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege'; END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();

CREATE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.seq <> OLD.seq + 1 THEN RAISE EXCEPTION 'audit_head only moves forward by one' USING ERRCODE = 'insufficient_privilege'; END IF; RETURN NEW; END $$;
CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only();
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();

-- Nobody gets to change the trail through PUBLIC. The hub's own role is restricted by
-- src/auth/audit-grants.sql, run once by the owner when the hub connects as a separate role.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;
REVOKE DELETE, TRUNCATE ON audit_head FROM PUBLIC;
