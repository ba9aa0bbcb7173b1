// The high-risk queue. A review is opened by a rating whose level rose, or that entered high
// (src/risk/engine.ts); an officer confirms the computed level or overrides it, always with a
// justification. The decision becomes the trader's effective level while the computed level stays the
// one decided on. Reviews are never deleted: the history is the table, and every decision is audited
// in the same transaction.
import { appendAuditIn } from '../auth/audit.ts';
import type { Clearance } from '../auth/policy.ts';
import type { Db } from '../store/db.ts';
import { effectiveLevel } from './engine.ts';
import { LEVELS, type Level } from './rules.ts';
import { visibleReasons, type ShownReason } from './reasons.ts';
import type { Reason } from './scorer.ts';

type Query = Pick<Db, 'query'>;

export type ReviewStatus = 'pending' | 'confirmed' | 'overridden' | 'superseded';

export interface ReviewView {
  reviewId: number;
  traderKey: string;
  br: string | null;
  name: string | null;
  ratingId: number;
  fromLevel: Level | null;
  toLevel: Level;
  trigger: 'rose' | 'entered-high';
  status: ReviewStatus;
  score: number;
  ruleSetVersion: number;
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decidedLevel: Level | null;
  justification: string | null;
  reasons: ShownReason[];
}

export class ReviewError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const iso = (v: Date | string | null): string | null => (v === null ? null : v instanceof Date ? v.toISOString() : new Date(v).toISOString());

interface Row {
  review_id: string | number;
  trader_key: string;
  br: string | null;
  name: string | null;
  rating_id: string | number;
  from_level: Level | null;
  to_level: Level;
  trigger: 'rose' | 'entered-high';
  status: ReviewStatus;
  score: number;
  rule_set_version: number;
  reasons: Reason[];
  created_at: Date | string;
  decided_by: string | null;
  decided_at: Date | string | null;
  decided_level: Level | null;
  justification: string | null;
}

const SELECT = `SELECT v.review_id, t.trader_key, t.br, t.name, v.rating_id, v.from_level, v.to_level, v.trigger, v.status, g.score, g.rule_set_version, g.reasons,
  v.created_at, v.decided_by, v.decided_at, v.decided_level, v.justification
  FROM risk_reviews v JOIN risk_traders t ON t.trader_id = v.trader_id JOIN risk_ratings g ON g.rating_id = v.rating_id`;

function toView(r: Row, who: Clearance): ReviewView {
  const shown = visibleReasons(who, r.reasons);
  return {
    reviewId: Number(r.review_id),
    traderKey: r.trader_key,
    br: r.br,
    name: r.name,
    ratingId: Number(r.rating_id),
    fromLevel: r.from_level,
    toLevel: r.to_level,
    trigger: r.trigger,
    status: r.status,
    score: Number(r.score),
    ruleSetVersion: r.rule_set_version,
    createdAt: iso(r.created_at) as string,
    decidedBy: r.decided_by,
    decidedAt: iso(r.decided_at),
    decidedLevel: r.decided_level,
    justification: r.justification,
    reasons: shown,
  };
}

/** The queue, highest level and score first; `status` defaults to pending. */
export async function listReviews(db: Query, who: Clearance, opts: { status?: ReviewStatus; traderKey?: string; limit?: number } = {}): Promise<ReviewView[]> {
  const params: unknown[] = [opts.status ?? 'pending'];
  let where = 'v.status = $1';
  if (opts.traderKey !== undefined) {
    params.push(opts.traderKey);
    where += ` AND t.trader_key = $${params.length}`;
  }
  params.push(opts.limit ?? 100);
  const { rows } = await db.query<Row>(
    `${SELECT} WHERE ${where} ORDER BY array_position(ARRAY['low','medium','high','very-high'], v.to_level) DESC, g.score DESC, v.review_id LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => toView(r, who));
}

export async function getReview(db: Query, who: Clearance, reviewId: number): Promise<ReviewView | undefined> {
  const row = (await db.query<Row>(`${SELECT} WHERE v.review_id = $1`, [reviewId])).rows[0];
  return row && toView(row, who);
}

export interface Decision {
  decision: 'confirm' | 'override';
  /** Required for an override: the level the officer sets. */
  level?: Level;
  justification: string;
}

/**
 * Confirms or overrides a pending review. The decision applies to the trader's current computed level
 * (the review's level): it is the effective level until a re-rating computes another.
 */
export async function decideReview(db: Db, who: Clearance & { userId: string }, reviewId: number, d: Decision): Promise<ReviewView> {
  if (d.justification.trim().length < 3) throw new ReviewError(400, 'a justification is required');
  if (d.decision === 'override' && (d.level === undefined || !LEVELS.includes(d.level))) throw new ReviewError(400, 'an override names the level to set');
  await db.transaction(async (tx) => {
    const review = (
      await tx.query<{ trader_id: string | number; status: ReviewStatus; to_level: Level; rating_id: string | number }>(
        'SELECT trader_id, status, to_level, rating_id FROM risk_reviews WHERE review_id = $1 FOR UPDATE',
        [reviewId],
      )
    ).rows[0];
    if (!review) throw new ReviewError(404, `review ${reviewId} does not exist`);
    if (review.status !== 'pending') throw new ReviewError(409, `review ${reviewId} is ${review.status}, not pending`);
    const level = d.decision === 'confirm' ? review.to_level : (d.level as Level);
    const status: ReviewStatus = d.decision === 'confirm' ? 'confirmed' : 'overridden';
    await tx.query(`UPDATE risk_reviews SET status = $2, decided_by = $3, decided_at = now(), decided_level = $4, justification = $5 WHERE review_id = $1`, [
      reviewId,
      status,
      who.userId,
      level,
      d.justification,
    ]);
    await tx.query(`UPDATE risk_current SET decided_level = $2, decided_for_level = $3, decided_review_id = $4 WHERE trader_id = $1`, [
      review.trader_id,
      level,
      review.to_level,
      reviewId,
    ]);
    await appendAuditIn(tx, {
      kind: 'admin',
      actor: who.userId,
      action: `risk-review-${d.decision}`,
      target: `risk-review:${reviewId}`,
      detail: { traderId: Number(review.trader_id), computedLevel: review.to_level, decidedLevel: level, justification: d.justification },
    });
  });
  return (await getReview(db, who, reviewId)) as ReviewView;
}

export { effectiveLevel };
