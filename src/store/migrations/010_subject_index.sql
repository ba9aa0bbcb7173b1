-- Subjects the hub has answered with, by their stable id, and how to find each again (its strongest
-- identifier, or its name): what GET /v1/subjects/{id} re-asks the sources. It holds no facts about the
-- subject itself — those stay in the sources, behind need-to-know.
CREATE TABLE subject_index (
  subject_id  text        PRIMARY KEY,
  type        text        NOT NULL CHECK (type IN ('person', 'company', 'vehicle')),
  basis       jsonb       NOT NULL,
  first_seen  timestamptz NOT NULL DEFAULT now(),
  last_seen   timestamptz NOT NULL DEFAULT now()
);
