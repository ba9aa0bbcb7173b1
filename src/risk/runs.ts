// Batch re-rating runs. A run is prepared once (the population reference, the trader ranges), then its
// ranges ("chunks") are rated independently — by whichever worker takes them. Progress lives in the
// run's row, so any replica can report it. Two runners:
//   - PgBossRunner (PostgreSQL store): the prepare step and every chunk are pg-boss jobs, so every hub
//     replica working the queues shares the run;
//   - InProcessRunner (PGlite store, the CLI, tests): the same steps in this process. An embedded store
//     belongs to one process, so there is nothing to share.
import type { Db } from '../store/db.ts';
import { computeReference, defaultAsOf, rateRange, storeReference, type RatingContext } from './engine.ts';
import type { Reference } from './features.ts';
import type { RuleSetDocument } from './rules.ts';
import { activeRuleSet, getRuleSet } from './rulesets.ts';

type Query = Pick<Db, 'query'>;

export interface RunView {
  runId: number;
  ruleSetVersion: number;
  asOf: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  requestedBy: string;
  requestedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  chunksTotal: number;
  chunksDone: number;
  tradersTotal: number;
  tradersDone: number;
  ratingsChanged: number;
  reviewsOpened: number;
  /** tradersDone / tradersTotal, 0…1. */
  progress: number;
  error: string | null;
}

export class RunRequestError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export interface Chunk {
  runId: number;
  lo: number;
  hi: number;
}

const iso = (v: Date | string | null): string | null => (v === null ? null : v instanceof Date ? v.toISOString() : new Date(v).toISOString());

interface RunRow {
  run_id: string | number;
  rule_set_version: number;
  as_of: Date | string;
  status: RunView['status'];
  requested_by: string;
  requested_at: Date | string;
  started_at: Date | string | null;
  finished_at: Date | string | null;
  chunks_total: number;
  chunks_done: number;
  traders_total: number;
  traders_done: number;
  ratings_changed: number;
  reviews_opened: number;
  error: string | null;
}

function view(r: RunRow): RunView {
  return {
    runId: Number(r.run_id),
    ruleSetVersion: r.rule_set_version,
    asOf: typeof r.as_of === 'string' ? r.as_of.slice(0, 10) : localDay(r.as_of),
    status: r.status,
    requestedBy: r.requested_by,
    requestedAt: iso(r.requested_at) as string,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    chunksTotal: r.chunks_total,
    chunksDone: r.chunks_done,
    tradersTotal: r.traders_total,
    tradersDone: r.traders_done,
    ratingsChanged: r.ratings_changed,
    reviewsOpened: r.reviews_opened,
    progress: r.traders_total > 0 ? Math.round((r.traders_done / r.traders_total) * 1000) / 1000 : r.status === 'done' ? 1 : 0,
    error: r.error,
  };
}

/** node-postgres turns a `date` into a local-midnight Date; read it back in local time. */
function localDay(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

const RUN_COLUMNS =
  "run_id, rule_set_version, to_char(as_of, 'YYYY-MM-DD') AS as_of, status, requested_by, requested_at, started_at, finished_at, chunks_total, chunks_done, traders_total, traders_done, ratings_changed, reviews_opened, error";

export async function getRun(db: Query, runId: number): Promise<RunView | undefined> {
  const row = (await db.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM risk_runs WHERE run_id = $1`, [runId])).rows[0];
  return row && view(row);
}

export async function listRuns(db: Query, limit = 20): Promise<RunView[]> {
  return (await db.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM risk_runs ORDER BY run_id DESC LIMIT $1`, [limit])).rows.map(view);
}

/** Records a run request (queued). The rule set is the active one unless a version is named. */
export async function createRun(db: Query, opts: { requestedBy: string; ruleSetVersion?: number; asOf?: string }): Promise<RunView> {
  const ruleSet = opts.ruleSetVersion !== undefined ? await getRuleSet(db, opts.ruleSetVersion) : await activeRuleSet(db);
  if (!ruleSet) throw new RunRequestError(opts.ruleSetVersion !== undefined ? 404 : 409, opts.ruleSetVersion !== undefined ? `rule set version ${opts.ruleSetVersion} does not exist` : 'no active rule set');
  if (ruleSet.status !== 'active') throw new RunRequestError(409, `rule set version ${ruleSet.version} is ${ruleSet.status}: ratings are made by the active version (try it with POST /v1/risk/backtest)`);
  const asOf = opts.asOf ?? (await defaultAsOf(db));
  const row = (
    await db.query<RunRow>(`INSERT INTO risk_runs (rule_set_version, as_of, status, requested_by) VALUES ($1, $2, 'queued', $3) RETURNING ${RUN_COLUMNS}`, [
      ruleSet.version,
      asOf,
      opts.requestedBy,
    ])
  ).rows[0] as RunRow;
  return view(row);
}

