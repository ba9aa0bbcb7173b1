import sql from 'mssql';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MssqlConnector, type MssqlDefinition } from '../../src/connectors/mssql.ts';
import { identifierParams } from '../../src/federation/plan.ts';
import { deadline, DeadlineError } from '../../src/lib/abort.ts';

// SQL Server cannot run on this machine, so these tests stop at the driver boundary: the `mssql`
// package's ConnectionPool is replaced by a fake that records what the connector hands the driver
// (statement text, parameter names, types and values, pool settings) and behaves as the driver does
// on cancel. Its data types are the real ones. mssql.integration.test.ts runs against a real server.

type Behaviour = { rows: Record<string, unknown>[] } | { error: Error } | 'hang' | 'hang, deaf to cancel';

const fake = vi.hoisted(() => {
  class FakeRequest {
    readonly inputs: { name: string; type: unknown; value: unknown }[] = [];
    text: string | undefined;
    cancels = 0;
    #reject: ((e: Error) => void) | undefined;
    #deaf = false;
    readonly behaviour: Behaviour;
    constructor(behaviour: Behaviour) {
      this.behaviour = behaviour;
    }
    input(name: string, type: unknown, value: unknown) {
      this.inputs.push({ name, type, value });
      return this;
    }
    query(text: string) {
      this.text = text;
      const b = this.behaviour;
      if (typeof b === 'string') {
        this.#deaf = b === 'hang, deaf to cancel';
        return new Promise((_resolve, reject) => (this.#reject = reject));
      }
      return 'error' in b ? Promise.reject(b.error) : Promise.resolve({ recordset: b.rows });
    }
    // As mssql does: a TDS attention, after which the request fails with ECANCEL.
    cancel() {
      this.cancels++;
      if (!this.#deaf) this.#reject?.(Object.assign(new Error('Canceled.'), { code: 'ECANCEL' }));
    }
  }
  class FakePool {
    readonly requests: FakeRequest[] = [];
    closed = false;
    readonly config: Record<string, unknown>;
    constructor(config: Record<string, unknown>) {
      this.config = config;
      state.pools.push(this);
    }
    on() {
      return this;
    }
    async connect() {
      return this;
    }
    request() {
      const r = new FakeRequest(state.next.shift() ?? { rows: [] });
      this.requests.push(r);
      return r;
    }
    async close() {
      this.closed = true;
    }
  }
  const state = { pools: [] as FakePool[], next: [] as Behaviour[] };
  return { state, FakePool };
});

vi.mock('mssql', async (importOriginal) => {
  const real = ((await importOriginal()) as { default: typeof sql }).default;
  return { default: { ...real, ConnectionPool: fake.FakePool } };
});

const silent = { debug() {}, info() {}, warn() {}, error() {} };

function definition(): MssqlDefinition {
  return {
    id: 'cis',
    kind: 'mssql',
    timeoutMs: 3_000,
    connection: { server: 'cis-db.internal', port: 1433, database: 'cis', user: 'cirms_reader', password: { env: 'CIRMS_TEST_MSSQL_PW' }, maxConnections: 6 },
    queries: {
      person: {
        by: {
          hkid: `SELECT TOP (:limit) report_id, name_en, name_zh, hkid FROM dbo.reports WHERE hkid_norm = :value ORDER BY report_id`,
          name: `SELECT report_id, name_en, name_zh, hkid FROM dbo.reports
                  WHERE name_compact IN (:compact) OR name_zh = :raw
                  ORDER BY report_id OFFSET 0 ROWS FETCH NEXT :limit ROWS ONLY`,
        },
        mapping: {
          key: 'R{{report_id}}',
          names: [{ field: 'name_en', script: 'latin' }, { field: 'name_zh', script: 'han' }],
          identifiers: [{ scheme: 'hkid', field: 'hkid' }],
        },
      },
    },
  };
}

let connector: MssqlConnector;
beforeEach(() => {
  process.env.CIRMS_TEST_MSSQL_PW = 's3cret!';
  fake.state.pools.length = 0;
  fake.state.next.length = 0;
  connector = new MssqlConnector(definition());
});
afterEach(async () => {
  await connector.close();
  delete process.env.CIRMS_TEST_MSSQL_PW;
});

function search(by: string, params: ReturnType<typeof identifierParams>, ms = 5_000) {
  const d = deadline(ms);
  return connector.search({ type: 'person', by, params }, { signal: d.signal, searchId: 't', log: silent }).finally(() => d.clear());
}

const nvarchar = (value: unknown) => ({ type: { type: sql.NVarChar, length: 4000 }, value });

describe('mssql connector (driver mocked: SQL Server cannot run here)', () => {
  it('opens nothing until the first search, then one pool with the declared settings', async () => {
    expect(fake.state.pools).toHaveLength(0);
    await search('hkid', identifierParams('hkid', 'A123456(3)', 10));
    expect(fake.state.pools).toHaveLength(1);
    expect(fake.state.pools[0]!.config).toMatchObject({
      server: 'cis-db.internal',
      port: 1433,
      database: 'cis',
      user: 'cirms_reader',
      password: 's3cret!',
      connectionTimeout: 3_000,
      options: { encrypt: true, trustServerCertificate: false, appName: 'cirms-hub' },
      pool: { max: 6, min: 0 },
    });
  });

  it('sends @p placeholders, strings as NVARCHAR(4000), :limit as INT, and maps the recordset', async () => {
    fake.state.next.push({ rows: [{ report_id: 7, name_en: 'CHAN Tai-man', name_zh: '陳大文', hkid: 'A123456(3)' }] });
    const records = await search('hkid', identifierParams('hkid', 'A123456(3)', 10));
    const request = fake.state.pools[0]!.requests[0]!;
    expect(request.text).toBe('SELECT TOP (@p1) report_id, name_en, name_zh, hkid FROM dbo.reports WHERE hkid_norm = @p2 ORDER BY report_id');
    expect(request.inputs).toEqual([
      { name: 'p1', type: sql.Int, value: 10 },
      { name: 'p2', ...nvarchar('A1234563') },
    ]);
    expect(records).toMatchObject([{ key: 'R7', names: [{ value: 'CHAN Tai-man' }, { value: '陳大文', script: 'han' }] }]);
  });

  it('expands an array parameter into one NVARCHAR parameter per element; Chinese stays NVARCHAR', async () => {
    const params = { raw: '陳大文', value: 'CHAN TAI MAN', compact: ['CHANTAIMAN', 'TAIMANCHAN'], tokens: [], prefixes: [], limit: 5 };
    await search('name', params);
    const request = fake.state.pools[0]!.requests[0]!;
    expect(request.text).toBe(`SELECT report_id, name_en, name_zh, hkid FROM dbo.reports
                  WHERE name_compact IN (@p1, @p2) OR name_zh = @p3
                  ORDER BY report_id OFFSET 0 ROWS FETCH NEXT @p4 ROWS ONLY`);
    expect(request.inputs).toEqual([
      { name: 'p1', ...nvarchar('CHANTAIMAN') },
      { name: 'p2', ...nvarchar('TAIMANCHAN') },
      { name: 'p3', ...nvarchar('陳大文') },
      { name: 'p4', type: sql.Int, value: 5 },
    ]);
  });

  it('on abort calls request.cancel() and rejects with the deadline', async () => {
    fake.state.next.push('hang');
    await expect(search('hkid', identifierParams('hkid', 'A123456(3)', 10), 50)).rejects.toBeInstanceOf(DeadlineError);
    expect(fake.state.pools[0]!.requests[0]!.cancels).toBe(1);
  });

  it('rejects at the deadline even when the driver never acknowledges the cancel', async () => {
    fake.state.next.push('hang, deaf to cancel');
    await expect(search('hkid', identifierParams('hkid', 'A123456(3)', 10), 50)).rejects.toBeInstanceOf(DeadlineError);
    expect(fake.state.pools[0]!.requests[0]!.cancels).toBe(1);
  });

  it('rejects with the driver error when the statement fails', async () => {
    fake.state.next.push({ error: Object.assign(new Error("Invalid object name 'dbo.reports'."), { code: 'EREQUEST', number: 208 }) });
    await expect(search('hkid', identifierParams('hkid', 'A123456(3)', 10))).rejects.toMatchObject({ code: 'EREQUEST', number: 208 });
  });

  it('checks health with SELECT 1 and closes its pool', async () => {
    const d = deadline(1_000);
    await connector.health(d.signal);
    d.clear();
    expect(fake.state.pools[0]!.requests[0]!.text).toBe('SELECT 1');
    await connector.close();
    expect(fake.state.pools[0]!.closed).toBe(true);
  });

  it('needs its password secret when it is built', () => {
    delete process.env.CIRMS_TEST_MSSQL_PW;
    expect(() => new MssqlConnector(definition())).toThrow(/CIRMS_TEST_MSSQL_PW is not set/);
  });
});
