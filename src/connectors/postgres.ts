import { connect } from 'node:net';
import pg from 'pg';
import { raceAbort } from '../lib/abort.ts';
import { readSecret, secretRefSchema, type SecretRef } from './secret.ts';
import {
  awaitStatement,
  maxConnectionsSchema,
  sqlDefinitionSchema,
  SqlConnector,
  type Row,
  type SqlDefinition,
  type SqlDialect,
  type SqlDriver,
} from './sql.ts';
import { bindSql, compileSql, type Statement } from './sql-template.ts';

export interface PostgresDefinition extends SqlDefinition {
  kind: 'postgres';
  connection: {
    url: string;
    password?: SecretRef;
    /** Pool size; PGlite served over a socket allows no more than its own connection limit. */
    maxConnections?: number;
  };
}

export const postgresDefinitionSchema = sqlDefinitionSchema('postgres', {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: {
    url: { type: 'string', pattern: '^postgres(ql)?://' },
    password: secretRefSchema,
    maxConnections: maxConnectionsSchema,
  },
});

/** `$1` once per distinct parameter; pg binds a JS array as one array value, so templates write `= ANY(:compact)`. */
export const postgresDialect: SqlDialect = {
  compile(sql) {
    const compiled = compileSql(sql, (n) => `$${n}`);
    return (params) => ({ text: compiled.text, values: bindSql(compiled, params) });
  },
  healthSql: 'SELECT 1',
};

/** What pg keeps of a connection's identity on the server (from BackendKeyData at start-up). */
interface BackendKey {
  host: string;
  port: number;
  processID: number | null;
  secretKey: number | null;
}

/**
 * PostgreSQL's cancel protocol: a side connection sends CancelRequest (code 80877102) with the busy
 * backend's pid and secret key, and the server interrupts that backend's statement. Best effort — a
 * server that does not support it (PGlite over a socket) simply closes the side connection.
 */
function sendCancelRequest(key: BackendKey): void {
  if (key.processID == null || key.secretKey == null) return;
  const msg = Buffer.alloc(16);
  msg.writeInt32BE(16, 0);
  msg.writeInt32BE(80877102, 4);
  msg.writeInt32BE(key.processID, 8);
  msg.writeInt32BE(key.secretKey, 12);
  const socket = connect({ host: key.host, port: key.port }, () => socket.end(msg));
  socket.setTimeout(5_000, () => socket.destroy());
  socket.on('error', () => socket.destroy());
}

class PgDriver implements SqlDriver {
  readonly #pool: pg.Pool;

  constructor(def: PostgresDefinition) {
    this.#pool = new pg.Pool({
      connectionString: def.connection.url,
      max: def.connection.maxConnections ?? 4,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: def.timeoutMs ?? 5_000,
      application_name: 'cirms-hub',
      ...(def.connection.password ? { password: readSecret(def.connection.password) } : {}),
    });
    // An idle client losing its server must not crash the hub; the next checkout reconnects.
    this.#pool.on('error', () => {});
  }

  /**
   * On abort the server is asked to cancel the statement (a CancelRequest on a side connection, as
   * psql's Ctrl-C does) and the client is discarded rather than returned to the pool with a statement
   * possibly still running on it.
   */
  async query({ text, values }: Statement, signal: AbortSignal): Promise<Row[]> {
    const client = await raceAbort(this.#pool.connect(), signal, (c) => c.release());
    const query = new pg.Query({ text, values });
    const done = new Promise<Row[]>((resolve, reject) => {
      query.on('end', (r: pg.QueryResult) => resolve(r.rows));
      query.on('error', reject);
    });
    client.query(query);
    return awaitStatement(
      done,
      signal,
      () => sendCancelRequest(client as unknown as BackendKey),
      (abandoned) => client.release(abandoned ? new Error('statement abandoned at deadline') : undefined),
    );
  }

  close(): Promise<void> {
    return this.#pool.end();
  }
}

export class PostgresConnector extends SqlConnector {
  constructor(def: PostgresDefinition) {
    super('postgres', def, postgresDialect, () => new PgDriver(def));
  }
}
