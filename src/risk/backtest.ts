// Backtest: how well would a rule set have picked traders for inspection? Every trader is rated as of
// the start of the period (features read only data dated before it), traders are ranked by score, and
// the ranking is compared with the recorded outcomes of the inspections made during the period:
//
//   evaluated  = traders with ≥ 1 inspection in [from, to)
//   positive   = an evaluated trader with ≥ 1 finding (irregularity or seizure) in the period
//   at budget b% of the evaluated traders, k = max(1, round(b/100 · N)) picked from the top:
//   precision@b = positives among the k / k        recall@b = positives among the k / all positives
//   random selection: precision = base rate P/N, recall = k/N (expected values)
//
// Ties are broken by a fixed hash of the trader id (neither the id order nor the load order).
import type { components } from '../generated/api.ts';
import type { Db } from '../store/db.ts';
import { computeReference, traderFeatures } from './engine.ts';
import type { RuleSetDocument } from './rules.ts';
import { activeRuleSet, getRuleSet } from './rulesets.ts';
import { scoreTrader } from './scorer.ts';

export const DEFAULT_BUDGETS = [1, 2, 5, 10];

/** A backtest's answer, as the contract (openapi/cirms-hub.yaml) states it: `active` is the active
 * version over the same period, when it is another version. */
export type BudgetResult = components['schemas']['RiskBudgetResult'];
export type BacktestResult = components['schemas']['RiskBacktest'];

export class BacktestError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const r4 = (x: number): number => Math.round(x * 10_000) / 10_000;

/** A fixed 32-bit mix of the id, for tie-breaking. */
export function tieBreak(id: number): number {
  let h = Math.imul(id ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Outcomes per inspected trader in [from, to): true when any inspection found something. */
export async function periodOutcomes(db: Pick<Db, 'query'>, from: string, to: string): Promise<Map<number, boolean>> {
  const { rows } = await db.query<{ trader_id: string | number; found: boolean }>(
    `SELECT trader_id, bool_or(result <> 'clear') AS found FROM risk_inspections WHERE inspected_on >= $1 AND inspected_on < $2 GROUP BY trader_id`,
    [from, to],
  );
  return new Map(rows.map((r) => [Number(r.trader_id), r.found]));
}

/** Scores as of `asOf` for the given traders, chunk by chunk over the trader ids. */
export async function scoresAsOf(db: Db, doc: RuleSetDocument, asOf: string, only: ReadonlySet<number>, chunkSize = 20_000): Promise<Map<number, number>> {
  const reference = await computeReference(db, doc.parameters, asOf);
  const ids = [...only].sort((a, b) => a - b);
  const out = new Map<number, number>();
  for (let i = 0; i < ids.length; ) {
    const lo = ids[i] as number;
    const j = Math.min(ids.length, i + chunkSize);
    const hi = ids[j - 1] as number;
    for (const f of await traderFeatures(db, lo, hi, doc.parameters, asOf, reference)) {
      if (only.has(f.traderId)) out.set(f.traderId, scoreTrader(doc, f).score);
    }
    i = j;
  }
  return out;
}

/** precision/recall at each budget for a ranking of the evaluated traders. */
export function evaluate(scores: ReadonlyMap<number, number>, outcomes: ReadonlyMap<number, boolean>, budgets: readonly number[]): BudgetResult[] {
  const ranked = [...outcomes.keys()].sort((a, b) => (scores.get(b) ?? 0) - (scores.get(a) ?? 0) || tieBreak(a) - tieBreak(b) || a - b);
  const n = ranked.length;
  const positives = [...outcomes.values()].filter(Boolean).length;
  return budgets.map((b) => {
    const k = n === 0 ? 0 : Math.max(1, Math.round((b / 100) * n));
    const hits = ranked.slice(0, k).filter((id) => outcomes.get(id)).length;
    return { budgetPct: b, selected: k, hits, precision: k ? r4(hits / k) : 0, recall: positives ? r4(hits / positives) : 0 };
  });
}

export function randomBaseline(n: number, positives: number, budgets: readonly number[]): BudgetResult[] {
  return budgets.map((b) => {
    const k = n === 0 ? 0 : Math.max(1, Math.round((b / 100) * n));
    const hits = n ? (k * positives) / n : 0;
    return { budgetPct: b, selected: k, hits: r4(hits), precision: n ? r4(positives / n) : 0, recall: n ? r4(k / n) : 0 };
  });
}

export async function backtest(db: Db, opts: { ruleSetVersion: number; from: string; to: string; budgets?: number[] }): Promise<BacktestResult> {
  if (!(opts.from < opts.to)) throw new BacktestError(400, 'the period must start before it ends');
  const budgets = opts.budgets ?? DEFAULT_BUDGETS;
  const ruleSet = await getRuleSet(db, opts.ruleSetVersion);
  if (!ruleSet) throw new BacktestError(404, `rule set version ${opts.ruleSetVersion} does not exist`);
  const outcomes = await periodOutcomes(db, opts.from, opts.to);
  const ids = new Set(outcomes.keys());
  const positives = [...outcomes.values()].filter(Boolean).length;
  const candidate = evaluate(await scoresAsOf(db, ruleSet.document, opts.from, ids), outcomes, budgets);
  const active = await activeRuleSet(db);
  const activeResult =
    active && active.version !== ruleSet.version
      ? { ruleSetVersion: active.version, results: evaluate(await scoresAsOf(db, active.document, opts.from, ids), outcomes, budgets) }
      : null;
  return {
    ruleSetVersion: ruleSet.version,
    from: opts.from,
    to: opts.to,
    evaluated: outcomes.size,
    positives,
    baseRate: outcomes.size ? r4(positives / outcomes.size) : 0,
    candidate,
    random: randomBaseline(outcomes.size, positives, budgets),
    active: activeResult,
  };
}
