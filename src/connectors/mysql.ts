import type { ExecuteValues, Pool, PoolConnection, PoolOptions } from 'mysql2/promise';
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
import { expandSql, parseSql, type Statement } from './sql-template.ts';

export interface MysqlDefinition extends SqlDefinition {
  kind: 'mysql';
  /** `url` (mysql://user@host:3306/db, never with a password in it) or host/port/database/user. */
  connection: {
    url?: string;
    host?: string;
    port?: number;
    database?: string;
    user?: string;
    password?: SecretRef;
    maxConnections?: number;
  };
}

const common = { password: secretRefSchema, maxConnections: maxConnectionsSchema } as const;

// One way to say where the server is: a URL, or host and user — not both.
export const mysqlDefinitionSchema = sqlDefinitionSchema('mysql', {
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['url'],
      // No password in the URL: credentials come only from a SecretRef.
      properties: { url: { type: 'string', pattern: '^mysql://(?:[^:/@]+@)?[^@]+$' }, ...common },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['host', 'user'],
      properties: {
        host: { type: 'string', minLength: 1 },
        port: { type: 'integer', minimum: 1, maximum: 65535 },
        database: { type: 'string', minLength: 1 },
        user: { type: 'string', minLength: 1 },
        ...common,
      },
    },
  ],
});

// MySQL and MariaDB: `'…'` and `"…"` are strings with backslash escapes, identifiers are quoted with
// backticks, `#` starts a comment, and `--` does only before a space (`1--1` is arithmetic).
const MYSQL_OPAQUE = [
  `'(?:[^'\\\\]|\\\\[\\s\\S]|'')*'`,
  `"(?:[^"\\\\]|\\\\[\\s\\S]|"")*"`,
  '`(?:[^`]|``)*`',
  `#[^\\n]*`,
  `--(?=\\s)[^\\n]*`,
  `/\\*[\\s\\S]*?\\*/`,
];

/** `?` per occurrence; arrays expand to `?, ?, ?`, so templates write `IN (:compact)`. */
export const mysqlDialect: SqlDialect = {
  compile(sql) {
    const parsed = parseSql(sql, MYSQL_OPAQUE);
    return (params) => expandSql(parsed, params, { placeholder: () => '?', reuse: false });
  },
  healthSql: 'SELECT 1',
};

function poolOptions(def: MysqlDefinition): PoolOptions {
  const c = def.connection;
  return {
    ...(c.url ? { uri: c.url } : { host: c.host, port: c.port ?? 3306, user: c.user, database: c.database }),
    ...(c.password ? { password: readSecret(c.password) } : {}),
    // utf8mb4: Chinese names (and anything outside the BMP) round-trip; `utf8` would be 3-byte utf8mb3.
    charset: 'utf8mb4',
    connectionLimit: c.maxConnections ?? 4,
    maxIdle: c.maxConnections ?? 4,
    idleTimeout: 30_000,
    connectTimeout: def.timeoutMs ?? 5_000,
    // A BIGINT key beyond 2^53 arrives as a string instead of silently losing digits.
    supportBigNumbers: true,
  };
}

class MysqlDriver implements SqlDriver {
  readonly #options: PoolOptions;
  readonly #pool: Lazy<{ pool: Pool; mysql: typeof import('mysql2/promise') }>;

  constructor(def: MysqlDefinition) {
    this.#options = poolOptions(def);
    this.#pool = new Lazy(async () => {
      const { default: mysql } = await import('mysql2/promise');
      return { pool: mysql.createPool(this.#options), mysql };
    });
  }

  /**
   * Server-side prepared statements (`execute`): values travel apart from the text. On abort the
   * statement is killed from a side connection and its connection destroyed, never pooled again.
   */
  async query({ text, values }: Statement, signal: AbortSignal): Promise<Row[]> {
    const { pool, mysql } = await raceAbort(this.#pool.get(), signal);
    const conn = await raceAbort(pool.getConnection(), signal, (c) => c.release());
    const done = conn.execute(text, values as ExecuteValues[]).then(([rows]) => (Array.isArray(rows) ? (rows as Row[]) : []));
    return awaitStatement(
      done,
      signal,
      () => void killQuery(mysql, this.#options, conn).finally(() => conn.destroy()),
      (abandoned) => {
        if (!abandoned) conn.release();
      },
    );
  }

  async close(): Promise<void> {
    await (await this.#pool.ifMade())?.pool.end();
  }
}

/**
 * MySQL has no out-of-band cancel: `KILL QUERY <thread id>` from another connection stops the running
 * statement and leaves that connection alive. Best effort, bounded by the connect timeout.
 */
async function killQuery(mysql: typeof import('mysql2/promise'), options: PoolOptions, conn: PoolConnection): Promise<void> {
  try {
    const side = await mysql.createConnection(options);
    try {
      // The thread id is the server's integer, not input: nothing to bind, and KILL cannot be prepared.
      await side.query(`KILL QUERY ${Number(conn.threadId)}`);
    } finally {
      await side.end();
    }
  } catch {
    // The statement's connection is destroyed regardless; a statement the KILL missed runs to its end
    // on the server but holds no pool slot.
  }
}

export class MysqlConnector extends SqlConnector {
  constructor(def: MysqlDefinition) {
    super('mysql', def, mysqlDialect, () => new MysqlDriver(def));
  }
}
