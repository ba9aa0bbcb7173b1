-- Every version of every source definition is kept: who changed it, when, and from where.
-- The current definition of a source is its highest version; a deleted source has a tombstone version.
CREATE TABLE source_definitions (
  id          text        NOT NULL,
  version     integer     NOT NULL,
  definition  jsonb       NOT NULL,
  enabled     boolean     NOT NULL,
  deleted     boolean     NOT NULL DEFAULT false,
  origin      text        NOT NULL CHECK (origin IN ('config', 'api')),
  changed_by  text        NOT NULL,
  changed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, version)
);
