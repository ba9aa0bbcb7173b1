// Trader risk rating bench (issue 6), on PostgreSQL:
//   node bench/risk.ts [--traders 400000] [--shipments 10] [--incremental 2000] [--keep]
// 1. a synthetic estate with a planted propensity (src/demo/risk-data.ts) into a fresh database;
// 2. batch re-rating through pg-boss (the production path): first run (every rating new) and a second
//    run over unchanged data;
// 3. incremental re-rating: a shipment or inspection outcome recorded and its trader re-rated, timed;
// 4. quality on the planted truth: precision/recall@5% of the rule set vs random vs a single-rule
//    baseline (prior offences only), and the backtest of both on recorded outcomes.
// Writes bench/results/risk-latest.json.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { RISK_DEMO_AS_OF, syntheticRiskBatches } from '../src/demo/risk-data.ts';
import { backtest, tieBreak } from '../src/risk/backtest.ts';
import { recordInspection, recordShipment } from '../src/risk/engine.ts';
import { loadRiskRows, type RiskEstate, type RiskTable } from '../src/risk/load.ts';
import { DEFAULT_RULE_SET } from '../src/risk/rules.ts';
import { createRuleSet, ensureDefaultRuleSet } from '../src/risk/rulesets.ts';
import { createRun, getRun, PgBossRunner, type RunView } from '../src/risk/runs.ts';
import { openDb } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';

const { values: args } = parseArgs({
  options: {
    traders: { type: 'string', default: '400000' },
    shipments: { type: 'string', default: '10' },
    incremental: { type: 'string', default: '2000' },
    keep: { type: 'boolean', default: false },
  },
});
const TRADERS = Number(args.traders);
const PER_TRADER = Number(args.shipments);
const INCREMENTAL = Number(args.incremental);
const ADMIN = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const NAME = 'cirms_risk_bench';

const log = (...a: unknown[]) => console.log(new Date().toISOString().slice(11, 19), ...a);
const secs = (ms: number) => Math.round(ms / 100) / 10;

const admin = new pg.Client({ connectionString: ADMIN });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${NAME}`);
const version = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version;
await admin.end();
const url = new URL(ADMIN);
url.pathname = `/${NAME}`;
const db = await openDb(url.toString());
await migrate(db);
await ensureDefaultRuleSet(db);
await db.query(`INSERT INTO risk_settings (key, value) VALUES ('asOf', $1)`, [JSON.stringify(RISK_DEMO_AS_OF)]);

// ---- 1. load -------------------------------------------------------------------------------------
log(`loading ${TRADERS} traders, ~${TRADERS * PER_TRADER} shipments`);
let t0 = performance.now();
const propensity = new Float64Array(TRADERS + 1);
const counts: Record<string, number> = {};
for (const { estate, propensity: p } of syntheticRiskBatches({ traders: TRADERS, shipmentsPerTrader: PER_TRADER, seed: 2016 })) {
  for (const [id, v] of p) propensity[id] = v;
  for (const table of Object.keys(estate) as RiskTable[]) {
    const rows = estate[table] as RiskEstate[RiskTable];
    counts[table] = (counts[table] ?? 0) + rows.length;
    await loadRiskRows(db, table, rows as never);
  }
}
await db.query('VACUUM ANALYZE risk_traders');
await db.query('VACUUM ANALYZE risk_shipments');
await db.query('ANALYZE');
const loadMs = performance.now() - t0;
log('loaded', counts, `${secs(loadMs)} s`);

// ---- 2. batch ------------------------------------------------------------------------------------
const runner = await PgBossRunner.start(db, url.toString(), { concurrency: 2, pollingIntervalSeconds: 0.5 });
async function timedRun(label: string): Promise<RunView & { wallMs: number }> {
  const started = performance.now();
  const run = await createRun(db, { requestedBy: 'bench' });
  await runner.submit(run.runId);
  let last = -1;
  for (;;) {
    const r = (await getRun(db, run.runId)) as RunView;
    if (r.chunksDone !== last && r.chunksDone % 5 === 0) log(`${label}: ${r.status} ${r.tradersDone}/${r.tradersTotal}`);
    last = r.chunksDone;
    if (r.status === 'done' || r.status === 'failed') {
      const wallMs = performance.now() - started;
      log(`${label}: ${r.status} in ${secs(wallMs)} s`, r.error ?? '');
      return { ...r, wallMs };
    }
    await new Promise((res) => setTimeout(res, 200));
  }
}
const first = await timedRun('run 1 (all new)');
const second = await timedRun('run 2 (unchanged)');
const levels = (await db.query<{ level: string; n: number }>(`SELECT level, count(*)::int AS n FROM risk_current GROUP BY level ORDER BY level`)).rows;
const queue = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM risk_reviews WHERE status = 'pending'`)).rows[0]?.n;