/** Traders per chunk: large enough to amortise a statement, small enough to spread over workers. */
export const DEFAULT_CHUNK_SIZE = 20_000;

/** Computes the run's reference and its chunks; marks it running. */
export async function prepareRun(db: Db, runId: number, chunkSize = DEFAULT_CHUNK_SIZE): Promise<Chunk[]> {
  const run = await getRun(db, runId);
  if (!run) throw new Error(`run ${runId} does not exist`);
  const ruleSet = await getRuleSet(db, run.ruleSetVersion);
  if (!ruleSet) throw new Error(`rule set ${run.ruleSetVersion} does not exist`);
  await db.query(`UPDATE risk_runs SET status = 'running', started_at = now() WHERE run_id = $1`, [runId]);
  const reference = await computeReference(db, ruleSet.document.parameters, run.asOf);
  const bounds = (
    await db.query<{ lo: string | number; hi: string | number; n: number }>(
      `SELECT min(trader_id) AS lo, max(trader_id) AS hi, count(*)::int AS n
       FROM (SELECT trader_id, (row_number() OVER (ORDER BY trader_id) - 1) / $1 AS g FROM risk_traders) x GROUP BY g ORDER BY g`,
      [chunkSize],
    )
  ).rows;
  const chunks = bounds.map((b) => ({ runId, lo: Number(b.lo), hi: Number(b.hi) }));
  const traders = bounds.reduce((s, b) => s + b.n, 0);
  await db.query(`UPDATE risk_runs SET reference = $2, chunks_total = $3, traders_total = $4, status = CASE WHEN $3 = 0 THEN 'done' ELSE status END,
                  finished_at = CASE WHEN $3 = 0 THEN now() ELSE finished_at END WHERE run_id = $1`, [runId, JSON.stringify(reference), chunks.length, traders]);
  if (chunks.length === 0) await storeReference(db, run.ruleSetVersion, reference);
  return chunks;
}

const contexts = new Map<number, Promise<RatingContext>>();

async function contextOf(db: Query, runId: number): Promise<RatingContext> {
  const row = (
    await db.query<{ rule_set_version: number; as_of: string; reference: Reference; document: RuleSetDocument }>(
      `SELECT r.rule_set_version, to_char(r.as_of, 'YYYY-MM-DD') AS as_of, r.reference, s.document FROM risk_runs r JOIN risk_rule_sets s ON s.version = r.rule_set_version WHERE r.run_id = $1`,
      [runId],
    )
  ).rows[0];
  if (!row || !row.reference) throw new Error(`run ${runId} is not prepared`);
  return { version: row.rule_set_version, document: row.document, asOf: row.as_of, reference: row.reference, runId };
}

/** Rates one chunk and adds it to the run's progress; the last chunk closes the run. */
export async function runChunk(db: Db, chunk: Chunk): Promise<void> {
  let ctx = contexts.get(chunk.runId);
  if (!ctx) {
    ctx = contextOf(db, chunk.runId);
    contexts.set(chunk.runId, ctx);
    ctx.catch(() => contexts.delete(chunk.runId));
  }
  const c = await ctx;
  const result = await rateRange(db, c, chunk.lo, chunk.hi);
  const done = (
    await db.query<{ status: string }>(
      `UPDATE risk_runs SET chunks_done = chunks_done + 1, traders_done = traders_done + $2, ratings_changed = ratings_changed + $3, reviews_opened = reviews_opened + $4,
         status = CASE WHEN chunks_done + 1 >= chunks_total THEN 'done' ELSE status END,
         finished_at = CASE WHEN chunks_done + 1 >= chunks_total THEN now() ELSE finished_at END
       WHERE run_id = $1 RETURNING status`,
      [chunk.runId, result.traders, result.changed, result.reviewsOpened],
    )
  ).rows[0];
  if (done?.status === 'done') {
    await storeReference(db, c.version, c.reference);
    contexts.delete(chunk.runId);
  }
}

export async function failRun(db: Query, runId: number, err: unknown): Promise<void> {
  contexts.delete(runId);
  await db.query(`UPDATE risk_runs SET status = 'failed', finished_at = now(), error = $2 WHERE run_id = $1`, [runId, (err as Error)?.message ?? String(err)]);
}

// ---------------------------------------------------------------------------------------------------

export interface RiskRunner {
  readonly kind: 'pg-boss' | 'in-process';
  /** Starts the run in the background. */
  submit(runId: number): Promise<void>;
  /** Resolves when the runs this process knows of have finished (tests, the CLI). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Runs every step in this process, `concurrency` chunks at a time. */
export class InProcessRunner implements RiskRunner {
  readonly kind = 'in-process';
  private readonly db: Db;
  private readonly concurrency: number;
  private readonly chunkSize: number;
  private readonly running = new Set<Promise<void>>();

