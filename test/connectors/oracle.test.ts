import oracledb from 'oracledb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OracleConnector, type OracleDefinition } from '../../src/connectors/oracle.ts';
import { identifierParams } from '../../src/federation/plan.ts';
import { deadline, DeadlineError } from '../../src/lib/abort.ts';

// Oracle Database cannot run on this machine, so these tests stop at the driver boundary: the
// `oracledb` package's createPool is replaced by a fake pool whose connections record what the
// connector hands the driver (statement text, binds and their types, execute options) and behave as
// Thin mode does on break(). Its constants are the real ones. oracle.integration.test.ts runs against
// a real server.

type Behaviour = { rows: Record<string, unknown>[] } | 'hang' | 'hang, deaf to break';

const fake = vi.hoisted(() => {
  class FakeConnection {
    readonly executes: { sql: string; binds: Record<string, unknown>; options: Record<string, unknown> }[] = [];
    breaks = 0;
    closes = 0;
    /** Settles a hanging statement from the test, as a server finally answering would. */
    finish: (() => void) | undefined;
    #reject: ((e: Error) => void) | undefined;
    #deaf = false;
    async execute(sql: string, binds: Record<string, unknown>, options: Record<string, unknown>) {
      this.executes.push({ sql, binds, options });
      const b = state.next.shift() ?? { rows: [] };
      if (typeof b !== 'string') return { rows: b.rows };
      this.#deaf = b === 'hang, deaf to break';
      return new Promise((resolve, reject) => {
        this.#reject = reject;
        this.finish = () => resolve({ rows: [] });
      });
    }
    // As Thin mode does: a break marker, after which the statement fails with ORA-01013.
    async break() {
      this.breaks++;
      if (!this.#deaf) this.#reject?.(Object.assign(new Error('ORA-01013: user requested cancel of current operation'), { errorNum: 1013 }));
    }
    async close() {
      this.closes++;
    }
  }
  class FakePool {
    readonly connections: FakeConnection[] = [];
    closedWith: number | undefined;
    async getConnection() {
      const c = new FakeConnection();
      this.connections.push(c);
      return c;
    }
    async close(drainTime: number) {
      this.closedWith = drainTime;
    }
  }
  const state = { pools: [] as { attrs: Record<string, unknown>; pool: FakePool }[], next: [] as Behaviour[] };
  return {
    state,
    async createPool(attrs: Record<string, unknown>) {
      const pool = new FakePool();
      state.pools.push({ attrs, pool });
      return pool;
    },
  };
});

vi.mock('oracledb', async (importOriginal) => {
  const real = ((await importOriginal()) as { default: typeof oracledb }).default;
  return { default: { ...real, createPool: fake.createPool } };
});

const silent = { debug() {}, info() {}, warn() {}, error() {} };

function definition(stringBinds?: 'varchar' | 'nvarchar'): OracleDefinition {
  return {
    id: 'ccs',
    kind: 'oracle',
    timeoutMs: 4_000,
    connection: {
      connectString: 'ccs-db.internal:1521/CCSPDB',
      user: 'cirms_reader',
      password: { env: 'CIRMS_TEST_ORACLE_PW' },
      maxConnections: 3,
      ...(stringBinds ? { stringBinds } : {}),
    },
    queries: {
      person: {
        by: {
          hkid: `SELECT person_id AS "person_id", name_zh AS "name_zh", remarks AS "remarks" FROM ccs.persons
                  WHERE hkid_norm = :value AND remarks <> q'[:raw]' FETCH FIRST :limit ROWS ONLY`,
          name: `SELECT person_id AS "person_id" FROM ccs.persons WHERE UPPER(name_compact) IN (:compact) OR name_zh = :raw`,
        },
        mapping: { key: 'P{{person_id}}', names: [{ field: 'name_zh', script: 'han' }], fields: ['remarks'] },
      },
    },
  };
}

let connector: OracleConnector;
beforeEach(() => {
  process.env.CIRMS_TEST_ORACLE_PW = 's3cret!';
  fake.state.pools.length = 0;
  fake.state.next.length = 0;
  connector = new OracleConnector(definition());
});
afterEach(async () => {
  await connector.close();
  delete process.env.CIRMS_TEST_ORACLE_PW;
});

function search(c: OracleConnector, by: string, params: ReturnType<typeof identifierParams>, ms = 5_000) {
  const d = deadline(ms);
  return c.search({ type: 'person', by, params }, { signal: d.signal, searchId: 't', log: silent }).finally(() => d.clear());
}

const lastConnection = () => fake.state.pools.at(-1)!.pool.connections.at(-1)!;

describe('oracle connector (driver mocked: Oracle Database cannot run here)', () => {
  it('opens nothing until the first search, then a Thin-mode pool with the declared settings', async () => {
    expect(fake.state.pools).toHaveLength(0);
    await search(connector, 'hkid', identifierParams('hkid', 'A123456(3)', 10));
    expect(fake.state.pools.map((p) => p.attrs)).toEqual([
      {
        user: 'cirms_reader',
        password: 's3cret!',
        connectString: 'ccs-db.internal:1521/CCSPDB',
        poolMin: 0,
        poolMax: 3,
        poolIncrement: 1,
        poolTimeout: 30,
        connectTimeout: 4,
      },
    ]);
  });

  it('sends :b placeholders bound by name with their types, leaves q-quoted text alone, and maps rows', async () => {
    fake.state.next.push({ rows: [{ person_id: 42, name_zh: '陳大文', remarks: 'x' }] });
    const records = await search(connector, 'hkid', identifierParams('hkid', 'A123456(3)', 10));
    const { sql, binds, options } = lastConnection().executes[0]!;
    expect(sql).toBe(`SELECT person_id AS "person_id", name_zh AS "name_zh", remarks AS "remarks" FROM ccs.persons
                  WHERE hkid_norm = :b1 AND remarks <> q'[:raw]' FETCH FIRST :b2 ROWS ONLY`);
    expect(binds).toEqual({
      b1: { val: 'A1234563', type: oracledb.DB_TYPE_VARCHAR },
      b2: { val: 10, type: oracledb.DB_TYPE_NUMBER },
    });
    expect(options.outFormat).toBe(oracledb.OUT_FORMAT_OBJECT);
    const fetchAs = options.fetchTypeHandler as (m: { dbType: unknown }) => unknown;
    expect(fetchAs({ dbType: oracledb.DB_TYPE_CLOB })).toEqual({ type: oracledb.STRING });
    expect(fetchAs({ dbType: oracledb.DB_TYPE_VARCHAR })).toBeUndefined();
    expect(records).toMatchObject([{ key: 'P42', names: [{ value: '陳大文', script: 'han' }], fields: { remarks: 'x' } }]);
    expect(lastConnection().closes).toBe(1);
  });

  it('expands an array parameter into one bind per element, binding strings as NVARCHAR when configured', async () => {
    const national = new OracleConnector(definition('nvarchar'));
    const params = { raw: '陳大文', value: 'CHAN TAI MAN', compact: ['CHANTAIMAN', 'TAIMANCHAN'], tokens: [], prefixes: [], limit: 5 };
    await search(national, 'name', params);
    await national.close();
    const { sql, binds } = lastConnection().executes[0]!;
    expect(sql).toBe('SELECT person_id AS "person_id" FROM ccs.persons WHERE UPPER(name_compact) IN (:b1, :b2) OR name_zh = :b3');
    expect(binds).toEqual({
      b1: { val: 'CHANTAIMAN', type: oracledb.DB_TYPE_NVARCHAR },
      b2: { val: 'TAIMANCHAN', type: oracledb.DB_TYPE_NVARCHAR },
      b3: { val: '陳大文', type: oracledb.DB_TYPE_NVARCHAR },
    });
  });

  it('on abort calls connection.break(), rejects with the deadline, and returns the connection once the statement is over', async () => {
    fake.state.next.push('hang');
    await expect(search(connector, 'hkid', identifierParams('hkid', 'A123456(3)', 10), 50)).rejects.toBeInstanceOf(DeadlineError);
    const conn = lastConnection();
    expect(conn.breaks).toBe(1);
    await vi.waitFor(() => expect(conn.closes).toBe(1));
  });

  it('rejects at the deadline even when the break is never acknowledged, keeping the busy connection out of the pool until it is', async () => {
    fake.state.next.push('hang, deaf to break');
    await expect(search(connector, 'hkid', identifierParams('hkid', 'A123456(3)', 10), 50)).rejects.toBeInstanceOf(DeadlineError);
    const conn = lastConnection();
    expect(conn.breaks).toBe(1);
    expect(conn.closes).toBe(0);
    conn.finish!();
    await vi.waitFor(() => expect(conn.closes).toBe(1));
  });

  it('checks health with SELECT 1 FROM DUAL and closes its pool at once', async () => {
    const d = deadline(1_000);
    await connector.health(d.signal);
    d.clear();
    expect(lastConnection().executes[0]!.sql).toBe('SELECT 1 FROM DUAL');
    await connector.close();
    expect(fake.state.pools[0]!.pool.closedWith).toBe(0);
  });
});
