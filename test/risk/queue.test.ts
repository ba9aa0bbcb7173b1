import { PGlite } from '@electric-sql/pglite';
import { fromPglite } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { riskCommand } from '../../src/risk/cli.ts';
import { createRun, getRun, PgBossRunner } from '../../src/risk/runs.ts';
import type { Db } from '../../src/store/db.ts';
import { openDb } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { ensureDefaultRuleSet } from '../../src/risk/rulesets.ts';
import { scratchDatabase, type ScratchDb } from '../support/postgres.ts';
import { load, trader } from './support.ts';

const TRADERS = Array.from({ length: 25 }, (_, i) => trader(i + 1));
const OFFENCES = [3, 7, 11].map((t) => ({ traderId: t, ref: `O-${t}`, committedOn: '2025-06-01', kind: 'x', level: 0, cases: [] }));

async function seed(db: Db): Promise<void> {
  await migrate(db);
  await ensureDefaultRuleSet(db);
  await load(db, { traders: TRADERS, offences: OFFENCES });
}

describe('batch runs on the pg-boss queue', () => {
  let scratch: ScratchDb;
  let db: Db;

  beforeAll(async () => {
    scratch = await scratchDatabase();
    db = await openDb(scratch.url);
    await seed(db);
  });
  afterAll(async () => {
    await db.close();
    await scratch.close();
  });

  it('two workers (two hub replicas) share one run chunk by chunk; the run reports its progress', async () => {
    const a = await PgBossRunner.start(db, scratch.url, { chunkSize: 4, pollingIntervalSeconds: 0.5 });
    const b = await PgBossRunner.start(db, scratch.url, { chunkSize: 4, pollingIntervalSeconds: 0.5 });
    try {
      const run = await createRun(db, { requestedBy: 'test', asOf: '2026-01-01' });
      await a.submit(run.runId);
      await a.idle();
      expect(await getRun(db, run.runId)).toMatchObject({ status: 'done', chunksTotal: 7, chunksDone: 7, tradersTotal: 25, tradersDone: 25, ratingsChanged: 25, progress: 1 });
      const rated = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM risk_current WHERE rule_set_version = 1`);
      expect(rated.rows[0]?.n).toBe(25);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('pg-boss on an embedded PGlite', () => {
  it('runs the same jobs through pg-boss’s PGlite adapter', async () => {
    const lite = await PGlite.create();
    const db: Db = {
      kind: 'pglite',
      query: (sql, params) => lite.query(sql, params),
      exec: async (sql) => {
        await lite.exec(sql);
      },
      transaction: (fn) => lite.transaction((tx) => fn({ query: (sql, params) => tx.query(sql, params) })),
      close: () => lite.close(),
    };
    await seed(db);
    const runner = await PgBossRunner.start(db, fromPglite(lite), { chunkSize: 10, pollingIntervalSeconds: 0.5 });
    try {
      const run = await createRun(db, { requestedBy: 'test', asOf: '2026-01-01' });
      await runner.submit(run.runId);
      await runner.idle();
      expect(await getRun(db, run.runId)).toMatchObject({ status: 'done', chunksTotal: 3, tradersDone: 25 });
    } finally {
      await runner.close();
      await lite.close();
    }
  });
});

describe('cirms risk rate', () => {
  it('re-rates every trader in this process and prints the progress', async () => {
    const db = await openDb('memory:');
    try {
      await seed(db);
      const lines: string[] = [];
      expect(await riskCommand(db, 'rate', { asOf: '2026-01-01', out: (l) => lines.push(l) })).toBe(0);
      expect(lines.at(-1)).toMatch(/^run 1 \(rule set v1, as of 2026-01-01\): done — 25\/25 traders, 1\/1 chunks, 25 ratings changed, 0 reviews opened in /);
      expect(await riskCommand(db, 'rate', { asOf: '2026-1-1', out: (l) => lines.push(l) })).toBe(2);
      expect(await riskCommand(db, 'runs', { out: (l) => lines.push(l) })).toBe(0);
      expect(await riskCommand(db, 'nonsense', { out: (l) => lines.push(l) })).toBe(2);
    } finally {
      await db.close();
    }
  });
});