// ---- 3. incremental ------------------------------------------------------------------------------
const lat: number[] = [];
let seed = 7;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
for (let i = 0; i < INCREMENTAL; i++) {
  const traderId = 1 + Math.floor(rand() * TRADERS);
  const s = performance.now();
  if (i % 2 === 0) {
    await recordShipment(db, { traderId, ref: `BENCH-${i}`, shippedOn: '2026-05-31', hsCode: '2402.20', quantity: 10, valueHkd: 5000, origin: 'Hong Kong', route: 'Lok Ma Chau' });
  } else {
    await recordInspection(db, { traderId, inspectedOn: '2026-05-31', result: rand() < 0.2 ? 'seizure' : 'clear' });
  }
  lat.push(performance.now() - s);
}
lat.sort((a, b) => a - b);
const pct = (q: number) => Math.round((lat[Math.min(lat.length - 1, Math.floor(q * lat.length))] ?? 0) * 100) / 100;
const incremental = { events: lat.length, p50: pct(0.5), p95: pct(0.95), p99: pct(0.99), max: pct(1) };
log('incremental', incremental);

// ---- 4. quality ----------------------------------------------------------------------------------
const OFFENDER = 0.35;
const scores = new Float64Array(TRADERS + 1);
for (const r of (await db.query<{ trader_id: string; score: number }>('SELECT trader_id, score FROM risk_current')).rows) scores[Number(r.trader_id)] = Number(r.score);
const offences = new Float64Array(TRADERS + 1);
for (const r of (await db.query<{ trader_id: string; n: number }>(`SELECT trader_id, count(*)::int AS n FROM risk_offences WHERE committed_on < $1 GROUP BY trader_id`, [RISK_DEMO_AS_OF])).rows) {
  offences[Number(r.trader_id)] = r.n;
}
const ids = Array.from({ length: TRADERS }, (_, i) => i + 1);
const positives = ids.filter((id) => (propensity[id] as number) >= OFFENDER).length;
function atBudget(score: (id: number) => number, budget: number) {
  const k = Math.round(budget * TRADERS);
  const top = [...ids].sort((a, b) => score(b) - score(a) || tieBreak(a) - tieBreak(b)).slice(0, k);
  const hits = top.filter((id) => (propensity[id] as number) >= OFFENDER).length;
  return { selected: k, hits, precision: Math.round((hits / k) * 1e4) / 1e4, recall: Math.round((hits / positives) * 1e4) / 1e4 };
}
const truth = {
  offenders: positives,
  baseRate: Math.round((positives / TRADERS) * 1e4) / 1e4,
  ruleSet: { at1: atBudget((id) => scores[id] as number, 0.01), at5: atBudget((id) => scores[id] as number, 0.05) },
  priorOffencesOnly: { at1: atBudget((id) => ((offences[id] as number) > 0 ? 1 : 0), 0.01), at5: atBudget((id) => ((offences[id] as number) > 0 ? 1 : 0), 0.05) },
  random: { at5: { precision: Math.round((positives / TRADERS) * 1e4) / 1e4, recall: 0.05 } },
};
log('planted truth', JSON.stringify(truth));

const baseline = await createRuleSet(
  db,
  { ...DEFAULT_RULE_SET, name: 'prior offences only', rules: [{ code: 'PRIOR_OFFENCE', feature: 'offences', op: '>=', value: 1, weight: 10, text: '{value} prior offence(s)' }] },
  'bench',
);
t0 = performance.now();
const bt = await backtest(db, { ruleSetVersion: baseline.version, from: '2026-01-01', to: '2026-06-01' });
const backtestMs = performance.now() - t0;
log('backtest', JSON.stringify(bt), `${secs(backtestMs)} s`);

await runner.close();
await db.close();

const result = {
  at: new Date().toISOString(),
  postgres: version,
  traders: TRADERS,
  rows: counts,
  loadS: secs(loadMs),
  batch: {
    first: { wallS: secs(first.wallMs), chunks: first.chunksTotal, ratingsChanged: first.ratingsChanged, reviewsOpened: first.reviewsOpened, status: first.status },
    second: { wallS: secs(second.wallMs), chunks: second.chunksTotal, ratingsChanged: second.ratingsChanged, reviewsOpened: second.reviewsOpened, status: second.status },
    levels,
    pendingReviews: queue,
  },
  incrementalMs: incremental,
  quality: { plantedTruth: truth, backtest: { ...bt, seconds: secs(backtestMs) } },
};
writeFileSync(new URL('./results/risk-latest.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
if (!args.keep) {
  const c = new pg.Client({ connectionString: ADMIN });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
  await c.end();
}
