import type { Decision } from '../resolution/engine.ts';
import type { Db } from './db.ts';

export interface StoredDecision extends Decision {
  id: number;
  reason: string;
}

/** Records a decision on a pair, in the caller's transaction (so it commits with its audit entry). */
export async function recordDecision(
  tx: Pick<Db, 'query'>,
  d: { a: string; b: string; decision: 'confirm' | 'reject'; reason: string; by: string },
): Promise<StoredDecision> {
  const [a, b] = d.a < d.b ? [d.a, d.b] : [d.b, d.a];
  const { rows } = await tx.query<{ id: string; decided_at: Date | string }>(
    `INSERT INTO link_decisions (record_a, record_b, decision, reason, decided_by) VALUES ($1, $2, $3, $4, $5) RETURNING id, decided_at`,
    [a, b, d.decision, d.reason, d.by],
  );
  const row = rows[0]!;
  return { id: Number(row.id), a, b, decision: d.decision, reason: d.reason, by: d.by, at: new Date(row.decided_at).toISOString() };
}

/** The standing decision (the latest) on every pair that involves one of `refs`. */
export async function decisionsFor(db: Pick<Db, 'query'>, refs: readonly string[]): Promise<StoredDecision[]> {
  if (refs.length === 0) return [];
  const { rows } = await db.query<Row>(
    `SELECT DISTINCT ON (record_a, record_b) id, record_a, record_b, decision, reason, decided_by, decided_at
       FROM link_decisions WHERE record_a = ANY($1) OR record_b = ANY($1)
      ORDER BY record_a, record_b, id DESC`,
    [refs],
  );
  return rows.map(toDecision);
}

/**
 * The records any officer has decided on, held in memory, so that a search none of whose records has a
 * decision — nearly every search — asks the store nothing; one that has gets them from the store.
 *
 * Decisions are only ever added (the latest on a pair stands), so the set only grows: it is read whole
 * on first use, then extended at most every `refreshMs` from a little below the highest id seen — ids
 * are taken when a decision is inserted, not when it commits, so one committing late behind a higher id
 * is read on a later pass. A decision taken through this hub applies to its next search at once
 * (`noted`); one taken through another replica, within `refreshMs`.
 */
export class DecidedRecords {
  static readonly #OVERLAP = 1_000;
  readonly #db: Pick<Db, 'query'>;
  readonly #refreshMs: number;
  readonly #refs = new Set<string>();
  #highest = 0;
  #readAt = -Infinity;
  #reading: Promise<void> | undefined;

  constructor(db: Pick<Db, 'query'>, opts: { refreshMs?: number } = {}) {
    this.#db = db;
    this.#refreshMs = opts.refreshMs ?? 1_000;
  }

  /** As decisionsFor(db, refs): the standing decision on every pair that involves one of `refs`. */
  async decisionsFor(refs: readonly string[]): Promise<StoredDecision[]> {
    if (performance.now() - this.#readAt >= this.#refreshMs) await this.#refresh();
    const decided = refs.filter((r) => this.#refs.has(r));
    return decided.length === 0 ? [] : decisionsFor(this.#db, decided);
  }

  /** A decision this hub has just committed. */
  noted(d: { a: string; b: string }): void {
    this.#refs.add(d.a);
    this.#refs.add(d.b);
  }

  #refresh(): Promise<void> {
    this.#reading ??= (async () => {
      try {
        const startedAt = performance.now();
        const { rows } = await this.#db.query<{ id: string; record_a: string; record_b: string }>(
          `SELECT id, record_a, record_b FROM link_decisions WHERE id > $1`,
          [Math.max(0, this.#highest - DecidedRecords.#OVERLAP)],
        );
        for (const r of rows) {
          this.noted({ a: r.record_a, b: r.record_b });
          this.#highest = Math.max(this.#highest, Number(r.id));
        }
        this.#readAt = startedAt;
      } finally {
        this.#reading = undefined;
      }
    })();
    return this.#reading;
  }
}

/** Every decision ever taken on pairs involving `ref`, newest first: the history an officer reviews. */
export async function decisionHistory(db: Pick<Db, 'query'>, ref: string): Promise<StoredDecision[]> {
  const { rows } = await db.query<Row>(
    `SELECT id, record_a, record_b, decision, reason, decided_by, decided_at FROM link_decisions
      WHERE record_a = $1 OR record_b = $1 ORDER BY id DESC LIMIT 200`,
    [ref],
  );
  return rows.map(toDecision);
}

interface Row {
  id: string;
  record_a: string;
  record_b: string;
  decision: 'confirm' | 'reject';
  reason: string;
  decided_by: string;
  decided_at: Date | string;
}

function toDecision(r: Row): StoredDecision {
  return { id: Number(r.id), a: r.record_a, b: r.record_b, decision: r.decision, reason: r.reason, by: r.decided_by, at: new Date(r.decided_at).toISOString() };
}
