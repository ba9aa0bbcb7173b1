// Estimating the match model from unlabelled data, as Splink does:
//   - u (how often a field agrees by chance) from random pairs of records of one type;
//   - m (how often it agrees for the same subject) and the share of matches λ by expectation–
//     maximisation over blocked candidate pairs: each pair's match probability from the current
//     parameters (E), then m as the probability-weighted level frequencies (M), until stable.
//
// What makes it usable on customs data, where the blocked pairs mix true matches with relatives
// (father and son at one flat) and group companies (X Trading Ltd / X (HK) Ltd at one office):
//   - λ per subject type: persons and companies have different shares of matches among their pairs;
//     fields shared by both types (phone, address) pool their expected counts over the two.
//   - Hard constraints are labels: two different valid HKIDs / BR / CR numbers are never one subject
//     (as in the engine), so those pairs are non-matches in every E step. Identifier fields keep their
//     fixed weights and so anchor the match class to "same subject" rather than "same name".
//   - u is not taken raw from random pairs: on records with many rows per subject (a company's ninety
//     ROCARS declarations) a random pair is often the same subject. Each random pair counts towards u
//     by its probability of being a non-match under the current parameters, with the prior share of
//     matches among all pairs of the type (expected matches among blocked pairs / all pairs).
//   - A parameter the data cannot tell from the starting model keeps the starting value: when the
//     level was seen fewer than 10 times (weighted), or the start lies within the estimate's interval
//     (Wilson, z = 2, over the effective number of pairs) — e.g. chance agreement on a company name,
//     about 3 in a million pairs, which a sample of 100,000 pairs sees 0, 1 or 2 times. Term-frequency
//     adjusted exact agreement (surname, phone, address) keeps its u: the adjustment is the u.
//   - Thresholds are not estimated: the start's are kept.
// Identifier fields keep their defaults (valid identifiers are rarely shared by chance and rarely
// disagree for one subject; too few pairs show it to learn it). The result is a new versioned model.

import { hash } from 'node:crypto';
import type { SubjectType } from '../model/record.ts';
import { blockPairs } from './blocking.ts';
import { comparePair, type CompareContext } from './compare.ts';
import { measureFrequencies } from './frequencies.ts';
import { DEFAULT_MODEL, ESTIMATED_FIELDS, weightsOf, type FieldParams, type Level, type MatchModel, type ModelField } from './model.ts';
import type { Prepared } from './prepare.ts';

export interface EstimateOptions {
  /** Starting point and the parameters not estimated (default DEFAULT_MODEL). */
  start?: MatchModel;
  /** Random pairs for u, shared between the subject types (default 200,000). */
  randomPairs?: number;
  /** Blocked pairs used for EM, at most (default 500,000). */
  maxPairs?: number;
  /** EM iterations at most (default 25). */
  iterations?: number;
  seed?: number;
  maxBlock?: number;
  /** Keep a start value the data cannot tell apart from the estimate (default true). */
  pin?: boolean;
}

export interface TypeEstimate {
  type: SubjectType;
  /** Blocked pairs of the type used for EM; of them, non-matches by a hard constraint. */
  pairs: number;
  hard: number;
  randomPairs: number;
  /** Share of matches among the blocked pairs, and its prior among all pairs of the type. */
  lambda: number;
  lambdaRandom: number;
}

export interface Estimate {
  model: MatchModel;
  /** Share of matches among all blocked pairs used. */
  lambda: number;
  iterations: number;
  converged: boolean;
  pairs: number;
  byType: TypeEstimate[];
  /** `field.level.m|u` kept at the start value (not identifiable from this data). */
  pinned: string[];
}

/** The fields each subject type's comparisons produce. */
export const FIELDS_BY_TYPE: Record<SubjectType, readonly ModelField[]> = {
  person: ['surname', 'given', 'dateOfBirth', 'phone', 'address'],
  company: ['companyName', 'phone', 'address'],
  vehicle: [],
};

const LEVEL_OF: Level[] = ['missing', 'exact', 'close', 'different'];
const CODE: Record<Level, number> = { missing: 0, exact: 1, close: 2, different: 3 };
/** Term-frequency adjusted at exact agreement: the u of `exact` is the measured frequency, not a parameter. */
const TF_ADJUSTED = new Set<ModelField>(['surname', 'phone', 'address']);

