import oracledb from 'oracledb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OracleConnector, type OracleDefinition } from '../../src/connectors/oracle.ts';
import { identifierParams } from '../../src/federation/plan.ts';
import { deadline } from '../../src/lib/abort.ts';
import type { QueryParams } from '../../src/model/query.ts';

// Runs only where an Oracle Database is reachable: `docker compose up -d oracle` (see compose.yaml), then
//   ORACLE_URL='oracle://cirms:cirms@127.0.0.1:1521/FREEPDB1' npx vitest run test/connectors/oracle.integration.test.ts
// The URL's host:port/service becomes the Easy Connect string. The driver-boundary tests in
// oracle.test.ts run everywhere.

const URL_ENV = process.env.ORACLE_URL;
const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe.runIf(URL_ENV)('oracle connector against a real Oracle Database (ORACLE_URL)', () => {
  const url = new URL(URL_ENV ?? 'oracle://unused');
  const table = `cirms_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const connectString = `${url.hostname}:${url.port || 1521}${url.pathname}`;
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  let admin: oracledb.Connection;
  const connectors: OracleConnector[] = [];

  function connector(stringBinds: 'varchar' | 'nvarchar' = 'varchar'): OracleConnector {
    const def: OracleDefinition = {
      id: 'ccs',
      kind: 'oracle',
      connection: { connectString, user, password: { env: 'CIRMS_TEST_ORACLE_PASSWORD' }, stringBinds, maxConnections: 1 },
      queries: {
        person: {
          by: {
            // Unquoted column names come back in upper case (ID, NAME_ZH): the SQL aliases them in quotes
            // to match the mapping's lower-case paths.
            hkid: `SELECT id AS "id", name_zh AS "name_zh", hkid AS "hkid" FROM ${table} WHERE hkid = :value ORDER BY id FETCH FIRST :limit ROWS ONLY`,
            name: `SELECT id AS "id", name_zh AS "name_zh", hkid AS "hkid" FROM ${table}
                    WHERE UPPER(REPLACE(REPLACE(name_en, ' '), '-')) IN (:compact) OR name_zh = :raw ORDER BY id`,
            slow: `SELECT COUNT(*) AS "n" FROM all_objects a CROSS JOIN all_objects b CROSS JOIN all_objects c WHERE :raw IS NOT NULL`,
          },
          mapping: { key: 'R{{id}}', names: [{ field: 'name_zh', script: 'han' }], identifiers: [{ scheme: 'hkid', field: 'hkid' }] },
        },
      },
    };
    const c = new OracleConnector(def);
    connectors.push(c);
    return c;
  }

  beforeAll(async () => {
    process.env.CIRMS_TEST_ORACLE_PASSWORD = password;
    admin = await oracledb.getConnection({ user, password, connectString });
    await admin.execute(`CREATE TABLE ${table} (id NUMBER PRIMARY KEY, name_en VARCHAR2(100), name_zh NVARCHAR2(100), hkid VARCHAR2(20))`);
    await admin.executeMany(`INSERT INTO ${table} VALUES (:1, :2, :3, :4)`, [
      [1, 'CHAN Tai-man', '陳大文', 'A1234563'],
      [2, 'Chan Taiman', null, 'A1234563'],
      [3, 'WONG Siu Ming', '黃小明', 'B9876542'],
    ], { autoCommit: true, bindDefs: [{ type: oracledb.NUMBER }, { type: oracledb.STRING, maxSize: 100 }, { type: oracledb.DB_TYPE_NVARCHAR, maxSize: 100 }, { type: oracledb.STRING, maxSize: 20 }] });
  });
  afterAll(async () => {
    await Promise.all(connectors.map((c) => c.close()));
    await admin?.execute(`DROP TABLE ${table} PURGE`);
    await admin?.close();
  });

  function search(c: OracleConnector, by: string, params: QueryParams, ms = 5_000) {
    const d = deadline(ms);
    return c.search({ type: 'person', by, params }, { signal: d.signal, searchId: 't', log: silent }).finally(() => d.clear());
  }
  const nameParams = (over: Partial<QueryParams>): QueryParams => ({ raw: '', value: '', compact: [], tokens: [], prefixes: [], limit: 10, ...over });

  it('maps rows found by a bound identifier, paging with FETCH FIRST :limit', async () => {
    const c = connector();
    expect((await search(c, 'hkid', identifierParams('hkid', 'A123456(3)', 10))).map((r) => r.key)).toEqual(['R1', 'R2']);
    expect((await search(c, 'hkid', identifierParams('hkid', 'A123456(3)', 1))).map((r) => r.key)).toEqual(['R1']);
  });

  it('matches a Chinese name with VARCHAR and with NVARCHAR binds, and expands an array parameter', async () => {
    for (const c of [connector('varchar'), connector('nvarchar')]) {
      const han = await search(c, 'name', nameParams({ raw: '黃小明' }));
      expect(han.map((r) => [r.key, r.names[0]?.value])).toEqual([['R3', '黃小明']]);
      expect((await search(c, 'name', nameParams({ compact: ['CHANTAIMAN', 'TAIMANCHAN'] }))).map((r) => r.key)).toEqual(['R1', 'R2']);
    }
  });

  it('breaks a slow statement at the deadline, and its one connection serves the next search', async () => {
    const c = connector();
    await expect(search(c, 'slow', nameParams({ raw: 'x' }), 300)).rejects.toThrow(/deadline/);
    // Had the break not stopped it, the pool's only connection would stay busy for minutes.
    expect(await search(c, 'hkid', identifierParams('hkid', 'B987654(2)', 5))).toHaveLength(1);
  });

  it('reports health', async () => {
    const d = deadline(5_000);
    await expect(connector().health(d.signal)).resolves.toBeUndefined();
    d.clear();
  });
});
