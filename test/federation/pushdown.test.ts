import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresDefinition } from '../../src/connectors/postgres.ts';
import { testHub, type TestHub } from '../support/hub.ts';
import { scratchDatabase, type ScratchDb } from '../support/postgres.ts';

// Push-down: a SQL source filters by the officer's clearance and cases itself. The hub still checks
// every record; a source whose filter is wrong is a security event, counted at /metrics.

let db: ScratchDb;
let hub: TestHub;

function source(id: string, where: string): PostgresDefinition {
  return {
    id,
    kind: 'postgres',
    connection: { url: db.url, maxConnections: 2 },
    queries: {
      person: {
        by: { hkid: `SELECT * FROM reports WHERE hkid = :value AND ${where} ORDER BY id LIMIT :limit` },
        mapping: { key: 'R{{id}}', names: [{ field: 'name' }], identifiers: [{ scheme: 'hkid', field: 'hkid' }], level: { field: 'level' }, cases: { field: 'case_no' } },
      },
    },
  };
}

beforeAll(async () => {
  db = await scratchDatabase();
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  await c.query(`CREATE TABLE reports (id int PRIMARY KEY, name text, hkid text, level int, case_no text)`);
  await c.query(`INSERT INTO reports VALUES (1, 'WONG Siu Ming', 'B1111111', 0, NULL), (2, 'WONG Siu Ming', 'B1111111', 2, NULL), (3, 'WONG Siu Ming', 'B1111111', 0, 'CASE-7')`);
  await c.end();
  hub = await testHub(
    [
      source('good', `level <= :clearance AND (case_no IS NULL OR case_no = ANY(:cases))`),
      // Forgets the cases: a report under a case the officer is not on comes back.
      source('leaky', `level <= :clearance`),
    ],
    { cache: { max: 100, ttlMs: 60_000 } },
  );
});
afterAll(async () => {
  await hub.close();
  await db.close();
});

const LOW = { sub: 'low', roles: ['officer'], clearance: 'Unrestricted' };
const HIGH = { sub: 'high', roles: ['officer'], clearance: 'Confidential' };

async function search(user: object) {
  const res = await hub.inject({ method: 'POST', url: '/v1/search', payload: { query: { identifiers: [{ scheme: 'hkid', value: 'B111111(1)' }] }, expand: false } }, user);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { sources: { id: string; records: number }[]; subjects: { records: { source: string; key: string }[] }[] };
}

const mismatches = async () => {
  const text = (await hub.app.inject({ method: 'GET', url: '/metrics' })).body;
  const count = (src: string) => Number(new RegExp(`cirms_security_pushdown_mismatches_total\\{source="${src}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  return { good: count('good'), leaky: count('leaky') };
};

describe('need-to-know pushed down into SQL sources', () => {
  it('binds the officer’s clearance and cases, so withheld reports never leave the source', async () => {
    const a = await search(LOW);
    expect(a.sources).toEqual([expect.objectContaining({ id: 'good', records: 1 }), expect.objectContaining({ id: 'leaky', records: 1 })]);
    expect(a.subjects.flatMap((s) => s.records.map((r) => `${r.source}:${r.key}`)).sort()).toEqual(['good:R1', 'leaky:R1']);
  });

  it('re-checks in the hub, and counts a source whose filter lets through what the hub withholds', async () => {
    expect(await mismatches()).toEqual({ good: 0, leaky: 1 });
  });

  it('keeps push-down answers apart per clearance and cases in the answer cache', async () => {
    const high = await search(HIGH);
    expect(high.sources.find((s) => s.id === 'good')!.records).toBe(2);
  });
});