/** Compared pairs, compactly: type index, identifier (fixed) weight, hard flag, one level code per field. */
class PairSet {
  readonly type: Uint8Array;
  readonly fixed: Float64Array;
  readonly hard: Uint8Array;
  readonly levels: Uint8Array;
  length = 0;
  readonly f: number;
  constructor(capacity: number, f: number) {
    this.f = f;
    this.type = new Uint8Array(capacity);
    this.fixed = new Float64Array(capacity);
    this.hard = new Uint8Array(capacity);
    this.levels = new Uint8Array(capacity * f);
  }
}

export function estimateModel(all: readonly Prepared[], options: EstimateOptions = {}): Estimate {
  const start = options.start ?? DEFAULT_MODEL;
  const pin = options.pin ?? true;
  // One record per distinct content: a thousand identical consignment rows are one observation.
  const seen = new Set<string>();
  const prepared = all.filter((p) => !seen.has(p.signature) && seen.add(p.signature));
  seen.clear();
  const ctx: CompareContext = { weights: weightsOf(start), tf: measureFrequencies(prepared) };
  const fields = ESTIMATED_FIELDS;
  const f = fields.length;
  const fieldIndex = new Map(fields.map((x, i) => [x, i]));
  const types = (Object.keys(FIELDS_BY_TYPE) as SubjectType[]).filter((t) => FIELDS_BY_TYPE[t].some((x) => fieldIndex.has(x)));
  const typeIndex = new Map(types.map((t, i) => [t, i]));

  const record = (set: PairSet, a: Prepared, b: Prepared) => {
    const t = typeIndex.get(a.type);
    if (t === undefined || a.type !== b.type) return;
    const c = comparePair(a, b, ctx);
    // Fields not estimated (identifiers) count with their fixed weights.
    let rest = c.score;
    for (const field of fields) {
      const level = c.levels[field];
      if (level !== undefined) rest -= fieldWeight(ctx, field, level);
    }
    const k = set.length++;
    set.type[k] = t;
    set.fixed[k] = rest;
    set.hard[k] = c.hard ? 1 : 0;
    for (let i = 0; i < f; i++) set.levels[k * f + i] = CODE[c.levels[fields[i] as ModelField] ?? 'missing'];
  };

  // --- random pairs of one type, for u.
  const rng = mulberry(options.seed ?? 1);
  const byType = types.map(() => [] as number[]);
  prepared.forEach((p, i) => byType[typeIndex.get(p.type) ?? -1]?.push(i));
  const sampled = byType.map((l, t) => ({ t, l })).filter(({ l }) => l.length > 1);
  const randomPairs = options.randomPairs ?? 200_000;
  const random = new PairSet(randomPairs, f);
  for (let k = 0; k < randomPairs && sampled.length > 0; k++) {
    const list = (sampled[k % sampled.length] as { l: number[] }).l;
    const a = list[Math.floor(rng() * list.length)] as number;
    const b = list[Math.floor(rng() * list.length)] as number;
    if (a !== b) record(random, prepared[a] as Prepared, prepared[b] as Prepared);
  }

  // --- blocked pairs, for m and λ.
  const { pairs } = blockPairs(prepared, options.maxBlock ?? 100);
  const n = prepared.length;
  const take = Math.min(pairs.length, options.maxPairs ?? 500_000);
  const stride = pairs.length / Math.max(1, take);
  const blocked = new PairSet(take, f);
  for (let k = 0; k < take; k++) {
    const packed = pairs[Math.floor(k * stride)] as number;
    record(blocked, prepared[Math.floor(packed / n)] as Prepared, prepared[packed % n] as Prepared);
  }
  const scale = pairs.length / Math.max(1, take);
  const allPairs = byType.map((l) => (l.length * (l.length - 1)) / 2);

  // --- EM. m[i][level], u[i][level] for level codes 1..3; index 0 unused.
  const startRow = (field: ModelField, which: 'm' | 'u') => {
    const p = start.fields[field] as FieldParams;
    return [0, p.exact[which], p.close?.[which] ?? 0, p.different[which]];
  };
  let m = fields.map((x) => startRow(x, 'm'));
  let u = fields.map((x) => startRow(x, 'u'));
  const hasClose = fields.map((x) => start.fields[x].close !== undefined);
  const lambda = types.map(() => 0.3);
  const lambdaRandom = types.map(() => 1e-4);
  const pBlocked = new Float64Array(blocked.length);
  const pRandom = new Float64Array(random.length);
  const pinned = new Set<string>();
  const iterations = options.iterations ?? 25;
  let done = 0;
  let converged = false;
  for (let it = 0; it < iterations; it++) {
    done++;
    // E: match probability of every blocked and every random pair.
    posterior(blocked, lambda, m, u, hasClose, pBlocked);
    posterior(random, lambdaRandom, m, u, hasClose, pRandom);
    // M: m from blocked pairs weighted by p; u from random pairs weighted by 1 − p.
    const mCounts = counts(blocked, pBlocked, false);
    const uCounts = counts(random, pRandom, true);
    pinned.clear();
    const nextM = fields.map((field, i) => fit(`${field}`, 'm', mCounts[i] as number[], startRow(field, 'm'), hasClose[i] as boolean, pin, pinned, new Set()));
    const nextU = fields.map((field, i) => fit(`${field}`, 'u', uCounts[i] as number[], startRow(field, 'u'), hasClose[i] as boolean, pin, pinned, TF_ADJUSTED.has(field) ? new Set([1]) : new Set()));
    const matches = types.map(() => 0);
    const totals = types.map(() => 0);
    for (let k = 0; k < blocked.length; k++) {
      const t = blocked.type[k] as number;
      matches[t] = (matches[t] ?? 0) + (pBlocked[k] as number);
      totals[t] = (totals[t] ?? 0) + 1;
    }
    types.forEach((_, t) => {
      lambda[t] = clampP((matches[t] ?? 0) / Math.max(1, totals[t] ?? 0), 1e-6, 0.99);
      lambdaRandom[t] = clampP(((matches[t] ?? 0) * scale) / Math.max(1, allPairs[t] ?? 1), 1e-9, 0.5);
    });
    const change = Math.max(
      ...nextM.flatMap((row, i) => row.map((x, l) => Math.abs(x - ((m[i] as number[])[l] ?? 0)))),
      ...nextU.flatMap((row, i) => row.map((x, l) => Math.abs(x - ((u[i] as number[])[l] ?? 0)))),
    );
    m = nextM;
    u = nextU;
    if (change < 1e-5) {
      converged = true;
      break;
    }
  }

  const params = structuredClone(start.fields) as Record<ModelField, FieldParams>;
  fields.forEach((field, i) => {
    const p = params[field];
    const mu = (level: number) => ({ m: clampP((m[i] as number[])[level] ?? 0), u: clampP((u[i] as number[])[level] ?? 0) });
    p.exact = mu(1);
    if (p.close) p.close = mu(2);
    p.different = mu(3);
  });
  const body = JSON.stringify({ fields: params, thresholds: start.thresholds });
  const totalP = pBlocked.reduce((s, x) => s + x, 0);
  const byTypeOut: TypeEstimate[] = types.map((type, t) => {
    let count = 0;
    let hard = 0;
    let rnd = 0;
    for (let k = 0; k < blocked.length; k++) if (blocked.type[k] === t) (count++, (hard += blocked.hard[k] as number));
    for (let k = 0; k < random.length; k++) if (random.type[k] === t) rnd++;
    return { type, pairs: count, hard, randomPairs: rnd, lambda: lambda[t] as number, lambdaRandom: lambdaRandom[t] as number };
  });
  const lambdas = byTypeOut.map((x) => `${x.type} ${x.lambda.toFixed(3)}`).join(', ');
  const model: MatchModel = {
    version: `em-${new Date().toISOString().slice(0, 10)}-${hash('sha256', body, 'hex').slice(0, 8)}`,
    fields: params,
    thresholds: { ...start.thresholds },
    trainedOn:
      `EM over ${blocked.length} blocked pairs of ${prepared.length} distinct records (λ ${lambdas}; ${done} iterations${converged ? '' : ', not converged'}), ` +
      `u from ${random.length} random pairs weighted by non-match probability; ${pinned.size} parameters kept from ${start.version}; thresholds of ${start.version}`,
  };
  return { model, lambda: totalP / Math.max(1, blocked.length), iterations: done, converged, pairs: blocked.length, byType: byTypeOut, pinned: [...pinned].sort() };
}

