// Estimating the match model from unlabelled data, as Splink does:
//   - u (how often a field agrees by chance) from random pairs of records of one type, nearly all of
//     which are different subjects;
//   - m (how often it agrees for the same subject) and the share of matches λ by expectation–
//     maximisation over blocked candidate pairs: each pair's match probability from the current
//     parameters (E), then m as the probability-weighted level frequencies (M), until stable.
// Identifier fields keep their defaults (valid identifiers are rarely shared by chance and rarely
// disagree for one subject; too few pairs show it to learn it). The result is a new versioned model.

import { hash } from 'node:crypto';
import { blockPairs } from './blocking.ts';
import { comparePair, type CompareContext } from './compare.ts';
import { measureFrequencies } from './frequencies.ts';
import { DEFAULT_MODEL, ESTIMATED_FIELDS, weightsOf, type FieldParams, type Level, type MatchModel, type ModelField } from './model.ts';
import type { Prepared } from './prepare.ts';

export interface EstimateOptions {
  /** Starting point and the parameters not estimated (default DEFAULT_MODEL). */
  start?: MatchModel;
  /** Random pairs for u (default 200,000). */
  randomPairs?: number;
  /** Blocked pairs used for EM, at most (default 500,000). */
  maxPairs?: number;
  iterations?: number;
  seed?: number;
  maxBlock?: number;
}

export interface Estimate {
  model: MatchModel;
  lambda: number;
  iterations: number;
  pairs: number;
}

const LEVELS: Level[] = ['exact', 'close', 'different'];
const CODE: Record<Level, number> = { missing: 0, exact: 1, close: 2, different: 3 };

