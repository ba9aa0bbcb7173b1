// Reading ratings: for the search (trader subjects carry their level and top reasons) and for the
// trader view (current rating, its history and reviews).
import type { Clearance } from '../auth/policy.ts';
import type { Db } from '../store/db.ts';
import { effectiveLevel } from './engine.ts';
import { visibleReasons, type ShownReason } from './reasons.ts';
import type { Level } from './rules.ts';
import type { Reason } from './scorer.ts';

type Query = Pick<Db, 'query'>;

export interface TraderRisk {
  traderKey: string;
  br: string | null;
  /** The level to act on: the officer's decision while it holds, else the computed level. */
  level: Level;
  computedLevel: Level;
  score: number;
  /** True when an officer's decision sets `level`. */
  decided: boolean;
  ruleSetVersion: number;
  ratedAt: string;
  /** The strongest reasons the user may see (at most `top`). */
  reasons: ShownReason[];
  pendingReview: number | null;
}

interface Row {
  trader_key: string;
  br: string | null;
  score: number;
  level: Level;
  decided_level: Level | null;
  decided_for_level: Level | null;
  rule_set_version: number;
  rated_at: Date | string;
  reasons: Reason[];
  pending: string | number | null;
}

const iso = (v: Date | string): string => (v instanceof Date ? v.toISOString() : new Date(v).toISOString());

function toRisk(r: Row, who: Clearance, top: number): TraderRisk {
  const shown = visibleReasons(who, r.reasons);
  const eff = effectiveLevel(r.level, r.decided_level, r.decided_for_level);
  return {
    traderKey: r.trader_key,
    br: r.br,
    level: eff,
    computedLevel: r.level,
    score: Number(r.score),
    decided: r.decided_level !== null && r.decided_for_level === r.level,
    ruleSetVersion: r.rule_set_version,
    ratedAt: iso(r.rated_at),
    reasons: shown.slice(0, top),
    pendingReview: r.pending === null ? null : Number(r.pending),
  };
}

const SELECT = `SELECT t.trader_key, t.br, c.score, c.level, c.decided_level, c.decided_for_level, c.rule_set_version, c.rated_at, c.reasons,
  (SELECT v.review_id FROM risk_reviews v WHERE v.trader_id = t.trader_id AND v.status = 'pending') AS pending
  FROM risk_traders t JOIN risk_current c ON c.trader_id = t.trader_id`;

/**
 * Current ratings by trader key (e.g. `itd:T42`) or BR number (8 digits; a BR certificate number's
 * first 8 digits are its BR). The map is keyed by what was asked; a BR with several trader records
 * answers with its highest effective level. Reasons are filtered for `who` and cut to `top`.
 */
export async function ratingsFor(db: Query, keys: readonly string[], who: Clearance, opts: { top?: number } = {}): Promise<Map<string, TraderRisk>> {
  const top = opts.top ?? 3;
  const out = new Map<string, TraderRisk>();
  if (keys.length === 0) return out;
  const brOf = (k: string): string | null => {
    const digits = k.replace(/[^0-9]/g, '');
    return /^[0-9 -]+$/.test(k) && digits.length >= 8 ? digits.slice(0, 8) : null;
  };
  const brs = [...new Set(keys.map(brOf).filter((b): b is string => b !== null))];
  const { rows } = await db.query<Row>(`${SELECT} WHERE t.trader_key = ANY($1::text[]) OR t.br = ANY($2::text[])`, [[...new Set(keys)], brs]);
  const RANK = ['low', 'medium', 'high', 'very-high'];
  for (const key of keys) {
    const br = brOf(key);
    let best: TraderRisk | undefined;
    for (const row of rows) {
      if (row.trader_key !== key && (br === null || row.br !== br)) continue;
      const risk = toRisk(row, who, top);
      if (!best || RANK.indexOf(risk.level) > RANK.indexOf(best.level) || (risk.level === best.level && risk.score > best.score)) best = risk;
    }
    if (best) out.set(key, best);
  }
  return out;
}

export interface TraderHistoryEntry {
  ratingId: number;
  ruleSetVersion: number;
  runId: number | null;
  asOf: string;
  score: number;
  level: Level;
  ratedAt: string;
  reasons: ShownReason[];
}

export async function traderRisk(db: Query, traderKey: string, who: Clearance): Promise<{ current: TraderRisk | null; history: TraderHistoryEntry[] } | undefined> {
  const trader = (await db.query<{ trader_id: string | number }>('SELECT trader_id FROM risk_traders WHERE trader_key = $1', [traderKey])).rows[0];
  if (!trader) return undefined;
  const current = (await db.query<Row>(`${SELECT} WHERE t.trader_id = $1`, [trader.trader_id])).rows[0];
  const history = (
    await db.query<{ rating_id: string | number; rule_set_version: number; run_id: string | number | null; as_of: string; score: number; level: Level; rated_at: Date | string; reasons: Reason[] }>(
      `SELECT rating_id, rule_set_version, run_id, to_char(as_of, 'YYYY-MM-DD') AS as_of, score, level, rated_at, reasons FROM risk_ratings WHERE trader_id = $1 ORDER BY rating_id DESC LIMIT 50`,
      [trader.trader_id],
    )
  ).rows;
  return {
    current: current ? toRisk(current, who, 100) : null,
    history: history.map((h) => {
      const shown = visibleReasons(who, h.reasons);
      return {
        ratingId: Number(h.rating_id),
        ruleSetVersion: h.rule_set_version,
        runId: h.run_id === null ? null : Number(h.run_id),
        asOf: h.as_of,
        score: Number(h.score),
        level: h.level,
        ratedAt: iso(h.rated_at),
        reasons: shown,
      };
    }),
  };
}
