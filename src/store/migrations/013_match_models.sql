-- Versions of the entity-resolution match model (src/resolution/model.ts): estimated by EM or written
-- by hand, kept for good. `version` is the number an administrator activates (`cirms model activate N`);
-- `model_version` is the model's own version string, which every answer and batch run reports. At most
-- one version is active — the online hub resolves with it, or with the built-in defaults when none is.
-- Activating another retires the active one; retired versions can be activated again (a rollback).
CREATE TABLE match_models (
  version        bigserial   PRIMARY KEY,
  model_version  text        NOT NULL,
  model          jsonb       NOT NULL,
  source         text        NOT NULL,
  metrics        jsonb,
  status         text        NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'retired')),
  created_by     text        NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  activated_at   timestamptz
);
CREATE UNIQUE INDEX match_models_one_active ON match_models (status) WHERE status = 'active';
CREATE INDEX match_models_model_version ON match_models (model_version);
