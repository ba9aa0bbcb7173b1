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
