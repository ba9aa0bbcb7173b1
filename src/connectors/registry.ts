import type { Logger } from 'pino';
import { DEFAULT_RESILIENCE, SourcePolicy } from '../federation/resilience.ts';
import { deadline } from '../lib/abort.ts';
import type { Db } from '../store/db.ts';
import type { SubjectType } from '../model/record.ts';
import type { Connector } from './connector.ts';
import { KINDS, type ConnectorEnv, type SourceDefinition } from './kinds.ts';
import { NetworkPolicy } from './network.ts';
import { usesPrincipal } from './sql-template.ts';
import { validateDefinition } from './validate.ts';

export interface SourceHealth {
  status: 'up' | 'down' | 'unknown';
  checkedAt?: string;
  latencyMs?: number;
  error?: string;
}

/**
 * One version of one source as the hub runs it. Entries are immutable: a new definition makes a new
 * entry, and searches that took the old one finish on it before it is closed.
 */
export class SourceEntry {
  readonly id: string;
  readonly version: number;
  readonly definition: SourceDefinition;
  #connector: Connector | undefined;
  #brokenReason: string | undefined;
  /** Bulkhead, circuit breaker and retry for this source, across all searches. */
  readonly policy: SourcePolicy;
  /** Whether the source filters by the officer's clearance or cases itself (push-down SQL). */
  readonly principalScoped: boolean;
  health: SourceHealth = { status: 'unknown' };
  #inflight = 0;
  #retired = false;
  #closed: Promise<void> | undefined;

  readonly #env: ConnectorEnv;

  constructor(definition: SourceDefinition, version: number, env: ConnectorEnv) {
    this.#env = env;
    this.id = definition.id;
    this.version = version;
    this.definition = definition;
    this.principalScoped = Object.values(definition.queries).some((spec) =>
      Object.values((spec?.by ?? {}) as Record<string, unknown>).some((q) => typeof q === 'string' && usesPrincipal(q)),
    );
    const r = definition.resilience ?? {};
    this.policy = new SourcePolicy({
      concurrency: definition.concurrency ?? DEFAULT_RESILIENCE.concurrency,
      queue: r.queue ?? DEFAULT_RESILIENCE.queue,
      breaker: { ...DEFAULT_RESILIENCE.breaker, ...r.breaker },
      retry: { ...DEFAULT_RESILIENCE.retry, ...r.retry },
    });
    // A disabled source holds no connections open; it is listed, never asked.
    if (definition.enabled !== false) this.rebuild();
  }

  /** Absent when the connector could not be built (a missing secret, say): the source is unavailable. */
  get connector(): Connector | undefined {
    return this.#connector;
  }

  get brokenReason(): string | undefined {
    return this.#brokenReason;
  }

