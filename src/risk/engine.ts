// Rating: features in PostgreSQL (FEATURE_SQL), the pure scorer in Node, and the write-back — history,
// current rating and the high-risk queue — in one transaction per range of traders. The batch runs it
// over ranges (src/risk/runs.ts), the incremental path over one trader.
import { createHash } from 'node:crypto';
import type { Db } from '../store/db.ts';
import { FEATURE_SQL, featuresFromRow, type FeatureParameters, type FeatureRow, type Reference, type TraderFeatures } from './features.ts';
import { levelRank, type Level, type RuleSetDocument } from './rules.ts';
import { scoreTrader, type Rating } from './scorer.ts';

type Query = Pick<Db, 'query'>;

const DAY_MS = 86_400_000;

/** YYYY-MM-DD of a date shifted by `days`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The date ratings are "as of": data dated before it count. Pinned in risk_settings (key `asOf`) by the
 * demo loader, whose estate ends on a fixed day; otherwise tomorrow, so everything up to today counts.
 */
export async function defaultAsOf(db: Query): Promise<string> {
  const row = (await db.query<{ value: unknown }>(`SELECT value FROM risk_settings WHERE key = 'asOf'`)).rows[0];
  if (row && typeof row.value === 'string') return row.value;
  return addDays(new Date().toISOString().slice(0, 10), 1);
}

/** Above this many window shipments, the HS value bands are computed over a repeatable ~1M-row sample. */
const BAND_SAMPLE_ROWS = 1_000_000;

/** The population figures the features need: the non-compliance rate and the unit-value bands per HS code. */
export async function computeReference(db: Query, params: FeatureParameters, asOf: string): Promise<Reference> {
  const rate = (
    await db.query<{ rate: number }>(
      `SELECT COALESCE(count(*) FILTER (WHERE result <> 'clear')::float8 / NULLIF(count(*), 0), 0) AS rate FROM risk_inspections WHERE inspected_on < $1`,
      [asOf],
    )
  ).rows[0];
  const estimate = Number((await db.query<{ n: number }>(`SELECT GREATEST(reltuples, 0)::float8 AS n FROM pg_class WHERE relname = 'risk_shipments'`)).rows[0]?.n ?? 0);
  const pct = estimate > BAND_SAMPLE_ROWS ? Math.max(1, Math.min(100, (100 * BAND_SAMPLE_ROWS) / estimate)) : 100;
  const sample = pct < 100 ? `TABLESAMPLE BERNOULLI (${pct.toFixed(4)}) REPEATABLE (2016)` : '';
  const minSample = Math.max(1, Math.ceil((params.minBandSample * pct) / 100));
  const bands = (
    await db.query<{ hsCode: string; lo: number; hi: number }>(
      `SELECT hs_code AS "hsCode", percentile_cont($3::float8) WITHIN GROUP (ORDER BY uv) AS lo, percentile_cont($4::float8) WITHIN GROUP (ORDER BY uv) AS hi
       FROM (SELECT hs_code, value_hkd::float8 / COALESCE(NULLIF(quantity, 0), 1) AS uv FROM risk_shipments ${sample}
             WHERE shipped_on < $1::date AND shipped_on >= $1::date - $2::int) x
       GROUP BY hs_code HAVING count(*) >= $5 ORDER BY hs_code`,
      [asOf, params.windowDays, params.valueBand[0], params.valueBand[1], minSample],
    )
  ).rows;
  return { asOf, populationRate: Number(rate?.rate ?? 0), bands: bands.map((b) => ({ hsCode: b.hsCode, lo: Number(b.lo), hi: Number(b.hi) })) };
}

export async function traderFeatures(db: Query, lo: number, hi: number, params: FeatureParameters, asOf: string, reference: Reference): Promise<TraderFeatures[]> {
  const { rows } = await db.query<FeatureRow>(FEATURE_SQL, [lo, hi, asOf, JSON.stringify(params), JSON.stringify(reference)]);
  return rows.map(featuresFromRow);
}

export interface RatingContext {
  version: number;
  document: RuleSetDocument;
  asOf: string;
  reference: Reference;
  runId: number | null;
}

export interface RangeResult {
  traders: number;
  changed: number;
  reviewsOpened: number;
}

interface CurrentRow {
  trader_id: string | number;
  level: Level;
  fingerprint: string;
  decided_level: Level | null;
  decided_for_level: Level | null;
}

