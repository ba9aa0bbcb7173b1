import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo, SHOWCASE } from '../../src/demo/generate.ts';
import { deriveRiskEstate, RISK_DEMO_AS_OF } from '../../src/demo/risk-data.ts';
import { loadDemoRisk } from '../../src/risk/load.ts';
import { ratingsFor } from '../../src/risk/lookup.ts';
import { createRun, InProcessRunner } from '../../src/risk/runs.ts';
import type { Db } from '../../src/store/db.ts';
import { riskDb } from './support.ts';

const demo = generateDemo({ traders: 1500 });
let db: Db;

beforeAll(async () => {
  db = await riskDb();
  expect(await loadDemoRisk(db, demo)).toBe(true);
  const run = await createRun(db, { requestedBy: 'test' });
  await new InProcessRunner(db).execute(run.runId);
});

afterAll(() => db.close());

describe('the demo estate in the risk engine', () => {
  it('derives the same estate and truth from the same seed', () => {
    const a = deriveRiskEstate(demo);
    const b = deriveRiskEstate(demo);
    expect(a.estate.inspections).toEqual(b.estate.inspections);
    expect([...a.truth.propensity]).toEqual([...b.truth.propensity]);
    expect(a.asOf).toBe(RISK_DEMO_AS_OF);
  });

  it('loads once, pins the rating date, and rates every ITD trader', async () => {
    expect(await loadDemoRisk(db, demo)).toBe(false);
    const { rows } = await db.query<{ traders: number; rated: number; as_of: string }>(
      `SELECT (SELECT count(*)::int FROM risk_traders) AS traders, (SELECT count(*)::int FROM risk_current) AS rated, (SELECT value #>> '{}' FROM risk_settings WHERE key = 'asOf') AS as_of`,
    );
    expect(rows[0]).toEqual({ traders: demo.itd.traders.length, rated: demo.itd.traders.length, as_of: RISK_DEMO_AS_OF });
  });

  it('ranks the planted truth far above chance', async () => {
    const { truth } = deriveRiskEstate(demo);
    const scores = (await db.query<{ trader_id: string; score: number }>('SELECT trader_id, score FROM risk_current ORDER BY score DESC, trader_id')).rows;
    const top = scores.slice(0, Math.round(scores.length * 0.05));
    const mean = (ids: number[]) => ids.reduce((s, id) => s + (truth.propensity.get(id) ?? 0), 0) / ids.length;
    const all = mean(scores.map((r) => Number(r.trader_id)));
    expect(mean(top.map((r) => Number(r.trader_id)))).toBeGreaterThan(3 * all);
  });

  it('the showcase company answers the search by its BR', async () => {
    const map = await ratingsFor(db, [SHOWCASE.company.br], { level: 3, cases: new Set() });
    expect(map.get(SHOWCASE.company.br)).toMatchObject({ br: SHOWCASE.company.br, traderKey: 'itd:T1' });
  });
});