  /**
   * Builds the connector; for a source that could not be built before, tries again — the health
   * checks call this, so a source broken at start-up (its secret not yet mounted) joins once it can.
   */
  rebuild(): boolean {
    if (this.#connector || this.#retired) return this.#connector !== undefined;
    try {
      this.#connector = KINDS[this.definition.kind]!.create(this.definition, this.#env);
      this.#brokenReason = undefined;
      return true;
    } catch (err) {
      this.#brokenReason = (err as Error).message;
      this.health = { status: 'down', error: this.#brokenReason, checkedAt: new Date().toISOString() };
      return false;
    }
  }

  get enabled(): boolean {
    return this.definition.enabled !== false;
  }

  get timeoutMs(): number {
    return this.definition.timeoutMs ?? 5_000;
  }

  acquire(): void {
    this.#inflight++;
  }

  release(): void {
    this.#inflight--;
    if (this.#retired && this.#inflight === 0) void this.#close();
  }

  /** Closes the connector once the searches using this entry are done. */
  retire(): Promise<void> {
    this.#retired = true;
    return this.#inflight === 0 ? this.#close() : Promise.resolve();
  }

  #close(): Promise<void> {
    this.#closed ??= this.#connector ? this.#connector.close().catch(() => {}) : Promise.resolve();
    return this.#closed;
  }
}

export class DefinitionInvalidError extends Error {
  override readonly name = 'DefinitionInvalidError';
  readonly errors: { path: string; message: string }[];
  constructor(id: string, errors: { path: string; message: string }[]) {
    super(`source ${id}: ${errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}`);
    this.errors = errors;
  }
}

interface StoredRow {
  id: string;
  version: number;
  definition: SourceDefinition;
  enabled: boolean;
  deleted: boolean;
  origin: 'config' | 'api';
}

/** One version of a source definition as the store keeps it. */
export interface DefinitionVersion extends StoredRow {
  changedBy: string;
  changedAt: string;
}

/** A write lost a race with another writer of the same source (another replica or request). */
export class VersionConflictError extends Error {
  override readonly name = 'VersionConflictError';
}

/**
 * The sources the hub can ask, persisted in the store so every replica runs the same set and every
 * change is kept. Searches take a snapshot; changes swap entries without disturbing searches in flight.
 */
export class Registry {
  readonly #db: Db;
  readonly #log: Logger;
  readonly #env: ConnectorEnv;
  #entries = new Map<string, SourceEntry>();
  /** strongSchemes() of the running set; null until worked out after a change. */
  #strong: Partial<Record<SubjectType, string[]>> | undefined | null = null;
  #healthTimer: NodeJS.Timeout | undefined;
  #refreshTimer: NodeJS.Timeout | undefined;
  #loaded = false;
  /** Loads run one at a time, so two changes arriving together cannot interleave their swaps. */
  #loading: Promise<void> = Promise.resolve();

  constructor(db: Db, log: Logger, env: ConnectorEnv = { network: new NetworkPolicy() }) {
    this.#db = db;
    this.#log = log;
    this.#env = env;
  }

  /** What connectors are built with; a definition on trial gets the same. */
  get env(): ConnectorEnv {
    return this.#env;
  }

  get loaded(): boolean {
    return this.#loaded;
  }

  /**
   * Records the definitions of a config file as the current versions of config-origin sources: a
   * changed definition becomes a new version, a source dropped from the file gets a tombstone.
   */
  async syncConfig(defs: SourceDefinition[], file: string): Promise<void> {
    for (const def of defs) {
      const errors = validateDefinition(def);
      if (errors.length > 0) throw new DefinitionInvalidError(def.id, errors);
    }
    const current = await this.#current();
    const byId = new Map(current.map((r) => [r.id, r]));
    const changedBy = `config:${file}`;
    await this.#db.transaction(async (tx) => {
      for (const def of defs) {
        const prev = byId.get(def.id);
        if (prev && !prev.deleted && canonical(prev.definition) === canonical(def)) continue;
        await tx.query(
          `INSERT INTO source_definitions (id, version, definition, enabled, origin, changed_by)
           VALUES ($1, $2, $3, $4, 'config', $5)`,
          [def.id, (prev?.version ?? 0) + 1, JSON.stringify(def), def.enabled !== false, changedBy],
        );
      }
      const inFile = new Set(defs.map((d) => d.id));
      for (const prev of current) {
        if (prev.origin !== 'config' || prev.deleted || inFile.has(prev.id)) continue;
        await tx.query(
          `INSERT INTO source_definitions (id, version, definition, enabled, deleted, origin, changed_by)
           VALUES ($1, $2, $3, false, true, 'config', $4)`,
          [prev.id, prev.version + 1, JSON.stringify(prev.definition), changedBy],
        );
      }
    });
  }