/** What a new rating means for the queue: a review when the level rose, or a first rating entered high. */
export function reviewTrigger(
  previous: { level: Level; decidedLevel: Level | null; decidedForLevel: Level | null } | undefined,
  next: Level,
): { from: Level | null; trigger: 'rose' | 'entered-high' } | null {
  const HIGH = levelRank('high');
  if (!previous) return levelRank(next) >= HIGH ? { from: null, trigger: 'entered-high' } : null;
  if (previous.level === next) return null;
  const effective = effectiveLevel(previous.level, previous.decidedLevel, previous.decidedForLevel);
  if (levelRank(next) <= levelRank(effective)) return null;
  return { from: effective, trigger: levelRank(next) >= HIGH && levelRank(effective) < HIGH ? 'entered-high' : 'rose' };
}

/** The officer's decision holds while the computed level is still the one decided on. */
export function effectiveLevel(level: Level, decidedLevel: Level | null, decidedForLevel: Level | null): Level {
  return decidedLevel !== null && decidedForLevel === level ? decidedLevel : level;
}

function fingerprint(version: number, r: Rating): string {
  return createHash('sha1').update(`${version}|${r.score}|${r.level}|${JSON.stringify(r.reasons)}`).digest('base64url');
}

/**
 * Rates the traders with ids in [lo, hi]. Only ratings that changed something (score, level, reasons,
 * rule-set version) are written to the history; a rise opens a review, superseding a pending one.
 */
export async function rateRange(db: Db, ctx: RatingContext, lo: number, hi: number): Promise<RangeResult> {
  const features = await traderFeatures(db, lo, hi, ctx.document.parameters, ctx.asOf, ctx.reference);
  if (features.length === 0) return { traders: 0, changed: 0, reviewsOpened: 0 };
  const current = new Map(
    (
      await db.query<CurrentRow>('SELECT trader_id, level, fingerprint, decided_level, decided_for_level FROM risk_current WHERE trader_id BETWEEN $1 AND $2', [lo, hi])
    ).rows.map((r) => [Number(r.trader_id), r]),
  );
  const changed: { t: number; s: number; l: Level; r: unknown; f: string }[] = [];
  const reviews: { t: number; from: Level | null; to: Level; trigger: string }[] = [];
  for (const f of features) {
    const rating = scoreTrader(ctx.document, f);
    const fp = fingerprint(ctx.version, rating);
    const prev = current.get(f.traderId);
    if (prev && prev.fingerprint === fp) continue;
    changed.push({ t: f.traderId, s: rating.score, l: rating.level, r: rating.reasons, f: fp });
    const review = reviewTrigger(prev && { level: prev.level, decidedLevel: prev.decided_level, decidedForLevel: prev.decided_for_level }, rating.level);
    if (review) reviews.push({ t: f.traderId, from: review.from, to: rating.level, trigger: review.trigger });
  }
  if (changed.length === 0) return { traders: features.length, changed: 0, reviewsOpened: 0 };
  await db.transaction(async (tx) => {
    await tx.query(
      `WITH x AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(t bigint, s real, l text, r jsonb, f text)),
       ins AS (
         INSERT INTO risk_ratings (trader_id, rule_set_version, run_id, as_of, score, level, reasons)
         SELECT t, $2, $3, $4, s, l, r FROM x ORDER BY t
         RETURNING rating_id, trader_id, score, level, reasons, rated_at)
       INSERT INTO risk_current (trader_id, rating_id, rule_set_version, score, level, reasons, rated_at, fingerprint)
       SELECT ins.trader_id, ins.rating_id, $2, ins.score, ins.level, ins.reasons, ins.rated_at, x.f FROM ins JOIN x ON x.t = ins.trader_id
       ON CONFLICT (trader_id) DO UPDATE SET rating_id = EXCLUDED.rating_id, rule_set_version = EXCLUDED.rule_set_version, score = EXCLUDED.score,
         level = EXCLUDED.level, reasons = EXCLUDED.reasons, rated_at = EXCLUDED.rated_at, fingerprint = EXCLUDED.fingerprint`,
      [JSON.stringify(changed), ctx.version, ctx.runId, ctx.asOf],
    );
    if (reviews.length > 0) {
      const json = JSON.stringify(reviews);
      await tx.query(
        `UPDATE risk_reviews SET status = 'superseded' WHERE status = 'pending' AND trader_id IN (SELECT t FROM jsonb_to_recordset($1::jsonb) AS x(t bigint))`,
        [json],
      );
      await tx.query(
        `INSERT INTO risk_reviews (trader_id, rating_id, from_level, to_level, trigger, status)
         SELECT x.t, c.rating_id, x."from", x."to", x.trigger, 'pending'
         FROM jsonb_to_recordset($1::jsonb) AS x(t bigint, "from" text, "to" text, trigger text) JOIN risk_current c ON c.trader_id = x.t
         ON CONFLICT (trader_id) WHERE status = 'pending' DO NOTHING`,
        [json],
      );
    }
  });
  return { traders: features.length, changed: changed.length, reviewsOpened: reviews.length };
}

