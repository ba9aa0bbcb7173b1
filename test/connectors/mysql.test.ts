import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MysqlConnector, type MysqlDefinition } from '../../src/connectors/mysql.ts';
import { identifierParams } from '../../src/federation/plan.ts';
import { deadline } from '../../src/lib/abort.ts';
import type { QueryParams } from '../../src/model/query.ts';
import { scratchMysql, type ScratchMysql } from '../support/mysql.ts';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
let db: ScratchMysql;
let connector: MysqlConnector;

function definition(url: string): MysqlDefinition {
  return {
    id: 'intel',
    kind: 'mysql',
    // One connection: a statement left running on it, or a connection not given back, would show.
    connection: { url, maxConnections: 1 },
    queries: {
      person: {
        by: {
          hkid: `SELECT * FROM reports WHERE UPPER(REGEXP_REPLACE(hkid, '[^A-Za-z0-9]', '')) = :value ORDER BY id LIMIT :limit`,
          name: `SELECT * FROM reports WHERE UPPER(REGEXP_REPLACE(name_en, '[^A-Za-z]', '')) IN (:compact) ORDER BY id LIMIT :limit`,
          han: `SELECT * FROM reports WHERE name_zh = :raw OR name_zh IN (:tokens) ORDER BY id`,
          twice: `SELECT * FROM reports WHERE hkid = :raw OR \`name_en\` = :raw OR summary = ':raw' ORDER BY id`,
          slow: `SELECT reports.*, SLEEP(5) AS slept FROM reports WHERE hkid = :raw`,
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
  db = await scratchMysql();
  await db.admin.query(`CREATE TABLE reports (id int PRIMARY KEY, name_en varchar(100), name_zh varchar(100), hkid varchar(20),
    dob date, level smallint, case_no varchar(40), summary text)`);
  await db.admin.query(`INSERT INTO reports VALUES
    (1, 'CHAN Tai-man', '陳大文', 'A123456(3)', '1975-03-14', 1, NULL, 'seen at Lok Ma Chau'),
    (2, 'Chan Taiman', NULL, 'a1234563', NULL, 2, 'CASE-2026-0042', 'under investigation'),
    (3, 'WONG Siu Ming', '黃小明𠀋', 'B987654(2)', NULL, 0, NULL, ':raw')`);
  connector = new MysqlConnector(definition(db.url));
});
afterAll(async () => {
  await connector?.close();
  await db?.close();
});

function ctx(ms = 5_000) {
  const d = deadline(ms);
  return { d, ctx: { signal: d.signal, searchId: 't', log: silent } };
}

function nameParams(over: Partial<QueryParams>): QueryParams {
  return { raw: '', value: '', compact: [], tokens: [], prefixes: [], limit: 10, ...over };
}

describe('mysql connector (against the MariaDB at 127.0.0.1:3306, or MYSQL_URL)', () => {
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

  it('binds Chinese names both ways (utf8mb4, including characters outside the BMP)', async () => {
    const { d, ctx: c } = ctx();
    const records = await connector.search({ type: 'person', by: 'han', params: nameParams({ raw: '陳大文', tokens: ['黃小明𠀋'] }) }, c);
    d.clear();
    expect(records.map((r) => [r.key, r.names.find((n) => n.script === 'han')?.value])).toEqual([
      ['R1', '陳大文'],
      ['R3', '黃小明𠀋'],
    ]);
  });

  it('expands an array parameter to one placeholder per element, honours :limit, and matches nothing for an empty one', async () => {
    const { d, ctx: c } = ctx();
    const both = await connector.search({ type: 'person', by: 'name', params: nameParams({ compact: ['CHANTAIMAN', 'TAIMANCHAN'], limit: 5 }) }, c);
    const one = await connector.search({ type: 'person', by: 'name', params: nameParams({ compact: ['TAIMANCHAN', 'CHANTAIMAN'], limit: 1 }) }, c);
    const none = await connector.search({ type: 'person', by: 'han', params: nameParams({ raw: '無此人', tokens: [] }) }, c);
    d.clear();
    expect(both.map((r) => r.key)).toEqual(['R1', 'R2']);
    expect(one.map((r) => r.key)).toEqual(['R1']);
    expect(none).toEqual([]);
  });

  it('binds a parameter written twice once per occurrence, leaving quoted text alone', async () => {
    const { d, ctx: c } = ctx();
    const records = await connector.search({ type: 'person', by: 'twice', params: nameParams({ raw: 'Chan Taiman' }) }, c);
    d.clear();
    // R3's summary is the literal ':raw', which the template quotes: it is text, not a parameter.
    expect(records.map((r) => r.key)).toEqual(['R2', 'R3']);
  });

  it('treats a value meant to break the SQL as a plain value', async () => {
    const { d, ctx: c } = ctx();
    const hkid = await connector.search({ type: 'person', by: 'hkid', params: identifierParams('hkid', "A1234563' OR '1'='1", 10) }, c);
    const raw = await connector.search({ type: 'person', by: 'han', params: nameParams({ raw: "x' OR 1=1 -- " }) }, c);
    const slash = await connector.search({ type: 'person', by: 'han', params: nameParams({ raw: "\\' OR 1=1 #" }) }, c);
    d.clear();
    expect([hkid, raw, slash]).toEqual([[], [], []]);
  });

  it('rejects with the server error code when the statement fails', async () => {
    const { d, ctx: c } = ctx();
    await expect(connector.search({ type: 'person', by: 'broken', params: identifierParams('hkid', 'x', 1) }, c)).rejects.toMatchObject({
      code: 'ER_NO_SUCH_TABLE',
    });
    d.clear();
  });

  it('gives up on a slow statement at the deadline, kills it on the server, and keeps its pool usable', async () => {
    const { d, ctx: c } = ctx(200);
    const started = performance.now();
    await expect(connector.search({ type: 'person', by: 'slow', params: nameParams({ raw: 'A123456(3)' }) }, c)).rejects.toThrow(/deadline/);
    expect(performance.now() - started).toBeLessThan(1_500);
    d.clear();
    // KILL QUERY stopped it: no SLEEP(5) left running on the server for the rest of its five seconds.
    await expect
      .poll(
        async () => {
          const [rows] = await db.admin.query(
            `SELECT COUNT(*) AS n FROM information_schema.processlist WHERE info LIKE '%SLEEP(5)%' AND id <> CONNECTION_ID()`,
          );
          return Number((rows as { n: number }[])[0]!.n);
        },
        { timeout: 2_000 },
      )
      .toBe(0);
    // The pool has one connection: the abandoned one was destroyed and replaced, not leaked.
    const { d: d2, ctx: c2 } = ctx();
    expect(await connector.search({ type: 'person', by: 'hkid', params: identifierParams('hkid', 'B987654(2)', 5) }, c2)).toHaveLength(1);
    d2.clear();
  });

  it('reports health, also when defined by host and user instead of a URL', async () => {
    const { d } = ctx();
    await expect(connector.health(d.signal)).resolves.toBeUndefined();
    const url = new URL(db.url);
    const byHost = new MysqlConnector({
      ...definition(db.url),
      connection: { host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), database: url.pathname.slice(1) },
    });
    await expect(byHost.health(d.signal)).resolves.toBeUndefined();
    await byHost.close();
    d.clear();
  });
});