  /**
   * Writes a new version of one source (or its tombstone) and makes it live. `expectedVersion` is the
   * version the writer read: if another write came in between, nothing is written.
   */
  async write(
    def: SourceDefinition,
    opts: { by: string; expectedVersion: number; deleted?: boolean },
  ): Promise<number> {
    const version = opts.expectedVersion + 1;
    try {
      await this.#db.query(
        `INSERT INTO source_definitions (id, version, definition, enabled, deleted, origin, changed_by)
         SELECT $1, $2, $3, $4, $5, 'api', $6
          WHERE coalesce((SELECT max(version) FROM source_definitions WHERE id = $1), 0) = $7`,
        [def.id, version, JSON.stringify(def), def.enabled !== false && !opts.deleted, opts.deleted === true, opts.by, opts.expectedVersion],
      );
    } catch (err) {
      // Two writers passing the check at once: the primary key (id, version) lets only one in.
      if ((err as { code?: string }).code === '23505') throw new VersionConflictError(`source ${def.id} changed meanwhile`);
      throw err;
    }
    const latest = await this.history(def.id);
    if (latest[0]?.version !== version || latest[0].changedBy !== opts.by) {
      throw new VersionConflictError(`source ${def.id} changed meanwhile`);
    }
    await this.load();
    return version;
  }

  /** Every version of one source, newest first (empty when the source never existed). */
  async history(id: string): Promise<DefinitionVersion[]> {
    const { rows } = await this.#db.query<DefinitionVersion>(
      `SELECT id, version, definition, enabled, deleted, origin, changed_by AS "changedBy",
              to_char(changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "changedAt"
         FROM source_definitions WHERE id = $1 ORDER BY version DESC`,
      [id],
    );
    return rows;
  }

  /** The newest version of every source ever defined, tombstones included. */
  async latest(): Promise<DefinitionVersion[]> {
    const { rows } = await this.#db.query<DefinitionVersion>(
      `SELECT DISTINCT ON (id) id, version, definition, enabled, deleted, origin, changed_by AS "changedBy",
              to_char(changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "changedAt"
         FROM source_definitions ORDER BY id, version DESC`,
    );
    return rows;
  }

  /**
   * Reloads when the store holds versions this replica does not run — how a change made through
   * another replica reaches this one. Cheap enough to poll every few seconds.
   */
  async refresh(): Promise<boolean> {
    const { rows } = await this.#db.query<{ id: string; version: number; deleted: boolean }>(
      `SELECT DISTINCT ON (id) id, version, deleted FROM source_definitions ORDER BY id, version DESC`,
    );
    const live = rows.filter((r) => !r.deleted);
    const same = live.length === this.#entries.size && live.every((r) => this.#entries.get(r.id)?.version === r.version);
    if (same) return false;
    await this.load();
    return true;
  }

  /** Polls the store for changes made elsewhere; the timer never keeps the process alive. */
  startRefresh(intervalMs: number): void {
    clearInterval(this.#refreshTimer);
    this.#refreshTimer = setInterval(() => {
      this.refresh().catch((err: unknown) => this.#log.warn({ err }, 'registry refresh failed'));
    }, intervalMs);
    this.#refreshTimer.unref();
  }

  /** (Re)builds the running entries from the store's current definitions. */
  load(): Promise<void> {
    const run = this.#loading.then(() => this.#load());
    this.#loading = run.catch(() => {});
    return run;
  }

  async #load(): Promise<void> {
    const next = new Map<string, SourceEntry>();
    const retired: SourceEntry[] = [];
    for (const row of await this.#current()) {
      if (row.deleted) continue;
      const prev = this.#entries.get(row.id);
      if (prev && prev.version === row.version) {
        next.set(row.id, prev);
        continue;
      }
      const entry = new SourceEntry(row.definition, row.version, this.#env);
      if (entry.brokenReason) this.#log.warn({ source: row.id, err: entry.brokenReason }, 'source unavailable: connector could not be built');
      next.set(row.id, entry);
      if (prev) retired.push(prev);
    }
    for (const [id, prev] of this.#entries) if (!next.has(id)) retired.push(prev);
    this.#entries = next;
    this.#strong = null;
    this.#loaded = true;
    await Promise.all(retired.map((e) => e.retire()));
  }

  /**
   * The identifier schemes sources declared strong, per subject type, over all running sources
   * (undefined when none did). Worked out once per change of the running set.
   */
  strongSchemes(): Partial<Record<SubjectType, string[]>> | undefined {
    if (this.#strong === null) {
      const merged: Partial<Record<SubjectType, string[]>> = {};
      for (const e of this.#entries.values()) {
        for (const [type, schemes] of Object.entries(e.definition.strongSchemes ?? {}) as [SubjectType, string[]][]) {
          merged[type] = [...new Set([...(merged[type] ?? []), ...schemes])];
        }
      }
      this.#strong = Object.keys(merged).length > 0 ? merged : undefined;
    }
    return this.#strong;
  }

  /** The entries a search may use, in id order. */
  snapshot(): SourceEntry[] {
    return [...this.#entries.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  get(id: string): SourceEntry | undefined {
    return this.#entries.get(id);
  }

  /** Checks every source now and then every `intervalMs`; the timer never keeps the process alive. */
  startHealthChecks(intervalMs: number, timeoutMs = 2_000): Promise<void> {
    const run = () => Promise.all(this.snapshot().map((e) => checkHealth(e, timeoutMs))).then(() => {});
    clearInterval(this.#healthTimer);
    this.#healthTimer = setInterval(() => void run(), intervalMs);
    this.#healthTimer.unref();
    return run();
  }

  async close(): Promise<void> {
    clearInterval(this.#healthTimer);
    clearInterval(this.#refreshTimer);
    const entries = [...this.#entries.values()];
    this.#entries = new Map();
    this.#strong = null;
    await Promise.all(entries.map((e) => e.retire()));
  }

  async #current(): Promise<StoredRow[]> {
    const { rows } = await this.#db.query<StoredRow>(
      `SELECT DISTINCT ON (id) id, version, definition, enabled, deleted, origin
         FROM source_definitions ORDER BY id, version DESC`,
    );
    return rows;
  }
}

async function checkHealth(entry: SourceEntry, timeoutMs: number): Promise<void> {
  if (!entry.enabled || !entry.rebuild() || !entry.connector) return;
  const started = performance.now();
  const d = deadline(timeoutMs);
  try {
    await entry.connector.health(d.signal);
    entry.health = { status: 'up', checkedAt: new Date().toISOString(), latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    entry.health = { status: 'down', checkedAt: new Date().toISOString(), error: (err as Error).message || String(err) };
  } finally {
    d.clear();
  }
}

/** Key order does not make a definition different. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : val,
  );
}
