import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backtest, evaluate, randomBaseline } from '../../src/risk/backtest.ts';
import type { RiskInspection, RiskOffence } from '../../src/risk/load.ts';
import { DEFAULT_RULE_SET } from '../../src/risk/rules.ts';
import { createRuleSet } from '../../src/risk/rulesets.ts';
import type { Db } from '../../src/store/db.ts';
import { load, riskDb, trader } from './support.ts';

// The hand-computed case. Rule set: offences ≥ 1, ≥ 2, ≥ 3, 10 points each, so score = 10 · min(offences, 3).
// Period [2025-07-01, 2026-01-01). Inspected in the period: traders 1–10.
//   offences: t1 3, t2 2, t3 1, t4…t10 0      → ranking t1 (30), t2 (20), t3 (10), then the rest (0)
//   findings in the period: t1, t3, t4        → N = 10, P = 3, base rate 0.3
//   t5's seizure was before the period (not an outcome); t11 has 3 offences but no inspection in the period.
//   10 % → k = 1: {t1}          1 hit  precision 1       recall 1/3
//   20 % → k = 2: {t1, t2}      1 hit  precision 0.5     recall 1/3
//   30 % → k = 3: {t1, t2, t3}  2 hits precision 2/3     recall 2/3
//   random: precision 0.3 at every budget; recall k/N = 0.1, 0.2, 0.3
const OFFENCES: [number, number][] = [
  [1, 3],
  [2, 2],
  [3, 1],
  [11, 3],
];
const FOUND = new Set([1, 3, 4]);

let db: Db;
let version: number;

beforeAll(async () => {
  db = await riskDb();
  const offences: RiskOffence[] = OFFENCES.flatMap(([t, n]) =>
    Array.from({ length: n }, (_, i) => ({ traderId: t, ref: `O${t}-${i}`, committedOn: '2024-01-01', kind: 'x', level: 0, cases: [] })),
  );
  const inspections: RiskInspection[] = Array.from({ length: 10 }, (_, i) => ({
    traderId: i + 1,
    shipmentRef: null,
    inspectedOn: '2025-09-01',
    result: FOUND.has(i + 1) ? 'irregularity' : 'clear',
  }));
  inspections.push({ traderId: 5, shipmentRef: null, inspectedOn: '2025-01-01', result: 'seizure' });
  await load(db, { traders: Array.from({ length: 11 }, (_, i) => trader(i + 1)), offences, inspections });
  const doc = {
    ...DEFAULT_RULE_SET,
    name: 'offences only',
    rules: [1, 2, 3].map((n) => ({ code: `OFFENCES_${n}`, feature: 'offences', op: '>=', value: n, weight: 10, text: '{value} offences' })),
  };
  version = (await createRuleSet(db, doc, 'tester')).version;
});

afterAll(() => db.close());

describe('backtest', () => {
  it('matches the hand-computed precision and recall, beside random selection and the active version', async () => {
    const r = await backtest(db, { ruleSetVersion: version, from: '2025-07-01', to: '2026-01-01', budgets: [10, 20, 30] });
    expect(r).toMatchObject({ ruleSetVersion: version, evaluated: 10, positives: 3, baseRate: 0.3 });
    expect(r.candidate).toEqual([
      { budgetPct: 10, selected: 1, hits: 1, precision: 1, recall: 0.3333 },
      { budgetPct: 20, selected: 2, hits: 1, precision: 0.5, recall: 0.3333 },
      { budgetPct: 30, selected: 3, hits: 2, precision: 0.6667, recall: 0.6667 },
    ]);
    expect(r.random.map((x) => [x.precision, x.recall])).toEqual([
      [0.3, 0.1],
      [0.3, 0.2],
      [0.3, 0.3],
    ]);
    expect(r.active?.ruleSetVersion).toBe(1);
    expect(r.active?.results).toHaveLength(3);
  });

  it('refuses an empty period and an unknown version', async () => {
    await expect(backtest(db, { ruleSetVersion: version, from: '2026-01-01', to: '2025-01-01' })).rejects.toMatchObject({ status: 400 });
    await expect(backtest(db, { ruleSetVersion: 99, from: '2025-01-01', to: '2026-01-01' })).rejects.toMatchObject({ status: 404 });
  });

  it('evaluate and randomBaseline on their own', () => {
    const outcomes = new Map([
      [1, true],
      [2, false],
      [3, false],
      [4, true],
    ]);
    const scores = new Map([
      [1, 5],
      [2, 4],
      [3, 3],
      [4, 2],
    ]);
    expect(evaluate(scores, outcomes, [50])).toEqual([{ budgetPct: 50, selected: 2, hits: 1, precision: 0.5, recall: 0.5 }]);
    expect(randomBaseline(4, 2, [50])).toEqual([{ budgetPct: 50, selected: 2, hits: 1, precision: 0.5, recall: 0.5 }]);
  });
});
