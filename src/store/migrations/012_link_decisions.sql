-- Officers' judgements on whether two records (`source:key`) are about the same subject. The engine
-- obeys the latest decision for a pair; earlier ones are kept as the history. A pair is stored with
-- record_a < record_b so each pair has one spelling.
CREATE TABLE link_decisions (
  id          bigserial   PRIMARY KEY,
  record_a    text        NOT NULL,
  record_b    text        NOT NULL CHECK (record_a < record_b),
  decision    text        NOT NULL CHECK (decision IN ('confirm', 'reject')),
  reason      text        NOT NULL CHECK (btrim(reason) <> ''),
  decided_by  text        NOT NULL,
  decided_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX link_decisions_a ON link_decisions (record_a, id DESC);
CREATE INDEX link_decisions_b ON link_decisions (record_b, id DESC);