  constructor(db: Db, opts: { concurrency?: number; chunkSize?: number } = {}) {
    this.db = db;
    this.concurrency = opts.concurrency ?? (db.kind === 'pglite' ? 1 : 2);
    this.chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
  }

  submit(runId: number): Promise<void> {
    const p = this.execute(runId).finally(() => this.running.delete(p));
    this.running.add(p);
    return Promise.resolve();
  }

  /** Runs to the end and returns the finished run (the CLI's path). */
  async execute(runId: number, onProgress?: (run: RunView) => void): Promise<void> {
    try {
      const chunks = await prepareRun(this.db, runId, this.chunkSize);
      let next = 0;
      const worker = async () => {
        while (next < chunks.length) {
          const chunk = chunks[next++] as Chunk;
          await runChunk(this.db, chunk);
          if (onProgress) {
            const run = await getRun(this.db, runId);
            if (run) onProgress(run);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.concurrency, Math.max(1, chunks.length)) }, worker));
    } catch (err) {
      await failRun(this.db, runId, err).catch(() => {});
    }
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  async close(): Promise<void> {
    await this.idle();
  }
}

const PREPARE_QUEUE = 'risk-run-prepare';
const CHUNK_QUEUE = 'risk-run-chunk';

/**
 * pg-boss on the store's PostgreSQL: `risk-run-prepare` jobs plan a run and insert one
 * `risk-run-chunk` job per range; every replica that started this runner works both queues.
 */
export class PgBossRunner implements RiskRunner {
  readonly kind = 'pg-boss';
  private readonly db: Db;
  private readonly boss: import('pg-boss').PgBoss;
  private readonly chunkSize: number;

  private constructor(db: Db, boss: import('pg-boss').PgBoss, chunkSize: number) {
    this.db = db;
    this.boss = boss;
    this.chunkSize = chunkSize;
  }

  /**
   * `connection`: the store's postgres:// URL, or a pg-boss database adapter — e.g. `fromPglite(pglite)`
   * from pg-boss, which runs pg-boss on an embedded PGlite (it does work there; the hub's Db does not
   * expose its PGlite handle, and an embedded store has one process, so the hub uses InProcessRunner).
   */
  static async start(
    db: Db,
    connection: string | import('pg-boss').Db,
    opts: { concurrency?: number; chunkSize?: number; pollingIntervalSeconds?: number } = {},
  ): Promise<PgBossRunner> {
    const { PgBoss } = await import('pg-boss');
    const boss =
      typeof connection === 'string'
        ? new PgBoss({ connectionString: connection, max: 4, application_name: 'cirms-hub-risk' })
        : new PgBoss({ db: connection, backend: 'pglite' });
    boss.on('error', () => {});
    await boss.start();
    await boss.createQueue(PREPARE_QUEUE).catch(() => {});
    await boss.createQueue(CHUNK_QUEUE).catch(() => {});
    const runner = new PgBossRunner(db, boss, opts.chunkSize ?? DEFAULT_CHUNK_SIZE);
    const polling = opts.pollingIntervalSeconds ?? 1;
    await boss.work<{ runId: number }>(PREPARE_QUEUE, { pollingIntervalSeconds: polling }, async (jobs) => {
      for (const job of jobs) await runner.prepare(job.data.runId);
    });
    await boss.work<Chunk>(CHUNK_QUEUE, { pollingIntervalSeconds: polling, localConcurrency: opts.concurrency ?? 2 }, async (jobs) => {
      for (const job of jobs) {
        try {
          await runChunk(db, job.data);
        } catch (err) {
          await failRun(db, job.data.runId, err);
          throw err;
        }
      }
    });
    return runner;
  }

  private async prepare(runId: number): Promise<void> {
    try {
      const chunks = await prepareRun(this.db, runId, this.chunkSize);
      if (chunks.length > 0) await this.boss.insert(CHUNK_QUEUE, chunks.map((c) => ({ data: c })));
    } catch (err) {
      await failRun(this.db, runId, err);
      throw err;
    }
  }

  async submit(runId: number): Promise<void> {
    await this.boss.send(PREPARE_QUEUE, { runId });
  }

  async idle(): Promise<void> {
    for (;;) {
      const { rows } = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM risk_runs WHERE status IN ('queued', 'running')`);
      if ((rows[0]?.n ?? 0) === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async close(): Promise<void> {
    await this.boss.stop({ graceful: true, close: true, timeout: 10_000 } as never);
  }
}

/** The runner the store calls for: pg-boss on PostgreSQL, in-process on PGlite. */
export async function createRunner(db: Db, storeUrl: string, opts: { concurrency?: number; chunkSize?: number } = {}): Promise<RiskRunner> {
  if (db.kind === 'postgres') return PgBossRunner.start(db, storeUrl, opts);
  return new InProcessRunner(db, opts);
}
