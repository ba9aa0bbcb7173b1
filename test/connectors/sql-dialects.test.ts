import { describe, expect, it } from 'vitest';
import { KINDS } from '../../src/connectors/kinds.ts';
import { mssqlDialect } from '../../src/connectors/mssql.ts';
import { mysqlDialect } from '../../src/connectors/mysql.ts';
import { oracleDialect } from '../../src/connectors/oracle.ts';
import { postgresDialect } from '../../src/connectors/postgres.ts';
import { validateDefinition } from '../../src/connectors/validate.ts';
import type { QueryParams } from '../../src/model/query.ts';
import { NetworkPolicy } from '../../src/connectors/network.ts';

const params: QueryParams = {
  raw: 'Chan Tai Man',
  value: 'CHAN TAI MAN',
  compact: ['CHANTAIMAN', 'TAIMANCHAN'],
  tokens: [],
  prefixes: ['CHANTAIMAN%', 'TAIMANCHAN%'],
  limit: 20,
};

const TEMPLATE = 'SELECT * FROM t WHERE a = :value OR b IN (:compact) OR c IN (:tokens) OR d = :value LIMIT :limit';

describe('SQL dialects: one template, each driver its own placeholders', () => {
  it('postgres: $n once per name, arrays bound whole', () => {
    const stmt = postgresDialect.compile('SELECT * FROM t WHERE a = :value OR b = ANY(:compact) OR d = :value LIMIT :limit')(params);
    expect(stmt).toEqual({
      text: 'SELECT * FROM t WHERE a = $1 OR b = ANY($2) OR d = $1 LIMIT $3',
      values: ['CHAN TAI MAN', ['CHANTAIMAN', 'TAIMANCHAN'], 20],
    });
  });

  it('mysql: ? per occurrence, arrays expanded per element, an empty array as one NULL', () => {
    expect(mysqlDialect.compile(TEMPLATE)(params)).toEqual({
      text: 'SELECT * FROM t WHERE a = ? OR b IN (?, ?) OR c IN (?) OR d = ? LIMIT ?',
      values: ['CHAN TAI MAN', 'CHANTAIMAN', 'TAIMANCHAN', null, 'CHAN TAI MAN', 20],
    });
  });

  it('mssql: @pn once per value, arrays expanded', () => {
    const sql = 'SELECT TOP (:limit) * FROM t WHERE a = :value OR b IN (:compact) OR c IN (:tokens) OR d = :value ORDER BY id';
    expect(mssqlDialect.compile(sql)(params)).toEqual({
      text: 'SELECT TOP (@p1) * FROM t WHERE a = @p2 OR b IN (@p3, @p4) OR c IN (@p5) OR d = @p2 ORDER BY id',
      values: [20, 'CHAN TAI MAN', 'CHANTAIMAN', 'TAIMANCHAN', null],
    });
  });

  it('oracle: :bn named binds, never the template names themselves', () => {
    const sql = 'SELECT * FROM t WHERE a = :value OR b IN (:compact) OR r = :raw OR d = :value FETCH FIRST :limit ROWS ONLY';
    expect(oracleDialect.compile(sql)(params)).toEqual({
      text: 'SELECT * FROM t WHERE a = :b1 OR b IN (:b2, :b3) OR r = :b4 OR d = :b1 FETCH FIRST :b5 ROWS ONLY',
      values: ['CHAN TAI MAN', 'CHANTAIMAN', 'TAIMANCHAN', 'Chan Tai Man', 20],
    });
  });

  it("leaves each dialect's quoted text and comments alone", () => {
    const one = { ...params, compact: ['X'] };
    expect(mysqlDialect.compile("SELECT `a:value`, 'it\\'s :value', \"x\\\":raw\" # :raw\nFROM t WHERE a = :value")(one).text).toBe(
      "SELECT `a:value`, 'it\\'s :value', \"x\\\":raw\" # :raw\nFROM t WHERE a = ?",
    );
    expect(mssqlDialect.compile("SELECT [a:value], [b]]:raw], N'陳:raw' -- :raw\nFROM t WHERE a = :value")(one).text).toBe(
      "SELECT [a:value], [b]]:raw], N'陳:raw' -- :raw\nFROM t WHERE a = @p1",
    );
    expect(oracleDialect.compile("SELECT q'[it's :raw]', q'!:x!', TO_CHAR(d, 'HH24:MI') /* :raw */ FROM t WHERE a = :value")(one).text).toBe(
      "SELECT q'[it's :raw]', q'!:x!', TO_CHAR(d, 'HH24:MI') /* :raw */ FROM t WHERE a = :b1",
    );
    expect(postgresDialect.compile("SELECT :value::text, '{:raw}', \"c:raw\" FROM t")(one).text).toBe(`SELECT $1::text, '{:raw}', "c:raw" FROM t`);
  });

  it('refuses a name that is not a template parameter — in Oracle it would otherwise be a bind left unbound', () => {
    for (const d of [postgresDialect, mysqlDialect, mssqlDialect, oracleDialect]) {
      expect(() => d.compile('SELECT * FROM t WHERE hkid = :hkid')).toThrow(/unknown parameter :hkid/);
    }
  });
});