export function estimateModel(all: readonly Prepared[], options: EstimateOptions = {}): Estimate {
  const start = options.start ?? DEFAULT_MODEL;
  // One record per distinct content: a thousand identical consignment rows are one observation.
  const seen = new Set<string>();
  const prepared = all.filter((p) => !seen.has(p.signature) && seen.add(p.signature));
  seen.clear();
  const ctx: CompareContext = { weights: weightsOf(start), tf: measureFrequencies(prepared) };
  const fields = ESTIMATED_FIELDS;
  const f = fields.length;

  // --- u from random pairs of one type.
  const rng = mulberry(options.seed ?? 1);
  const byType = new Map<string, number[]>();
  prepared.forEach((p, i) => (byType.get(p.type) ?? byType.set(p.type, []).get(p.type))?.push(i));
  const uCounts = fields.map(() => [0, 0, 0, 0]);
  const randomPairs = options.randomPairs ?? 200_000;
  const types = [...byType.values()].filter((l) => l.length > 1);
  for (let k = 0; k < randomPairs && types.length > 0; k++) {
    const list = types[k % types.length] as number[];
    const a = list[Math.floor(rng() * list.length)] as number;
    const b = list[Math.floor(rng() * list.length)] as number;
    if (a === b) continue;
    const c = comparePair(prepared[a] as Prepared, prepared[b] as Prepared, ctx);
    fields.forEach((field, i) => { const row = uCounts[i] as number[]; const l = CODE[c.levels[field] ?? "missing"]; row[l] = (row[l] ?? 0) + 1; });
  }

  // --- levels of blocked pairs.
  const { pairs } = blockPairs(prepared, options.maxBlock ?? 100);
  const n = prepared.length;
  const take = Math.min(pairs.length, options.maxPairs ?? 500_000);
  const stride = pairs.length / Math.max(1, take);
  const levels = new Uint8Array(take * f);
  const fixed = new Float64Array(take);
  let used = 0;
  for (let k = 0; k < take; k++) {
    const packed = pairs[Math.floor(k * stride)] as number;
    const a = prepared[Math.floor(packed / n)] as Prepared;
    const b = prepared[packed % n] as Prepared;
    if (a.type !== b.type) continue;
    const c = comparePair(a, b, ctx);
    // Fields not estimated (identifiers) count with their fixed weights.
    let rest = c.score;
    for (const field of fields) if (c.levels[field] !== undefined) rest -= fieldWeight(ctx, field, c.levels[field] as Level);
    fixed[used] = rest;
    fields.forEach((field, i) => (levels[used * f + i] = CODE[c.levels[field] ?? 'missing']));
    used++;
  }

  // --- EM for m and λ.
  const params: Record<string, FieldParams> = structuredClone(start.fields);
  const u = fields.map((_, i) => {
    const counts = uCounts[i] as number[];
    const present = (counts[1] ?? 0) + (counts[2] ?? 0) + (counts[3] ?? 0);
    // Laplace smoothing; exact agreement by chance is rare, keep it from being 0.
    return [0, ...[1, 2, 3].map((l) => ((counts[l] ?? 0) + 0.5) / (present + 1.5))];
  });
  let m = fields.map((field) => {
    const p = params[field] as FieldParams;
    return [0, p.exact.m, p.close?.m ?? 0.01, p.different.m];
  });
  let lambda = 0.3;
  const iterations = options.iterations ?? 15;
  let done = 0;
  for (let it = 0; it < iterations; it++) {
    done++;
    const sums = fields.map(() => [0, 0, 0, 0]);
    let total = 0;
    for (let k = 0; k < used; k++) {
      let log = Math.log2(lambda / (1 - lambda)) + (fixed[k] ?? 0);
      for (let i = 0; i < f; i++) {
        const l = levels[k * f + i] ?? 0;
        if (l === 0) continue;
        log += Math.log2(((m[i] as number[])[l] ?? 1e-6) / ((u[i] as number[])[l] ?? 1e-6));
      }
      const p = 1 / (1 + 2 ** -Math.max(-60, Math.min(60, log)));
      total += p;
      for (let i = 0; i < f; i++) {
        const l = levels[k * f + i] ?? 0;
        if (l !== 0) (sums[i] as number[])[l] = ((sums[i] as number[])[l] ?? 0) + p;
      }
    }
    const next = sums.map((s) => {
      const present = (s[1] ?? 0) + (s[2] ?? 0) + (s[3] ?? 0);
      return [0, ...[1, 2, 3].map((l) => ((s[l] ?? 0) + 0.01) / (present + 0.03))];
    });
    const change = Math.max(...next.flatMap((row, i) => row.map((x, l) => Math.abs(x - ((m[i] as number[])[l] ?? 0)))));
    m = next;
    lambda = Math.min(0.99, Math.max(1e-6, total / Math.max(1, used)));
    if (change < 1e-4) break;
  }

  fields.forEach((field: ModelField, i) => {
    const p = params[field] as FieldParams;
    const mu = (level: number) => ({ m: clamp((m[i] as number[])[level] ?? 0), u: clamp((u[i] as number[])[level] ?? 0) });
    p.exact = mu(1);
    if (p.close) p.close = mu(2);
    p.different = mu(3);
    // Term-frequency adjusted fields keep their default u for exact agreement (the adjustment is the u).
    if (field === 'surname' || field === 'phone' || field === 'address') p.exact.u = (start.fields[field] as FieldParams).exact.u;
    void LEVELS;
  });
  const body = JSON.stringify({ fields: params, thresholds: start.thresholds });
  const model: MatchModel = {
    version: `em-${new Date().toISOString().slice(0, 10)}-${hash('sha256', body, 'hex').slice(0, 8)}`,
    fields: params as MatchModel['fields'],
    thresholds: start.thresholds,
    trainedOn: `EM over ${used} blocked pairs of ${prepared.length} distinct records (λ ${lambda.toFixed(3)}, ${done} iterations), u from ${randomPairs} random pairs`,
  };
  return { model, lambda, iterations: done, pairs: used };
}

function fieldWeight(ctx: CompareContext, field: ModelField, level: Level): number {
  const w = ctx.weights.w[field];
  // Approximate for term-frequency adjusted exact agreement: the unadjusted weight.
  return level === 'exact' ? w.exact : level === 'close' ? w.close : level === 'different' ? w.different : 0;
}

function clamp(x: number): number {
  return Math.min(0.999999, Math.max(1e-7, x));
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