// ---------------------------------------------------------------------------------------------------
// Incremental re-rating: one trader, on the active rule set and the last reference.

interface ReferenceSetting {
  version: number;
  reference: Reference;
}

/** The reference the last run used, recomputed when there is none for the active version and date. */
export async function currentReference(db: Db, version: number, params: FeatureParameters, asOf: string): Promise<Reference> {
  const row = (await db.query<{ value: ReferenceSetting }>(`SELECT value FROM risk_settings WHERE key = 'reference'`)).rows[0];
  if (row && row.value.version === version && row.value.reference.asOf === asOf) return row.value.reference;
  const reference = await computeReference(db, params, asOf);
  await storeReference(db, version, reference);
  return reference;
}

export async function storeReference(db: Query, version: number, reference: Reference): Promise<void> {
  await db.query(
    `INSERT INTO risk_settings (key, value) VALUES ('reference', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
    [JSON.stringify({ version, reference } satisfies ReferenceSetting)],
  );
}

/**
 * Re-rates one trader now, as a new shipment or inspection outcome arrives. The population reference
 * (non-compliance rate, value bands) is the last run's: one trader's event does not move it.
 */
export async function rateTrader(db: Db, traderId: number, opts: { asOf?: string } = {}): Promise<RangeResult> {
  // One round trip for the active rule set, the pinned date and the last reference.
  const row = (
    await db.query<{ version: number; document: RuleSetDocument; as_of: string | null; reference: ReferenceSetting | null }>(
      `SELECT s.version, s.document, (SELECT value #>> '{}' FROM risk_settings WHERE key = 'asOf') AS as_of, (SELECT value FROM risk_settings WHERE key = 'reference') AS reference
       FROM risk_rule_sets s WHERE s.status = 'active'`,
    )
  ).rows[0];
  if (!row) throw new Error('no active rule set');
  const asOf = opts.asOf ?? row.as_of ?? addDays(new Date().toISOString().slice(0, 10), 1);
  const reference =
    row.reference && row.reference.version === row.version && row.reference.reference.asOf === asOf
      ? row.reference.reference
      : await currentReference(db, row.version, row.document.parameters, asOf);
  return rateRange(db, { version: row.version, document: row.document, asOf, reference, runId: null }, traderId, traderId);
}

export interface ShipmentEvent {
  traderId: number;
  ref: string;
  shippedOn: string;
  hsCode: string;
  quantity?: number | null;
  valueHkd: number;
  origin?: string | null;
  route?: string | null;
}

export interface InspectionEvent {
  traderId: number;
  shipmentRef?: string | null;
  inspectedOn: string;
  result: 'clear' | 'irregularity' | 'seizure';
}

export const hsChapter = (hsCode: string): number => Number(hsCode.replace(/\D/g, '').slice(0, 2));

/** Records a shipment and re-rates its trader. */
export async function recordShipment(db: Db, e: ShipmentEvent, opts: { asOf?: string } = {}): Promise<RangeResult> {
  await db.query(
    `INSERT INTO risk_shipments (trader_id, ref, shipped_on, hs_code, hs_chapter, quantity, value_hkd, origin, route) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [e.traderId, e.ref, e.shippedOn, e.hsCode, hsChapter(e.hsCode), e.quantity ?? null, e.valueHkd, e.origin ?? null, e.route ?? null],
  );
  return rateTrader(db, e.traderId, opts);
}

/** Records an inspection outcome and re-rates its trader. */
export async function recordInspection(db: Db, e: InspectionEvent, opts: { asOf?: string } = {}): Promise<RangeResult> {
  await db.query(`INSERT INTO risk_inspections (trader_id, shipment_ref, inspected_on, result) VALUES ($1, $2, $3, $4)`, [
    e.traderId,
    e.shipmentRef ?? null,
    e.inspectedOn,
    e.result,
  ]);
  return rateTrader(db, e.traderId, opts);
}
