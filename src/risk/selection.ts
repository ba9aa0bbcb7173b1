// Inspection recommendations. Most picks follow the ratings (effective level, then score); a share is
// drawn uniformly at random from the rest, so the outcomes of inspections keep measuring the whole
// population and hit rates stay unbiased (a selection that only follows the ratings only learns about
// the traders it already suspects).
import type { Db } from '../store/db.ts';
import { createRng } from '../demo/random.ts';
import { activeRuleSet } from './rulesets.ts';

export interface Selected {
  traderKey: string;
  level: string;
  score: number;
  why: 'risk' | 'random';
}

export async function recommendSelection(db: Db, opts: { count: number; randomShare?: number; seed?: number }): Promise<{ randomShare: number; picks: Selected[] }> {
  const randomShare = opts.randomShare ?? (await activeRuleSet(db))?.document.randomShare ?? 0.1;
  const nRandom = Math.round(opts.count * randomShare);
  const nRisk = opts.count - nRandom;
  const risk = (
    await db.query<{ trader_key: string; level: string; score: number }>(
      `SELECT t.trader_key, CASE WHEN c.decided_for_level = c.level THEN c.decided_level ELSE c.level END AS level, c.score
       FROM risk_current c JOIN risk_traders t ON t.trader_id = c.trader_id
       ORDER BY array_position(ARRAY['low','medium','high','very-high'], CASE WHEN c.decided_for_level = c.level THEN c.decided_level ELSE c.level END) DESC, c.score DESC, c.trader_id
       LIMIT $1`,
      [nRisk],
    )
  ).rows;
  const taken = risk.map((r) => r.trader_key);
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31);
  // Uniform over the rest: random keys from a seeded generator, filtered in SQL.
  const rng = createRng(seed);
  const rest = (
    await db.query<{ trader_key: string; level: string; score: number }>(
      `SELECT t.trader_key, COALESCE(CASE WHEN c.decided_for_level = c.level THEN c.decided_level ELSE c.level END, 'low') AS level, COALESCE(c.score, 0) AS score
       FROM risk_traders t LEFT JOIN risk_current c ON c.trader_id = t.trader_id
       WHERE NOT (t.trader_key = ANY($1::text[]))
       ORDER BY md5(t.trader_key || $2) LIMIT $3`,
      [taken, String(rng.next()), nRandom],
    )
  ).rows;
  return {
    randomShare,
    picks: [
      ...risk.map((r) => ({ traderKey: r.trader_key, level: r.level, score: Number(r.score), why: 'risk' as const })),
      ...rest.map((r) => ({ traderKey: r.trader_key, level: r.level, score: Number(r.score), why: 'random' as const })),
    ],
  };
}
