import type { BoundQuery, QueryParams } from '../model/query.ts';
import type { SourceRecord, SubjectType } from '../model/record.ts';
import { raceAbort } from '../lib/abort.ts';
import {
  baseDefinitionProperties,
  queriesSchema,
  type Capability,
  type Connector,
  type QuerySpecBase,
  type SearchContext,
  type SourceDefinitionBase,
} from './connector.ts';
import { compileMapping, mapRows, type RowMapper } from './mapping.ts';
import type { Statement } from './sql-template.ts';

// What every SQL kind shares: the definition's shape (connection aside), templates compiled once per
// definition by the kind's dialect, rows mapped by the declared mapping, and the deadline honoured both
// here (the search is answered at once) and in the driver (the server stops the statement).

export interface SqlQuerySpec extends QuerySpecBase {
  /** SQL per `name` or identifier scheme, with named parameters (:value, :compact, :limit…). */
  by: Record<string, string>;
}

export interface SqlDefinition extends SourceDefinitionBase {
  connection: object;
  queries: Partial<Record<SubjectType, SqlQuerySpec>>;
}

/** JSON Schema of a SQL kind's definitions; only `connection` differs between kinds. */
export function sqlDefinitionSchema(kind: string, connection: object): object {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'kind', 'connection', 'queries'],
    properties: {
      ...baseDefinitionProperties,
      kind: { const: kind },
      connection,
      queries: queriesSchema({ type: 'string', minLength: 1 }),
    },
  };
}

/** Pool size shared by every SQL kind's connection schema. */
export const maxConnectionsSchema = { type: 'integer', minimum: 1, maximum: 100 } as const;

/** Where each SQL kind differs: placeholders, quoting, array binding; compiled once per template. */
export interface SqlDialect {
  /** Compiles one template (throwing on an unknown parameter); the result binds each query's values. */
  compile(sql: string): (params: QueryParams) => Statement;
  /** The cheapest statement the server answers, for health checks. */
  healthSql: string;
}

export type Row = Record<string, unknown>;

export interface SqlDriver {
  /**
   * Runs one statement. On abort it must ask the server to stop the statement and keep a connection
   * whose state is unknown out of the pool; the connector itself already rejects at once.
   */
  query(stmt: Statement, signal: AbortSignal): Promise<Row[]>;
  close(): Promise<void>;
}

/**
 * Waits for a running statement. If the signal aborts first, `cancel` asks the server to stop it (the
 * driver's own way) and the promise rejects at once with the signal's reason; the statement's late
 * outcome is dropped. `done` reports whether it was abandoned, for the caller's cleanup.
 */
export async function awaitStatement<T>(
  running: Promise<T>,
  signal: AbortSignal,
  cancel: () => void,
  done?: (abandoned: boolean) => void,
): Promise<T> {
  let abandoned = false;
  const onAbort = () => {
    abandoned = true;
    cancel();
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await raceAbort(running, signal);
  } finally {
    signal.removeEventListener('abort', onAbort);
    done?.(abandoned);
  }
}

/**
 * A driver's pool (or module) made on first use, so defining a source opens nothing and loads no
 * driver it does not use; a failed attempt (server down at start-up) is forgotten and retried.
 */
export class Lazy<T> {
  readonly #make: () => Promise<T>;
  #value: Promise<T> | undefined;

  constructor(make: () => Promise<T>) {
    this.#make = make;
  }

  get(): Promise<T> {
    if (!this.#value) {
      const v = this.#make();
      this.#value = v;
      v.catch(() => {
        if (this.#value === v) this.#value = undefined;
      });
    }
    return this.#value;
  }

  /** The value if it was ever made, for closing; never makes one. */
  async ifMade(): Promise<T | undefined> {
    return this.#value?.catch(() => undefined);
  }
}

interface PreparedQuery {
  bind: (params: QueryParams) => Statement;
  map: RowMapper;
}

/** Compiles every template of a definition, naming the one that fails. */
function compileQueries(def: SqlDefinition, dialect: SqlDialect): { queries: Map<string, PreparedQuery>; capabilities: Capability[] } {
  const queries = new Map<string, PreparedQuery>();
  const capabilities: Capability[] = [];
  for (const [type, spec] of Object.entries(def.queries) as [SubjectType, SqlQuerySpec][]) {
    const map = compileMapping(def.id, type, spec.mapping, def.defaultLevel ?? 0);
    for (const [by, sql] of Object.entries(spec.by)) {
      try {
        queries.set(`${type}/${by}`, { bind: dialect.compile(sql), map });
      } catch (err) {
        throw new Error(`/queries/${type}/by/${by} ${(err as Error).message}`);
      }
    }
    capabilities.push({ type, by: Object.keys(spec.by) });
  }
  return { queries, capabilities };
}

/** Definition errors a JSON Schema cannot see: templates naming unknown parameters, per dialect. */
export function sqlTemplateErrors(def: SqlDefinition, dialect: SqlDialect): { path: string; message: string }[] {
  for (const [type, spec] of Object.entries(def.queries)) {
    for (const [by, sql] of Object.entries(spec?.by ?? {})) {
      try {
        dialect.compile(sql);
      } catch (err) {
        return [{ path: `/queries/${type}/by/${by}`, message: (err as Error).message }];
      }
    }
  }
  return [];
}

export class SqlConnector implements Connector {
  readonly id: string;
  readonly kind: string;
  readonly capabilities: readonly Capability[];
  readonly #queries: Map<string, PreparedQuery>;
  readonly #dialect: SqlDialect;
  readonly #driver: SqlDriver;

  /** `driver` is called only once the templates compiled, so a bad definition opens nothing. */
  constructor(kind: string, def: SqlDefinition, dialect: SqlDialect, driver: () => SqlDriver) {
    this.id = def.id;
    this.kind = kind;
    const { queries, capabilities } = compileQueries(def, dialect);
    this.#queries = queries;
    this.capabilities = capabilities;
    this.#dialect = dialect;
    this.#driver = driver();
  }

  async search(q: BoundQuery, ctx: SearchContext): Promise<SourceRecord[]> {
    const prepared = this.#queries.get(`${q.type}/${q.by}`);
    if (!prepared) return [];
    return mapRows(await this.#run(prepared.bind(q.params), ctx.signal), prepared.map);
  }

  async health(signal: AbortSignal): Promise<void> {
    await this.#run({ text: this.#dialect.healthSql, values: [] }, signal);
  }

  close(): Promise<void> {
    return this.#driver.close();
  }

  /** The driver cancels on the server; racing here guarantees the answer even if it is slow to. */
  #run(stmt: Statement, signal: AbortSignal): Promise<Row[]> {
    if (signal.aborted) return Promise.reject(signal.reason);
    return raceAbort(this.#driver.query(stmt, signal), signal);
  }
}
