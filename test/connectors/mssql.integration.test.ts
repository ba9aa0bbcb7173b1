import sql from 'mssql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MssqlConnector, type MssqlDefinition } from '../../src/connectors/mssql.ts';
import { identifierParams } from '../../src/federation/plan.ts';
import { deadline } from '../../src/lib/abort.ts';
import type { QueryParams } from '../../src/model/query.ts';

// Runs only where a SQL Server is reachable: `docker compose up -d mssql` (see compose.yaml), then
//   MSSQL_URL='mssql://sa:CirmsHub-2026!@127.0.0.1:1433/master' npx vitest run test/connectors/mssql.integration.test.ts
// Optional query parameters: ?encrypt=false, ?trustServerCertificate=false (default true, for the
// container's self-signed certificate). The driver-boundary tests in mssql.test.ts run everywhere.

const URL_ENV = process.env.MSSQL_URL;
const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe.runIf(URL_ENV)('mssql connector against a real SQL Server (MSSQL_URL)', () => {
  const url = new URL(URL_ENV ?? 'mssql://unused');
  const table = `cirms_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const connection = {
    server: url.hostname,
    port: Number(url.port || 1433),
    database: decodeURIComponent(url.pathname.slice(1)) || 'master',
    user: decodeURIComponent(url.username),
    password: { env: 'CIRMS_TEST_MSSQL_PASSWORD' },
    encrypt: url.searchParams.get('encrypt') !== 'false',
    trustServerCertificate: url.searchParams.get('trustServerCertificate') !== 'false',
    maxConnections: 1,
  };
  let admin: sql.ConnectionPool;
  let connector: MssqlConnector;

  beforeAll(async () => {
    process.env.CIRMS_TEST_MSSQL_PASSWORD = decodeURIComponent(url.password);
    admin = await new sql.ConnectionPool({
      server: connection.server,
      port: connection.port,
      database: connection.database,
      user: connection.user,
      password: decodeURIComponent(url.password),
      options: { encrypt: connection.encrypt, trustServerCertificate: connection.trustServerCertificate },
    }).connect();
    await admin.request().batch(`CREATE TABLE ${table} (id int PRIMARY KEY, name_en nvarchar(100), name_zh nvarchar(100), hkid varchar(20));
      INSERT INTO ${table} VALUES (1, N'CHAN Tai-man', N'陳大文', 'A1234563'), (2, N'Chan Taiman', NULL, 'A1234563'), (3, N'WONG Siu Ming', N'黃小明', 'B9876542');`);
    const def: MssqlDefinition = {
      id: 'cis',
      kind: 'mssql',
      connection,
      queries: {
        person: {
          by: {
            hkid: `SELECT TOP (:limit) * FROM ${table} WHERE hkid = :value ORDER BY id`,
            name: `SELECT * FROM ${table} WHERE UPPER(REPLACE(REPLACE(name_en, ' ', ''), '-', '')) IN (:compact) OR name_zh = :raw
                    ORDER BY id OFFSET 0 ROWS FETCH NEXT :limit ROWS ONLY`,
            slow: `WAITFOR DELAY '00:00:05'; SELECT * FROM ${table} WHERE hkid = :raw`,
            broken: `SELECT * FROM no_such_table WHERE x = :value`,
          },
          mapping: { key: 'R{{id}}', names: [{ field: 'name_en' }, { field: 'name_zh', script: 'han' }], identifiers: [{ scheme: 'hkid', field: 'hkid' }] },
        },
      },
    };
    connector = new MssqlConnector(def);
  });
  afterAll(async () => {
    await connector?.close();
    await admin?.request().batch(`DROP TABLE IF EXISTS ${table}`);
    await admin?.close();
  });

  function search(by: string, params: QueryParams, ms = 5_000) {
    const d = deadline(ms);
    return connector.search({ type: 'person', by, params }, { signal: d.signal, searchId: 't', log: silent }).finally(() => d.clear());
  }
  const nameParams = (over: Partial<QueryParams>): QueryParams => ({ raw: '', value: '', compact: [], tokens: [], prefixes: [], limit: 10, ...over });

  it('maps rows found by a bound identifier, paging with TOP (:limit)', async () => {
    expect((await search('hkid', identifierParams('hkid', 'A123456(3)', 10))).map((r) => r.key)).toEqual(['R1', 'R2']);
    expect((await search('hkid', identifierParams('hkid', 'A123456(3)', 1))).map((r) => r.key)).toEqual(['R1']);
  });

  it('matches a Chinese name (NVARCHAR binding) and expands an array parameter, paging with OFFSET/FETCH', async () => {
    const han = await search('name', nameParams({ raw: '黃小明' }));
    expect(han.map((r) => [r.key, r.names.find((n) => n.script === 'han')?.value])).toEqual([['R3', '黃小明']]);
    expect((await search('name', nameParams({ compact: ['CHANTAIMAN', 'TAIMANCHAN'], limit: 5 }))).map((r) => r.key)).toEqual(['R1', 'R2']);
  });

  it('rejects with the server error when the statement fails', async () => {
    await expect(search('broken', identifierParams('hkid', 'x', 1))).rejects.toMatchObject({ code: 'EREQUEST', number: 208 });
  });

  it('cancels a slow statement at the deadline on the server, and its one connection serves the next search', async () => {
    await expect(search('slow', nameParams({ raw: 'A1234563' }), 200)).rejects.toThrow(/deadline/);
    await expect
      .poll(
        async () =>
          (
            await admin.request().query(`SELECT COUNT(*) AS n FROM sys.dm_exec_requests r CROSS APPLY sys.dm_exec_sql_text(r.sql_handle) t
              WHERE t.text LIKE '%WAITFOR DELAY ''00:00:05''%' AND r.session_id <> @@SPID`)
          ).recordset[0].n,
        { timeout: 2_000 },
      )
      .toBe(0);
    expect(await search('hkid', identifierParams('hkid', 'B987654(2)', 5))).toHaveLength(1);
  });

  it('reports health', async () => {
    const d = deadline(5_000);
    await expect(connector.health(d.signal)).resolves.toBeUndefined();
    d.clear();
  });
});