function posterior(set: PairSet, prior: number[], m: number[][], u: number[][], hasClose: boolean[], out: Float64Array): void {
  const f = set.f;
  // log2 likelihood ratio per field and level, computed once per iteration.
  const lr = m.map((row, i) => row.map((x, l) => (l === 0 || (l === 2 && !hasClose[i]) ? 0 : Math.log2(x / ((u[i] as number[])[l] ?? 1)))));
  const logPrior = prior.map((x) => Math.log2(x / (1 - x)));
  for (let k = 0; k < set.length; k++) {
    if (set.hard[k]) {
      out[k] = 0;
      continue;
    }
    let log = (logPrior[set.type[k] as number] ?? 0) + (set.fixed[k] as number);
    for (let i = 0; i < f; i++) {
      const l = set.levels[k * f + i] as number;
      if (l !== 0) log += (lr[i] as number[])[l] ?? 0;
    }
    out[k] = 1 / (1 + 2 ** -Math.max(-60, Math.min(60, log)));
  }
}

/** Weighted level counts per field: by p (matches) or by 1 − p (non-matches). */
function counts(set: PairSet, p: Float64Array, nonMatch: boolean): number[][] {
  const f = set.f;
  const out = Array.from({ length: f }, () => [0, 0, 0, 0]);
  for (let k = 0; k < set.length; k++) {
    const w = nonMatch ? 1 - (p[k] as number) : (p[k] as number);
    for (let i = 0; i < f; i++) {
      const l = set.levels[k * f + i] as number;
      if (l !== 0) (out[i] as number[])[l] = ((out[i] as number[])[l] ?? 0) + w;
    }
  }
  return out;
}

