-- Privileges for the role the hub connects as, run by the owner of the schema (the role that runs the
-- migrations) after migrating:
--
--   psql "$OWNER_URL" -v app_role=cirms_app -f src/auth/audit-grants.sql
--
-- The hub may append to the audit trail and read it, never change or remove an entry. The triggers in
-- 002_auth.sql refuse UPDATE/DELETE/TRUNCATE even to the owner; these privileges keep the hub's role from
-- so much as trying, and from disabling the triggers (only the owner may ALTER the table). For this to
-- hold, the hub must NOT connect as the owner.
REVOKE ALL ON audit_log, audit_head FROM PUBLIC;
REVOKE ALL ON audit_log, audit_head FROM :"app_role";
GRANT SELECT, INSERT ON audit_log TO :"app_role";
GRANT SELECT, UPDATE ON audit_head TO :"app_role";
GRANT SELECT, INSERT, DELETE ON case_members TO :"app_role";
