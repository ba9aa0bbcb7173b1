// Versions of the entity-resolution match model (migration 013_match_models.sql). A version is saved
// as a draft; activating it retires the active one, in one transaction, so at most one is active (a
// unique partial index guards it too). The online hub resolves with the active version, or with the
// built-in DEFAULT_MODEL when none is active (never stored, nothing to activate to fall back to it).
import { parseModel, type MatchModel } from '../resolution/model.ts';
import type { Db } from './db.ts';

export type ModelStatus = 'draft' | 'active' | 'retired';

export interface StoredModel {
  /** The number an administrator activates. */
  version: number;
  model: MatchModel;
  /** How it was made (EM over which records, by hand…). */
  source: string;
  /** Quality figures, when evaluated (on labelled data, or agreement with another version). */
  metrics?: Record<string, unknown>;
  status: ModelStatus;
  createdBy: string;
  createdAt: string;
  activatedAt?: string;
}

/** Saves a new draft version; the model is checked first (parseModel throws on a malformed one). */
export async function saveModel(
  db: Pick<Db, 'query'>,
  m: { model: MatchModel; source: string; metrics?: Record<string, unknown>; by: string },
): Promise<StoredModel> {
  const model = parseModel(m.model);
  const { rows } = await db.query<Row>(
    `INSERT INTO match_models (model_version, model, source, metrics, created_by) VALUES ($1, $2::jsonb, $3, $4::jsonb, $5)
     RETURNING ${COLUMNS}`,
    [model.version, JSON.stringify(model), m.source, m.metrics === undefined ? null : JSON.stringify(m.metrics), m.by],
  );
  return toStored(rows[0] as Row);
}

/** Every version, newest first (without checking the stored JSON: a listing must not fail on one row). */
export async function listModels(db: Pick<Db, 'query'>, limit = 100): Promise<StoredModel[]> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM match_models ORDER BY version DESC LIMIT $1`, [limit]);
  return rows.map(toStored);
}

export async function getModel(db: Pick<Db, 'query'>, version: number): Promise<StoredModel | undefined> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM match_models WHERE version = $1`, [version]);
  return rows[0] ? toStored(rows[0]) : undefined;
}

/** The active version, if any. */
export async function activeVersion(db: Pick<Db, 'query'>): Promise<StoredModel | undefined> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM match_models WHERE status = 'active'`);
  return rows[0] ? toStored(rows[0]) : undefined;
}

/**
 * The model the online hub should resolve with: the active stored version, checked; undefined when
 * none is active (the engine then uses DEFAULT_MODEL). Pass it as MergeOptions.model.
 */
export async function activeModel(db: Pick<Db, 'query'>): Promise<MatchModel | undefined> {
  const active = await activeVersion(db);
  return active ? parseModel(active.model) : undefined;
}

/**
 * Makes `version` the active one and retires the previously active version, in one transaction.
 * Throws when the version does not exist or its model does not parse. Activating the active version
 * changes nothing.
 */
export async function activateModel(db: Pick<Db, 'transaction'>, version: number): Promise<StoredModel> {
  return db.transaction(async (tx) => {
    // Serialises concurrent activations (another administrator, another replica).
    await tx.query('SELECT pg_advisory_xact_lock(20160113)');
    const { rows } = await tx.query<Row>(`SELECT ${COLUMNS} FROM match_models WHERE version = $1`, [version]);
    const row = rows[0];
    if (!row) throw new Error(`match model version ${version} does not exist`);
    parseModel(typeof row.model === 'string' ? JSON.parse(row.model) : row.model);
    if (row.status === 'active') return toStored(row);
    await tx.query(`UPDATE match_models SET status = 'retired' WHERE status = 'active'`);
    const updated = await tx.query<Row>(`UPDATE match_models SET status = 'active', activated_at = now() WHERE version = $1 RETURNING ${COLUMNS}`, [version]);
    return toStored(updated.rows[0] as Row);
  });
}

/** Retires the active version, so the hub falls back to DEFAULT_MODEL; returns it, if there was one. */
export async function deactivateModels(db: Pick<Db, 'query'>): Promise<StoredModel | undefined> {
  const { rows } = await db.query<Row>(`UPDATE match_models SET status = 'retired' WHERE status = 'active' RETURNING ${COLUMNS}`);
  return rows[0] ? toStored(rows[0]) : undefined;
}

/**
 * The active model for every search without a query per search: read at most once per `maxAgeMs`
 * (default 30 s), so an activation reaches every replica within that time. A failed read keeps the
 * last model known (the store being briefly away must not change how subjects are matched).
 */
export class ActiveModelCache {
  readonly #db: Pick<Db, 'query'>;
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  #model: MatchModel | undefined;
  #readAt = -Infinity;
  #pending: Promise<MatchModel | undefined> | undefined;

  constructor(db: Pick<Db, 'query'>, opts: { maxAgeMs?: number; now?: () => number } = {}) {
    this.#db = db;
    this.#maxAgeMs = opts.maxAgeMs ?? 30_000;
    this.#now = opts.now ?? Date.now;
  }

  async get(): Promise<MatchModel | undefined> {
    if (this.#now() - this.#readAt < this.#maxAgeMs) return this.#model;
    this.#pending ??= activeModel(this.#db)
      .then((m) => {
        this.#model = m;
        return m;
      })
      .catch(() => this.#model)
      .finally(() => {
        this.#readAt = this.#now();
        this.#pending = undefined;
      });
    return this.#pending;
  }

  /** Forget the cached model (after an activation in this process). */
  invalidate(): void {
    this.#readAt = -Infinity;
  }
}

const COLUMNS = 'version, model_version, model, source, metrics, status, created_by, created_at, activated_at';

interface Row {
  version: string | number;
  model_version: string;
  model: unknown;
  source: string;
  metrics: unknown;
  status: ModelStatus;
  created_by: string;
  created_at: Date | string;
  activated_at: Date | string | null;
}

function json(v: unknown): unknown {
  return typeof v === 'string' ? JSON.parse(v) : v;
}

function toStored(r: Row): StoredModel {
  const out: StoredModel = {
    version: Number(r.version),
    model: json(r.model) as MatchModel,
    source: r.source,
    status: r.status,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
  };
  if (r.metrics !== null && r.metrics !== undefined) out.metrics = json(r.metrics) as Record<string, unknown>;
  if (r.activated_at) out.activatedAt = new Date(r.activated_at).toISOString();
  return out;
}
