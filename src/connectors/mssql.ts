import type { ConnectionPool, ISqlType, ISqlTypeFactoryWithNoParams } from 'mssql';
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

export interface MssqlDefinition extends SqlDefinition {
  kind: 'mssql';
  connection: {
    server: string;
    port?: number;
    /** A named instance (SQLEXPRESS), reached through the SQL Browser instead of `port`. */
    instanceName?: string;
    database: string;
    user: string;
    password: SecretRef;
    /** TLS on the wire; default true, as SQL Server 2022 and Azure SQL expect. */
    encrypt?: boolean;
    /** Accept a self-signed server certificate; default false, for test servers only. */
    trustServerCertificate?: boolean;
    maxConnections?: number;
  };
}

export const mssqlDefinitionSchema = sqlDefinitionSchema('mssql', {
  type: 'object',
  additionalProperties: false,
  required: ['server', 'database', 'user', 'password'],
  properties: {
    server: { type: 'string', minLength: 1 },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    instanceName: { type: 'string', minLength: 1 },
    database: { type: 'string', minLength: 1 },
    user: { type: 'string', minLength: 1 },
    password: secretRefSchema,
    encrypt: { type: 'boolean' },
    trustServerCertificate: { type: 'boolean' },
    maxConnections: maxConnectionsSchema,
  },
});

// T-SQL quotes identifiers with "…" (QUOTED_IDENTIFIER is on for every driver connection) or […].
const MSSQL_OPAQUE = [...ANSI_OPAQUE, `\\[(?:[^\\]]|\\]\\])*\\]`];

/** `@p1` once per distinct parameter; arrays expand to `@p2, @p3`, so templates write `IN (:compact)`. */
export const mssqlDialect: SqlDialect = {
  compile(sql) {
    const parsed = parseSql(sql, MSSQL_OPAQUE);
    return (params) => expandSql(parsed, params, { placeholder: (n) => `@p${n}`, reuse: true });
  },
  healthSql: 'SELECT 1',
};

type Mssql = typeof import('mssql');

/**
 * Strings go as NVARCHAR: a VARCHAR parameter is converted to the server's code page and Chinese names
 * arrive as '?'. One declared length (4000, the longest non-MAX NVARCHAR) keeps one cached plan per
 * statement instead of one per value length.
 */
function mssqlType(sql: Mssql, v: unknown): ISqlType | ISqlTypeFactoryWithNoParams {
  if (typeof v === 'number') return Number.isInteger(v) ? sql.Int : sql.Float;
  if (typeof v === 'string' && v.length > 4000) return sql.NVarChar(sql.MAX);
  return sql.NVarChar(4000);
}

class MssqlDriver implements SqlDriver {
  readonly #pool: Lazy<{ pool: ConnectionPool; sql: Mssql }>;

  constructor(def: MssqlDefinition) {
    const c = def.connection;
    const config = {
      server: c.server,
      ...(c.port !== undefined ? { port: c.port } : {}),
      database: c.database,
      user: c.user,
      password: readSecret(c.password),
      connectionTimeout: def.timeoutMs ?? 5_000,
      // The deadline is the search's signal; the driver's own timer (15 s by default) would cut a
      // source allowed a longer one, so it is set past the longest timeoutMs a definition may have.
      requestTimeout: 120_000,
      options: {
        encrypt: c.encrypt ?? true,
        trustServerCertificate: c.trustServerCertificate ?? false,
        appName: 'cirms-hub',
        ...(c.instanceName !== undefined ? { instanceName: c.instanceName } : {}),
      },
      pool: { max: c.maxConnections ?? 4, min: 0, idleTimeoutMillis: 30_000 },
    };
    this.#pool = new Lazy(async () => {
      const { default: sql } = await import('mssql');
      const pool = new sql.ConnectionPool(config);
      // A pooled connection losing its server must not crash the hub; the next request reconnects.
      pool.on('error', () => {});
      await pool.connect();
      return { pool, sql };
    });
  }

  /**
   * On abort, `request.cancel()` sends a TDS attention: the server stops the statement and
   * acknowledges, and the connection goes back to the pool clean.
   */
  async query({ text, values }: Statement, signal: AbortSignal): Promise<Row[]> {
    const { pool, sql } = await raceAbort(this.#pool.get(), signal);
    const request = pool.request();
    values.forEach((v, i) => request.input(`p${i + 1}`, mssqlType(sql, v), v));
    const done = request.query(text).then((r) => (r.recordset ?? []) as Row[]);
    return awaitStatement(done, signal, () => request.cancel());
  }

  async close(): Promise<void> {
    await (await this.#pool.ifMade())?.pool.close();
  }
}

export class MssqlConnector extends SqlConnector {
  constructor(def: MssqlDefinition) {
    super('mssql', def, mssqlDialect, () => new MssqlDriver(def));
  }
}
