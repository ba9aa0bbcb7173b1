import { connect } from 'node:net';
import pg from 'pg';
import type { BoundQuery } from '../model/query.ts';
import type { SourceRecord, SubjectType } from '../model/record.ts';
import {
  baseDefinitionProperties,
  byKeyPattern,
  mappingSchema,
  type Capability,
  type Connector,
  type QuerySpecBase,
  type SearchContext,
  type SourceDefinitionBase,
} from './connector.ts';
import { compileMapping, type RowMapper } from './mapping.ts';
import { raceAbort } from '../lib/abort.ts';
import { readSecret, secretRefSchema, type SecretRef } from './secret.ts';
import { bindSql, compileSql, type CompiledSql } from './sql-template.ts';

export interface PostgresDefinition extends SourceDefinitionBase {
  kind: 'postgres';
  connection: {
    url: string;
    password?: SecretRef;
    /** Pool size; PGlite served over a socket allows no more than its own connection limit. */
    maxConnections?: number;
  };
  queries: Partial<Record<SubjectType, PostgresQuerySpec>>;
}

export interface PostgresQuerySpec extends QuerySpecBase {
  /** SQL per `name` or identifier scheme, with named parameters (:value, :compact, :limit…). */
  by: Record<string, string>;
}

export const postgresDefinitionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'kind', 'connection', 'queries'],
  properties: {
    ...baseDefinitionProperties,
    kind: { const: 'postgres' },
    connection: {
      type: 'object',
      additionalProperties: false,
      required: ['url'],
      properties: {
        url: { type: 'string', pattern: '^postgres(ql)?://' },
        password: secretRefSchema,
        maxConnections: { type: 'integer', minimum: 1, maximum: 100 },
      },
    },
    queries: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: Object.fromEntries(
        ['person', 'company', 'vehicle'].map((t) => [
          t,
          {
            type: 'object',
            additionalProperties: false,
            required: ['by', 'mapping'],
            properties: {
              by: {
                type: 'object',
                minProperties: 1,
                propertyNames: { pattern: byKeyPattern },
                additionalProperties: { type: 'string', minLength: 1 },
              },
              mapping: mappingSchema,
            },
          },
        ]),
      ),
    },
  },
} as const;

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

interface PreparedQuery {
  sql: CompiledSql;
  map: RowMapper;
}

export class PostgresConnector implements Connector {
  readonly id: string;
  readonly kind = 'postgres';
  readonly capabilities: readonly Capability[];
  readonly #pool: pg.Pool;
  readonly #queries = new Map<string, PreparedQuery>();

  constructor(def: PostgresDefinition) {
    this.id = def.id;
    const caps: Capability[] = [];
    for (const [type, spec] of Object.entries(def.queries) as [SubjectType, PostgresQuerySpec][]) {
      const map = compileMapping(def.id, type, spec.mapping, def.defaultLevel ?? 0);
      for (const [by, sql] of Object.entries(spec.by)) {
        this.#queries.set(`${type}/${by}`, { sql: compileSql(sql, (n) => `$${n}`), map });
      }
      caps.push({ type, by: Object.keys(spec.by) });
    }
    this.capabilities = caps;
    const poolConfig: pg.PoolConfig = {
      connectionString: def.connection.url,
      max: def.connection.maxConnections ?? 4,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: def.timeoutMs ?? 5_000,
      application_name: 'cirms-hub',
      ...(def.connection.password ? { password: readSecret(def.connection.password) } : {}),
    };
    this.#pool = new pg.Pool(poolConfig);
    // An idle client losing its server must not crash the hub; the next checkout reconnects.
    this.#pool.on('error', () => {});
  }

  async search(q: BoundQuery, ctx: SearchContext): Promise<SourceRecord[]> {
    const prepared = this.#queries.get(`${q.type}/${q.by}`);
    if (!prepared) return [];
    const rows = await this.#run(prepared.sql.text, bindSql(prepared.sql, q.params), ctx.signal);
    const out: SourceRecord[] = [];
    for (const row of rows) {
      const rec = prepared.map(row);
      if (rec) out.push(rec);
    }
    return out;
  }

  async health(signal: AbortSignal): Promise<void> {
    await this.#run('SELECT 1', [], signal);
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }

  /**
   * Runs one statement, honouring the signal: on abort the server is asked to cancel the statement
   * (a CancelRequest on a side connection, as psql's Ctrl-C does) and the client is discarded rather
   * than returned to the pool with a statement possibly still running on it.
   */
  async #run(text: string, values: unknown[], signal: AbortSignal): Promise<unknown[]> {
    signal.throwIfAborted();
    const client = await raceAbort(this.#pool.connect(), signal, (c) => c.release());
    const query = new pg.Query({ text, values });
    const done = new Promise<unknown[]>((resolve, reject) => {
      query.on('end', (r: pg.QueryResult) => resolve(r.rows));
      query.on('error', reject);
    });
    client.query(query);
    let aborted = false;
    const onAbort = () => {
      aborted = true;
      sendCancelRequest(client as unknown as BackendKey);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await raceAbort(done, signal);
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (aborted) {
        done.catch(() => {});
        client.release(new Error('statement abandoned at deadline'));
      } else {
        client.release();
      }
    }
  }
}
