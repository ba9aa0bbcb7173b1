-- Trader risk rating (src/risk/, issue 6). The risk engine's own copy of what it rates from: traders,
-- their parties (directors, addresses, phones, vehicles), shipments, inspection outcomes, offences,
-- intelligence, and parties under investigation; then rule sets, runs, ratings and reviews.
-- Security labels (level, cases) travel with every input that has them, so a reason derived from data a
-- user may not see is withheld from that user (src/risk/reasons.ts).

CREATE TABLE risk_traders (
  trader_id          bigint      PRIMARY KEY,
  trader_key         text        NOT NULL UNIQUE,
  br                 text,
  name               text,
  trader_type        text,
  registered_on      date,
  address_norm       text,
  aeo                boolean     NOT NULL DEFAULT false,
  business_chapters  smallint[]  NOT NULL DEFAULT '{}',
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX risk_traders_by_br ON risk_traders (br);
CREATE INDEX risk_traders_by_address ON risk_traders (address_norm);

-- Changes of name, address or directors, as the trader register records them.
CREATE TABLE risk_trader_changes (
  trader_id   bigint NOT NULL,
  kind        text   NOT NULL CHECK (kind IN ('name', 'address', 'director')),
  changed_on  date   NOT NULL
);
CREATE INDEX risk_trader_changes_by_trader ON risk_trader_changes (trader_id, changed_on);

-- Who and what stands behind a trader: kind director (a person key, e.g. the HKID), address, phone, vehicle.
CREATE TABLE risk_trader_parties (
  trader_id  bigint NOT NULL,
  kind       text   NOT NULL CHECK (kind IN ('director', 'address', 'phone', 'vehicle')),
  value      text   NOT NULL,
  PRIMARY KEY (trader_id, kind, value)
);
CREATE INDEX risk_trader_parties_by_value ON risk_trader_parties (kind, value);

-- Parties under investigation: a party value (same kinds as above) and the labelled record behind it.
-- trader_id is the trader the party belongs to when the watched subject is a company (that trader's own
-- investigation is not a "link" of itself).
CREATE TABLE risk_watch (
  watch_id   bigserial PRIMARY KEY,
  kind       text      NOT NULL CHECK (kind IN ('director', 'address', 'phone', 'vehicle')),
  value      text      NOT NULL,
  ref        text      NOT NULL,
  trader_id  bigint,
  level      smallint  NOT NULL DEFAULT 0,
  cases      text[]    NOT NULL DEFAULT '{}'
);
CREATE INDEX risk_watch_by_value ON risk_watch (kind, value);

-- Shipment records (road cargo consignments, declarations) of the trader, as shipper or consignee.
CREATE TABLE risk_shipments (
  shipment_id  bigserial PRIMARY KEY,
  trader_id    bigint    NOT NULL,
  ref          text      NOT NULL,
  shipped_on   date      NOT NULL,
  hs_code      text      NOT NULL,
  hs_chapter   smallint  NOT NULL,
  quantity     real,
  value_hkd    real      NOT NULL,
  origin       text,
  route        text
);
CREATE INDEX risk_shipments_by_trader ON risk_shipments (trader_id, shipped_on);

CREATE TABLE risk_inspections (
  inspection_id  bigserial PRIMARY KEY,
  trader_id      bigint    NOT NULL,
  shipment_ref   text,
  inspected_on   date      NOT NULL,
  result         text      NOT NULL CHECK (result IN ('clear', 'irregularity', 'seizure'))
);
CREATE INDEX risk_inspections_by_trader ON risk_inspections (trader_id, inspected_on);
CREATE INDEX risk_inspections_by_date ON risk_inspections (inspected_on);

CREATE TABLE risk_offences (
  trader_id     bigint   NOT NULL,
  ref           text     NOT NULL,
  committed_on  date     NOT NULL,
  kind          text     NOT NULL,
  level         smallint NOT NULL DEFAULT 0,
  cases         text[]   NOT NULL DEFAULT '{}'
);
CREATE INDEX risk_offences_by_trader ON risk_offences (trader_id, committed_on);

-- Intelligence and investigation reports about the trader itself.
CREATE TABLE risk_intel (
  trader_id    bigint   NOT NULL,
  ref          text     NOT NULL,
  kind         text     NOT NULL CHECK (kind IN ('intelligence', 'investigation')),
  reported_on  date     NOT NULL,
  level        smallint NOT NULL DEFAULT 0,
  cases        text[]   NOT NULL DEFAULT '{}'
);
CREATE INDEX risk_intel_by_trader ON risk_intel (trader_id, reported_on);

-- Rule sets: versioned JSON documents (src/risk/rules.ts validates them). draft → active → retired;
-- at most one active version.
CREATE TABLE risk_rule_sets (
  version       serial      PRIMARY KEY,
  name          text        NOT NULL,
  status        text        NOT NULL CHECK (status IN ('draft', 'active', 'retired')),
  document      jsonb       NOT NULL,
  created_by    text        NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  activated_by  text,
  activated_at  timestamptz
);
CREATE UNIQUE INDEX risk_rule_sets_one_active ON risk_rule_sets (status) WHERE status = 'active';

-- Batch re-rating runs and their progress.
CREATE TABLE risk_runs (
  run_id            bigserial   PRIMARY KEY,
  rule_set_version  integer     NOT NULL,
  as_of             date        NOT NULL,
  status            text        NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  requested_by      text        NOT NULL,
  requested_at      timestamptz NOT NULL DEFAULT now(),
  started_at        timestamptz,
  finished_at       timestamptz,
  chunks_total      integer     NOT NULL DEFAULT 0,
  chunks_done       integer     NOT NULL DEFAULT 0,
  traders_total     integer     NOT NULL DEFAULT 0,
  traders_done      integer     NOT NULL DEFAULT 0,
  ratings_changed   integer     NOT NULL DEFAULT 0,
  reviews_opened    integer     NOT NULL DEFAULT 0,
  reference         jsonb,
  error             text
);

-- Every rating that changed something (score, level, reasons or rule-set version): the history.
CREATE TABLE risk_ratings (
  rating_id         bigserial   PRIMARY KEY,
  trader_id         bigint      NOT NULL,
  rule_set_version  integer     NOT NULL,
  run_id            bigint,
  as_of             date        NOT NULL,
  score             real        NOT NULL,
  level             text        NOT NULL,
  reasons           jsonb       NOT NULL,
  rated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX risk_ratings_by_trader ON risk_ratings (trader_id, rating_id);

-- The current rating of each trader, and the officer's decision on it. The effective level is the
-- decided level while the computed level is still the one decided on (decided_for_level); once a
-- re-rating computes another level the decision lapses.
CREATE TABLE risk_current (
  trader_id          bigint      PRIMARY KEY,
  rating_id          bigint      NOT NULL,
  rule_set_version   integer     NOT NULL,
  score              real        NOT NULL,
  level              text        NOT NULL,
  reasons            jsonb       NOT NULL,
  rated_at           timestamptz NOT NULL,
  fingerprint        text        NOT NULL,
  decided_level      text,
  decided_for_level  text,
  decided_review_id  bigint
);

-- The high-risk queue: traders whose level rose or who entered high, for an officer to confirm or override.
CREATE TABLE risk_reviews (
  review_id      bigserial   PRIMARY KEY,
  trader_id      bigint      NOT NULL,
  rating_id      bigint      NOT NULL,
  from_level     text,
  to_level       text        NOT NULL,
  trigger        text        NOT NULL CHECK (trigger IN ('rose', 'entered-high')),
  status         text        NOT NULL CHECK (status IN ('pending', 'confirmed', 'overridden', 'superseded')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  decided_by     text,
  decided_at     timestamptz,
  decided_level  text,
  justification  text
);
CREATE UNIQUE INDEX risk_reviews_one_pending ON risk_reviews (trader_id) WHERE status = 'pending';
CREATE INDEX risk_reviews_by_status ON risk_reviews (status, review_id);

-- Small settings: the rating date pinned by the demo loader, the reference of the last run.
CREATE TABLE risk_settings (
  key    text  PRIMARY KEY,
  value  jsonb NOT NULL
);
