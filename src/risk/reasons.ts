// Need-to-know for reasons: a reason derived from data a user may not see is not shown to that user —
// the same rule as for records (src/auth/policy.ts): level ≥ the evidence's level and every case of the
// evidence among the user's cases. The level and score are shown; withheld reasons are left out without a count.
import type { Clearance } from '../auth/policy.ts';
import type { Reason } from './scorer.ts';

/** A reason as shown: its security labels stay inside the hub. */
export type ShownReason = Omit<Reason, 'level' | 'cases'>;


export function reasonVisible(who: Clearance, r: Pick<Reason, 'level' | 'cases'>): boolean {
  const level = Number(r.level);
  if (!Number.isSafeInteger(level) || level < 0 || !Array.isArray(r.cases)) return false;
  return who.level >= level && r.cases.every((c) => who.cases.has(c));
}

/** The reasons `who` may see, stripped of their labels; the others leave no trace, not even a count. */
export function visibleReasons(who: Clearance, reasons: readonly Reason[]): ShownReason[] {
  const shown = reasons.filter((r) => reasonVisible(who, r)).map(({ level: _level, cases: _cases, ...rest }) => rest);
  return shown;
}
