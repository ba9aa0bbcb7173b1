// The match model: for every compared field, the probability of each agreement level among pairs that
// are the same subject (m) and among pairs that are not (u), in the Fellegi–Sunter sense. A level's
// weight is log2(m/u) — how many times likelier the observation is for a match, in bits; a missing
// value weighs 0. The score of a pair is the sum of its fields' weights, and two thresholds turn it into
// a decision: link at or above `link`, a possible match (for an officer) at or above `possible`.
//
// The model is data: versioned, serialisable, estimated from unlabelled data by em.ts, stored by the
// caller. DEFAULT_MODEL holds sensible values for Hong Kong records.

export type Level = 'exact' | 'close' | 'different' | 'missing';

export interface MU {
  m: number;
  u: number;
}

export interface FieldParams {
  exact: MU;
  close?: MU;
  different: MU;
}

/** Fields the comparators score. Identifier schemes other than the known ones share `identifier`. */
export const MODEL_FIELDS = [
  'hkid',
  'passport',
  'br',
  'cr',
  'vehicle_mark',
  'identifier',
  'surname',
  'given',
  'dateOfBirth',
  'phone',
  'address',
  'companyName',
] as const;
export type ModelField = (typeof MODEL_FIELDS)[number];

/** Fields em.ts re-estimates; identifiers keep their defaults (too rare among blocked pairs to learn). */
export const ESTIMATED_FIELDS: readonly ModelField[] = ['surname', 'given', 'dateOfBirth', 'phone', 'address', 'companyName'];

export interface MatchModel {
  /** Changes whenever a parameter does: `default-1`, or `em-<date>-<hash>` from em.ts. */
  version: string;
  fields: Record<ModelField, FieldParams>;
  thresholds: { link: number; possible: number };
  /** How the model was made (defaults, or EM over n pairs with λ). */
  trainedOn?: string;
}

export const DEFAULT_MODEL: MatchModel = {
  version: 'default-1',
  fields: {
    // A valid HKID is issued once: agreement is decisive, two different valid ones never merge (a hard
    // constraint in cluster.ts, not a weight). `close` = same letters and digits, one check character
    // invalid: a typing slip, strong evidence but capped below the link threshold on its own.
    hkid: { exact: { m: 0.97, u: 1e-7 }, close: { m: 0.015, u: 2e-4 }, different: { m: 0.01, u: 0.99 } },
    // Passports are renewed with new numbers: disagreement says little.
    passport: { exact: { m: 0.9, u: 1e-7 }, close: { m: 0.01, u: 1e-4 }, different: { m: 0.3, u: 0.99 } },
    br: { exact: { m: 0.95, u: 1e-7 }, close: { m: 0.01, u: 2e-4 }, different: { m: 0.01, u: 0.99 } },
    cr: { exact: { m: 0.95, u: 1e-7 }, close: { m: 0.01, u: 2e-4 }, different: { m: 0.01, u: 0.99 } },
    vehicle_mark: { exact: { m: 0.98, u: 1e-7 }, different: { m: 0.01, u: 0.99 } },
    identifier: { exact: { m: 0.9, u: 1e-4 }, different: { m: 0.5, u: 0.99 } },
    // Surname agreement is term-frequency adjusted: u is the surname's frequency (CHAN 8 %).
    surname: { exact: { m: 0.93, u: 0.02 }, close: { m: 0.05, u: 0.02 }, different: { m: 0.02, u: 0.96 } },
    given: { exact: { m: 0.85, u: 0.0015 }, close: { m: 0.12, u: 0.01 }, different: { m: 0.03, u: 0.99 } },
    dateOfBirth: { exact: { m: 0.96, u: 5.5e-5 }, close: { m: 0.025, u: 0.0015 }, different: { m: 0.015, u: 0.998 } },
    // Agreement is adjusted for how many differently named subjects share the value (a family's
    // landline, a registered-office address).
    phone: { exact: { m: 0.6, u: 1e-5 }, different: { m: 0.35, u: 0.999 } },
    address: { exact: { m: 0.55, u: 5e-5 }, close: { m: 0.15, u: 0.003 }, different: { m: 0.3, u: 0.99 } },
    companyName: { exact: { m: 0.85, u: 5e-7 }, close: { m: 0.08, u: 5e-4 }, different: { m: 0.02, u: 0.999 } },
  },
  thresholds: { link: 18, possible: 10 },
  trainedOn: 'defaults: hand-set for Hong Kong records',
};

const LOG2 = Math.log2;

/** Precomputed weights, so comparators do no logarithms. */
export interface Weights {
  model: MatchModel;
  w: Record<ModelField, { exact: number; close: number; different: number }>;
  /** m of exact agreement per field, for term-frequency adjusted weights: log2(m / frequency). */
  mExact: Record<ModelField, number>;
}

export function weightsOf(model: MatchModel): Weights {
  const w = {} as Weights['w'];
  const mExact = {} as Weights['mExact'];
  for (const f of MODEL_FIELDS) {
    const p = model.fields[f];
    w[f] = {
      exact: LOG2(p.exact.m / p.exact.u),
      close: p.close ? LOG2(p.close.m / p.close.u) : 0,
      different: LOG2(p.different.m / p.different.u),
    };
    mExact[f] = p.exact.m;
  }
  return { model, w, mExact };
}

export const DEFAULT_WEIGHTS = weightsOf(DEFAULT_MODEL);

/** Checks a model read from storage; throws with the first problem. */
export function parseModel(json: unknown): MatchModel {
  const m = json as MatchModel;
  if (typeof m !== 'object' || m === null || typeof m.version !== 'string') throw new Error('model: version missing');
  if (typeof m.thresholds?.link !== 'number' || typeof m.thresholds.possible !== 'number') throw new Error('model: thresholds missing');
  if (m.thresholds.possible > m.thresholds.link) throw new Error('model: possible threshold above link threshold');
  for (const f of MODEL_FIELDS) {
    const p = m.fields?.[f];
    if (!p) throw new Error(`model: field ${f} missing`);
    for (const level of ['exact', 'close', 'different'] as const) {
      const mu = p[level];
      if (mu === undefined && level === 'close') continue;
      if (!mu || !(mu.m > 0 && mu.m <= 1 && mu.u > 0 && mu.u <= 1)) throw new Error(`model: ${f}.${level} needs 0 < m, u ≤ 1`);
    }
  }
  return m;
}