/**
 * Level probabilities from weighted counts. A level seen fewer than MIN_OBSERVED times, or whose start
 * value lies within the estimate's Wilson interval (z = 2), keeps the start value, as do the levels in
 * `fixed`; the free levels share what the kept ones leave.
 */
function fit(field: string, which: 'm' | 'u', c: number[], startRow: number[], hasClose: boolean, pin: boolean, pinned: Set<string>, fixed: Set<number>): number[] {
  const levels = hasClose ? [1, 2, 3] : [1, 3];
  const n = levels.reduce((s, l) => s + (c[l] ?? 0), 0);
  const out = [0, 0, 0, 0];
  if (n < 1) {
    for (const l of levels) out[l] = startRow[l] ?? 0;
    for (const l of levels) pinned.add(`${field}.${LEVEL_OF[l]}.${which}`);
    return out;
  }
  const keep = new Set<number>();
  for (const l of levels) {
    const s = startRow[l] ?? 0;
    if (fixed.has(l) || (pin && ((c[l] ?? 0) < MIN_OBSERVED || withinWilson((c[l] ?? 0) / n, n, s)))) keep.add(l);
  }
  // Everything kept but one level: that level is determined by the others, keep it too.
  const free = levels.filter((l) => !keep.has(l));
  const keptMass = [...keep].reduce((s, l) => s + (startRow[l] ?? 0), 0);
  const freeMass = free.reduce((s, l) => s + (c[l] ?? 0), 0);
  for (const l of levels) {
    if (keep.has(l)) {
      out[l] = startRow[l] ?? 0;
      if (!fixed.has(l)) pinned.add(`${field}.${LEVEL_OF[l]}.${which}`);
    } else {
      // Smoothed share of the mass the kept levels leave.
      out[l] = clampP((Math.max(0, 1 - keptMass) * ((c[l] ?? 0) + 0.01)) / (freeMass + 0.01 * free.length));
    }
  }
  return out;
}

/** Fewer (weighted) observations of a level than this say too little to replace the start value. */
const MIN_OBSERVED = 10;

/** True when `x` lies within the Wilson score interval (z = 2) of proportion `p` over `n` trials. */
export function withinWilson(p: number, n: number, x: number): boolean {
  const z2 = 4;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (2 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return x >= centre - half && x <= centre + half;
}

function fieldWeight(ctx: CompareContext, field: ModelField, level: Level): number {
  const w = ctx.weights.w[field];
  // Approximate for term-frequency adjusted exact agreement: the unadjusted weight.
  return level === 'exact' ? w.exact : level === 'close' ? w.close : level === 'different' ? w.different : 0;
}

function clampP(x: number, lo = 1e-7, hi = 0.999999): number {
  return Math.min(hi, Math.max(lo, x));
}

function mulberry(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
