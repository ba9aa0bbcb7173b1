import type { Connection, DbType, Metadata, Pool } from 'oracledb';
import { raceAbort } from '../lib/abort.ts';
import { readSecret, secretRefSchema, type SecretRef } from './secret.ts';
import {
  awaitStatement,
  Lazy,
  maxConnectionsSchema,
  sqlDefinitionSchema,
  SqlConnector,
  type Row,
  type SqlDefinition,
  type SqlDialect,
  type SqlDriver,
} from './sql.ts';
import { ANSI_OPAQUE, expandSql, parseSql, type Statement } from './sql-template.ts';

export interface OracleDefinition extends SqlDefinition {
  kind: 'oracle';
  connection: {
    /** Easy Connect (db.internal:1521/SERVICE) or a TNS descriptor. */
    connectString: string;
    user: string;
    password: SecretRef;
    /**
     * `nvarchar` binds strings in the national character set: needed when the database character set
     * is not Unicode and names live in NVARCHAR2 columns. The default `varchar` suits AL32UTF8
     * databases, where an NVARCHAR bind would make Oracle convert the column and skip its index.
     */
    stringBinds?: 'varchar' | 'nvarchar';
    maxConnections?: number;
  };
}

export const oracleDefinitionSchema = sqlDefinitionSchema('oracle', {
  type: 'object',
  additionalProperties: false,
  required: ['connectString', 'user', 'password'],
  properties: {
    connectString: { type: 'string', minLength: 1 },
    user: { type: 'string', minLength: 1 },
    password: secretRefSchema,
    stringBinds: { enum: ['varchar', 'nvarchar'] },
    maxConnections: maxConnectionsSchema,
  },
});

// Oracle's alternative quoting q'[…]' (and q'{…}', q'(…)', q'<…>', q'!…!') may hold a colon that is no
// parameter.
const ORACLE_OPAQUE = [`[qQ]'(?:\\[[\\s\\S]*?\\]|\\{[\\s\\S]*?\\}|\\([\\s\\S]*?\\)|<[\\s\\S]*?>|(?<qd>\\S)[\\s\\S]*?\\k<qd>)'`, ...ANSI_OPAQUE];

/**
 * `:b1` once per distinct parameter, bound by name. `:value` is itself valid Oracle bind syntax, but
 * the template's names are not passed through: some (`:raw`) are reserved words Oracle refuses as bind
 * names, and an expanded array needs one bind per element.
 */
export const oracleDialect: SqlDialect = {
  compile(sql) {
    const parsed = parseSql(sql, ORACLE_OPAQUE);
    return (params) => expandSql(parsed, params, { placeholder: (n) => `:b${n}`, reuse: true });
  },
  healthSql: 'SELECT 1 FROM DUAL',
};

type OracleDb = typeof import('oracledb');

class OracleDriver implements SqlDriver {
  readonly #pool: Lazy<{ pool: Pool; oracledb: OracleDb }>;
  readonly #national: boolean;

  constructor(def: OracleDefinition) {
    const c = def.connection;
    const attrs = {
      user: c.user,
      password: readSecret(c.password),
      connectString: c.connectString,
      poolMin: 0,
      poolMax: c.maxConnections ?? 4,
      poolIncrement: 1,
      // Idle connections are closed after 30 s, as the other SQL kinds do.
      poolTimeout: 30,
      connectTimeout: Math.ceil((def.timeoutMs ?? 5_000) / 1_000),
    };
    this.#national = c.stringBinds === 'nvarchar';
    // node-oracledb defaults to Thin mode (pure JavaScript, no Instant Client).
    this.#pool = new Lazy(async () => {
      const { default: oracledb } = await import('oracledb');
      return { pool: await oracledb.createPool(attrs), oracledb };
    });
  }

  /**
   * On abort, `connection.break()` interrupts the statement on the server (it fails with ORA-01013);
   * the connection goes back to the pool once the statement is over.
   */
  async query({ text, values }: Statement, signal: AbortSignal): Promise<Row[]> {
    const { pool, oracledb } = await raceAbort(this.#pool.get(), signal);
    const conn = await raceAbort(pool.getConnection(), signal, (c) => void c.close().catch(() => {}));
    const stringType: DbType = this.#national ? oracledb.DB_TYPE_NVARCHAR : oracledb.DB_TYPE_VARCHAR;
    const binds = Object.fromEntries(
      values.map((v, i) => [`b${i + 1}`, { val: v, type: typeof v === 'number' ? oracledb.DB_TYPE_NUMBER : stringType }]),
    );
    const done = conn.execute<Row>(text, binds, {
      outFormat: oracledb.OUT_FORMAT_OBJECT,
      // LOBs would arrive as streams; mapped fields want their text.
      fetchTypeHandler: (meta: Metadata<unknown>) =>
        meta.dbType === oracledb.DB_TYPE_CLOB || meta.dbType === oracledb.DB_TYPE_NCLOB ? { type: oracledb.STRING } : undefined,
    });
    try {
      return await awaitStatement(
        done.then((r) => r.rows ?? []),
        signal,
        () => void conn.break().catch(() => {}),
      );
    } finally {
      void releaseAfter(done, conn);
    }
  }

  async close(): Promise<void> {
    await (await this.#pool.ifMade())?.pool.close(0);
  }
}

/** A connection is returned only when its statement is over: a busy one handed out again would queue. */
async function releaseAfter(statement: Promise<unknown>, conn: Connection): Promise<void> {
  await statement.catch(() => {});
  await conn.close().catch(() => {});
}

export class OracleConnector extends SqlConnector {
  constructor(def: OracleDefinition) {
    super('oracle', def, oracleDialect, () => new OracleDriver(def));
  }
}