const mapping = { key: 'P{{id}}' };

describe('SQL kinds: definitions', () => {
  const valid = {
    mysql: { kind: 'mysql', connection: { url: 'mysql://reader@itd-db:3306/itd', password: { env: 'ITD_PW' } } },
    mysqlByHost: { kind: 'mysql', connection: { host: 'itd-db', port: 3306, database: 'itd', user: 'reader', password: { file: '/run/secrets/itd' } } },
    mssql: {
      kind: 'mssql',
      connection: { server: 'cis-db', database: 'cis', user: 'reader', password: { env: 'CIS_PW' }, encrypt: true, trustServerCertificate: false },
    },
    oracle: { kind: 'oracle', connection: { connectString: 'ora:1521/FREEPDB1', user: 'reader', password: { env: 'ORA_PW' }, stringBinds: 'nvarchar' } },
  };

  it('accepts each kind with its own connection shape', () => {
    for (const d of Object.values(valid)) {
      expect(validateDefinition({ id: 'src', ...d, queries: { person: { by: { hkid: 'SELECT 1' }, mapping } } })).toEqual([]);
    }
  });

  it('takes passwords only as secret references, never written in the definition or its URL', () => {
    const errors = (d: object) => validateDefinition({ id: 'src', ...d, queries: { person: { by: { hkid: 'SELECT 1' }, mapping } } });
    expect(errors({ kind: 'mssql', connection: { ...valid.mssql.connection, password: 'hunter2' } })).not.toEqual([]);
    expect(errors({ kind: 'oracle', connection: { ...valid.oracle.connection, password: 'hunter2' } })).not.toEqual([]);
    expect(errors({ kind: 'mysql', connection: { url: 'mysql://reader:hunter2@itd-db/itd' } })).not.toEqual([]);
    expect(errors({ kind: 'mysql', connection: { url: 'mysql://reader@itd-db/itd', host: 'itd-db', user: 'x' } })).not.toEqual([]);
    expect(errors({ kind: 'mssql', connection: { server: 'cis-db', database: 'cis', user: 'reader' } })).toEqual([
      { path: '/connection/password', message: 'is required' },
    ]);
  });

  it("checks templates with the kind's own dialect, naming the query", () => {
    const def = { id: 'src', ...valid.oracle, queries: { person: { by: { hkid: "SELECT q'[:x]' FROM t WHERE a = :hkid" }, mapping } } };
    expect(KINDS.oracle!.check!(def)).toEqual([{ path: '/queries/person/by/hkid', message: expect.stringMatching(/^unknown parameter :hkid/) }]);
    expect(() => KINDS.oracle!.create(def, { network: new NetworkPolicy() })).toThrow('/queries/person/by/hkid unknown parameter :hkid');
  });
});
