// The scorer: pure, no I/O. A trader's features and a rule set give a score, a level and the reasons —
// one per fired rule, with the evidence behind it and the security labels of that evidence.
//
//   risk       = Σ weight of fired risk rules                    (weights > 0)
//   mitigation = min(Σ |weight| of fired mitigation rules, maxMitigationShare · risk)
//   score      = risk − mitigation
//   level      = max(level of score by thresholds, minLevel of every fired rule)
//
// Monotone: every risk rule points the way its feature points (validateRuleSet), so making any risk
// factor worse can only fire more rules; score = risk − min(m, c·risk) never falls as risk rises.
import { FEATURE_BY_NAME, type FeatureName, type Label, type TraderFeatures } from './features.ts';
import { LEVELS, levelRank, type Level, type Rule, type RuleSetDocument } from './rules.ts';

export interface Reason {
  code: string;
  text: string;
  feature: FeatureName;
  value: number | boolean;
  op: Rule['op'];
  threshold: number | boolean;
  /** Points this reason contributed (mitigation: negative, after the cap). */
  points: number;
  /** References to the records behind the feature, when it has them. */
  evidence?: string[];
  /** Security labels of the evidence: shown only to a user who may see records so labelled. */
  level: number;
  cases: string[];
}

export interface Rating {
  score: number;
  level: Level;
  reasons: Reason[];
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

export function fires(rule: Rule, value: number | boolean | null): boolean {
  if (value === null) return false;
  switch (rule.op) {
    case 'is':
      return value === rule.value;
    case '>=':
      return typeof value === 'number' && value >= (rule.value as number);
    case '>':
      return typeof value === 'number' && value > (rule.value as number);
    case '<=':
      return typeof value === 'number' && value <= (rule.value as number);
    case '<':
      return typeof value === 'number' && value < (rule.value as number);
  }
}

const NO_LABEL: Label = { level: 0, cases: [] };

export function scoreTrader(ruleSet: RuleSetDocument, f: TraderFeatures): Rating {
  const risk: { rule: Rule; value: number | boolean }[] = [];
  const mitigating: { rule: Rule; value: number | boolean }[] = [];
  for (const rule of ruleSet.rules) {
    const value = f.values[rule.feature];
    if (!fires(rule, value)) continue;
    (FEATURE_BY_NAME.get(rule.feature)?.direction === 'mitigation' ? mitigating : risk).push({ rule, value: value as number | boolean });
  }
  const riskPoints = risk.reduce((s, r) => s + r.rule.weight, 0);
  const wanted = mitigating.reduce((s, r) => s + -r.rule.weight, 0);
  const allowed = Math.min(wanted, ruleSet.maxMitigationShare * riskPoints);
  const scale = wanted > 0 ? allowed / wanted : 0;
  const score = round2(riskPoints - allowed);

  let rank = 0;
  const t = ruleSet.thresholds;
  if (score >= t.veryHigh) rank = 3;
  else if (score >= t.high) rank = 2;
  else if (score >= t.medium) rank = 1;
  for (const { rule } of risk) if (rule.minLevel) rank = Math.max(rank, levelRank(rule.minLevel));

  const reason = (rule: Rule, value: number | boolean, points: number): Reason => {
    const label = f.labels[rule.feature] ?? NO_LABEL;
    const evidence = f.evidence[rule.feature];
    const out: Reason = {
      code: rule.code,
      text: rule.text.replaceAll('{value}', show(value)).replaceAll('{threshold}', show(rule.value)),
      feature: rule.feature,
      value,
      op: rule.op,
      threshold: rule.value,
      points: round2(points),
      level: label.level,
      cases: label.cases,
    };
    if (evidence && evidence.length > 0) out.evidence = evidence;
    return out;
  };
  const reasons = [
    ...risk.map((r) => reason(r.rule, r.value, r.rule.weight)),
    ...mitigating.map((r) => reason(r.rule, r.value, r.rule.weight * scale)),
  ].sort((a, b) => b.points - a.points || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return { score, level: LEVELS[rank] as Level, reasons };
}

function show(v: number | boolean): string {
  if (typeof v === 'boolean') return String(v);
  return Number.isInteger(v) ? String(v) : String(Math.round(v * 100) / 100);
}
