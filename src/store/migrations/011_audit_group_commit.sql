-- Audit entries are written in batches (group commit, src/auth/audit.ts AuditWriter): the chain head
-- then moves forward by the size of the batch. It still may never stand still or move back.
CREATE OR REPLACE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.seq <= OLD.seq THEN RAISE EXCEPTION 'audit_head only moves forward' USING ERRCODE = 'insufficient_privilege'; END IF; RETURN NEW; END $$;
