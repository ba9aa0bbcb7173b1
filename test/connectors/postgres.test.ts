import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresConnector, type PostgresDefinition } from '../../src/connectors/postgres.ts';
import { identifierParams } from '../../src/federation/plan.ts';
import { deadline } from '../../src/lib/abort.ts';
import { scratchDatabase, type ScratchDb } from '../support/postgres.ts';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
let db: ScratchDb;
let connector: PostgresConnector;

function definition(url: string): PostgresDefinition {
  return {
    id: 'intel',
    kind: 'postgres',
    connection: { url, maxConnections: 2 },
    queries: {
      person: {
        by: {
          hkid: `SELECT * FROM reports WHERE upper(regexp_replace(hkid, '[^A-Za-z0-9]', '', 'g')) = :value ORDER BY id LIMIT :limit`,
          name: `SELECT * FROM reports WHERE upper(regexp_replace(name_en, '[^A-Za-z]', '', 'g')) = ANY(:compact) ORDER BY id LIMIT :limit`,
          slow: `SELECT *, pg_sleep(5) FROM reports WHERE hkid = :raw`,
          broken: `SELECT * FROM no_such_table WHERE x = :value`,
        },
        mapping: {
          key: 'R{{id}}',
          names: [{ field: 'name_en', script: 'latin' }, { field: 'name_zh', script: 'han' }],
          identifiers: [{ scheme: 'hkid', field: 'hkid' }],
          attributes: { dateOfBirth: 'dob' },
          level: { field: 'level' },
          cases: { field: 'case_no' },
          fields: ['summary', 'dob'],
        },
      },
    },
  };
}

beforeAll(async () => {
  db = await scratchDatabase();
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  await c.query(`CREATE TABLE reports (id int PRIMARY KEY, name_en text, name_zh text, hkid text, dob date,
    level smallint, case_no text, summary text)`);
  await c.query(`INSERT INTO reports VALUES
    (1, 'CHAN Tai-man', '陳大文', 'A123456(3)', '1975-03-14', 1, NULL, 'seen at Lok Ma Chau'),
    (2, 'Chan Taiman', NULL, 'a1234563', NULL, 2, 'CASE-2026-0042', 'under investigation'),
    (3, 'WONG Siu Ming', NULL, 'B987654(2)', NULL, 0, NULL, 'unrelated')`);
  await c.end();
  connector = new PostgresConnector(definition(db.url));
});
afterAll(async () => {
  await connector?.close();
  await db?.close();
});

function ctx(ms = 5_000) {
  const d = deadline(ms);
  return { d, ctx: { signal: d.signal, searchId: 't', log: silent } };
}

describe(`postgres connector (against ${process.env.DATABASE_URL ? 'DATABASE_URL' : 'local PostgreSQL or PGlite'})`, () => {
  it('runs the declared SQL with bound parameters and maps rows to canonical records', async () => {
    const { d, ctx: c } = ctx();
    const records = await connector.search({ type: 'person', by: 'hkid', params: identifierParams('hkid', 'A123456(3)', 10) }, c);
    d.clear();
    expect(records.map((r) => r.key)).toEqual(['R1', 'R2']);
    expect(records[0]).toMatchObject({
      source: 'intel',
      type: 'person',
      names: [{ value: 'CHAN Tai-man', script: 'latin' }, { value: '陳大文', script: 'han' }],
      identifiers: [{ scheme: 'hkid', value: 'A123456(3)' }],
      attributes: { dateOfBirth: '1975-03-14' },
      level: 1,
      cases: [],
      fields: { summary: 'seen at Lok Ma Chau', dob: '1975-03-14' },
    });
    expect(records[1]).toMatchObject({ level: 2, cases: ['CASE-2026-0042'] });
  });

  it('binds array parameters (name forms) and honours :limit', async () => {
    const { d, ctx: c } = ctx();
    const params = { raw: 'Chan Tai Man', value: 'CHAN TAI MAN', compact: ['CHANTAIMAN', 'TAIMANCHAN'], tokens: [], prefixes: [], limit: 1 };
    const records = await connector.search({ type: 'person', by: 'name', params }, c);
    d.clear();
    expect(records.map((r) => r.key)).toEqual(['R1']);
  });

  it('treats a value meant to break the SQL as a plain value', async () => {
    const { d, ctx: c } = ctx();
    const params = identifierParams('hkid', "A1234563' OR '1'='1", 10);
    const records = await connector.search({ type: 'person', by: 'hkid', params }, c);
    d.clear();
    expect(records).toEqual([]);
  });

  it('rejects with the SQLSTATE when the statement fails', async () => {
    const { d, ctx: c } = ctx();
    await expect(connector.search({ type: 'person', by: 'broken', params: identifierParams('hkid', 'x', 1) }, c)).rejects.toMatchObject({ code: '42P01' });
    d.clear();
  });

  it('gives up on a slow statement at the deadline and asks the server to cancel it', async () => {
    const { d, ctx: c } = ctx(200);
    const started = performance.now();
    await expect(connector.search({ type: 'person', by: 'slow', params: identifierParams('hkid', 'A123456(3)', 1) }, c)).rejects.toThrow(/deadline/);
    expect(performance.now() - started).toBeLessThan(1_500);
    d.clear();
    if (db.kind === 'postgres') {
      const admin = new pg.Client({ connectionString: db.url });
      await admin.connect();
      // The cancelled statement is gone from the server, not left sleeping for five seconds.
      await expect
        .poll(async () => (await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%pg_sleep(5)%' AND pid <> pg_backend_pid()`)).rows[0].n, { timeout: 2_000 })
        .toBe(0);
      await admin.end();
    }
    // The connector still works afterwards: the abandoned connection was not returned to the pool.
    const { d: d2, ctx: c2 } = ctx();
    expect(await connector.search({ type: 'person', by: 'hkid', params: identifierParams('hkid', 'B987654(2)', 5) }, c2)).toHaveLength(1);
    d2.clear();
  });

  it('reports health', async () => {
    const { d } = ctx();
    await expect(connector.health(d.signal)).resolves.toBeUndefined();
    d.clear();
  });
});
