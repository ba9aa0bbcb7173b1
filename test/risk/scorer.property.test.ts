import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FEATURES, type FeatureName, type FeatureValues, type TraderFeatures } from '../../src/risk/features.ts';
import { DEFAULT_RULE_SET, levelRank, validateRuleSet, type Rule, type RuleSetDocument } from '../../src/risk/rules.ts';
import { scoreTrader } from '../../src/risk/scorer.ts';

const numeric = FEATURES.filter((f) => f.kind === 'number');

const values: fc.Arbitrary<FeatureValues> = fc.record(
  Object.fromEntries(
    FEATURES.map((f) => [
      f.name,
      f.kind === 'boolean' ? fc.boolean() : f.name === 'ageDays' ? fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: null }) : fc.double({ min: 0, max: 50, noNaN: true }),
    ]),
  ) as Record<FeatureName, fc.Arbitrary<number | boolean | null>>,
) as fc.Arbitrary<FeatureValues>;

const features: fc.Arbitrary<TraderFeatures> = values.map((v) => ({
  traderId: 1,
  values: v,
  labels: { offences: { level: 1, cases: [] } },
  evidence: { offences: ['O-1'] },
}));

/** Random valid rule sets: each rule points the way its feature points. */
const rule = (i: number): fc.Arbitrary<Rule> =>
  fc
    .record({
      spec: fc.constantFrom(...FEATURES.filter((f) => f.direction !== 'context')),
      threshold: fc.double({ min: 0, max: 40, noNaN: true }),
      weight: fc.double({ min: 0.5, max: 30, noNaN: true }),
      strict: fc.boolean(),
      minLevel: fc.option(fc.constantFrom('medium' as const, 'high' as const, 'very-high' as const), { nil: undefined }),
    })
    .map(({ spec, threshold, weight, strict, minLevel }): Rule => {
      const base = { code: `R${i}`, feature: spec.name, text: '{value} vs {threshold}' };
      switch (spec.direction) {
        case 'higher':
          return { ...base, op: strict ? '>' : '>=', value: threshold, weight, ...(minLevel ? { minLevel } : {}) };
        case 'lower':
          return { ...base, op: strict ? '<' : '<=', value: threshold * 500, weight, ...(minLevel ? { minLevel } : {}) };
        case 'flag':
          return { ...base, op: 'is', value: true, weight, ...(minLevel ? { minLevel } : {}) };
        default:
          return { ...base, op: 'is', value: true, weight: -weight };
      }
    });

const ruleSets: fc.Arbitrary<RuleSetDocument> = fc
  .integer({ min: 1, max: 12 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => rule(i))))
  .chain((rules) =>
    fc.record({ share: fc.double({ min: 0, max: 0.9, noNaN: true }) }).map(({ share }) => validateRuleSet({ ...DEFAULT_RULE_SET, rules, maxMitigationShare: share })),
  );

/** The same features with one risk factor made worse by `delta` (or its flag raised). */
function worsen(f: TraderFeatures, name: FeatureName, delta: number): TraderFeatures {
  const spec = FEATURES.find((x) => x.name === name)!;
  const v = f.values[name];
  let next: number | boolean | null = v;
  if (spec.direction === 'higher') next = (v as number) + delta;
  else if (spec.direction === 'lower') next = v === null ? null : Math.max(0, (v as number) - delta * 100);
  else if (spec.direction === 'flag') next = true;
  return { ...f, values: { ...f.values, [name]: next } };
}

describe('scorer properties', () => {
  it('is monotone in every risk factor: worse never scores lower nor levels lower (any valid rule set)', () => {
    fc.assert(
      fc.property(ruleSets, features, fc.constantFrom(...FEATURES.filter((x) => ['higher', 'lower', 'flag'].includes(x.direction)).map((x) => x.name)), fc.double({ min: 0, max: 30, noNaN: true }), (rs, f, name, delta) => {
        const before = scoreTrader(rs, f);
        const after = scoreTrader(rs, worsen(f, name, delta));
        expect(after.score).toBeGreaterThanOrEqual(before.score);
        expect(levelRank(after.level)).toBeGreaterThanOrEqual(levelRank(before.level));
      }),
      { numRuns: 500 },
    );
  });

  it('is monotone on the default rule set too', () => {
    fc.assert(
      fc.property(features, fc.constantFrom(...numeric.filter((x) => x.direction === 'higher').map((x) => x.name)), fc.double({ min: 0, max: 30, noNaN: true }), (f, name, delta) => {
        expect(scoreTrader(DEFAULT_RULE_SET, worsen(f, name, delta)).score).toBeGreaterThanOrEqual(scoreTrader(DEFAULT_RULE_SET, f).score);
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic: the same input gives the same score, level and reasons in the same order', () => {
    fc.assert(
      fc.property(ruleSets, features, (rs, f) => {
        const a = scoreTrader(rs, f);
        const b = scoreTrader(structuredClone(rs), structuredClone(f));
        expect(b).toEqual(a);
        expect(b.reasons.map((r) => r.code)).toEqual(a.reasons.map((r) => r.code));
      }),
      { numRuns: 300 },
    );
  });

  it('mitigation never exempts: the score keeps at least (1 − maxMitigationShare) of the risk points', () => {
    fc.assert(
      fc.property(ruleSets, features, (rs, f) => {
        const without = scoreTrader(rs, { ...f, values: { ...f.values, aeo: false } });
        const withAeo = scoreTrader(rs, { ...f, values: { ...f.values, aeo: true } });
        expect(withAeo.score).toBeLessThanOrEqual(without.score);
        expect(withAeo.score).toBeGreaterThanOrEqual(Math.round(without.score * (1 - rs.maxMitigationShare) * 100) / 100 - 0.01);
      }),
      { numRuns: 300 },
    );
  });

  it('every fired rule is a reason; the points add up to the score', () => {
    fc.assert(
      fc.property(ruleSets, features, (rs, f) => {
        const r = scoreTrader(rs, f);
        const sum = r.reasons.reduce((s, x) => s + x.points, 0);
        expect(Math.abs(sum - r.score)).toBeLessThan(0.01 * (r.reasons.length + 1));
        expect(new Set(r.reasons.map((x) => x.code)).size).toBe(r.reasons.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('scorer examples', () => {
  const base: TraderFeatures = {
    traderId: 7,
    values: Object.fromEntries(FEATURES.map((f) => [f.name, f.kind === 'boolean' ? false : 0])) as FeatureValues,
    labels: {},
    evidence: {},
  };
  base.values.ageDays = 5000;
  base.values.tradersAtAddress = 1;

  it('a clean trader is low with no reasons', () => {
    expect(scoreTrader(DEFAULT_RULE_SET, base)).toEqual({ score: 0, level: 'low', reasons: [] });
  });

  it('thresholds, minLevel floors and reasons with evidence and labels', () => {
    const f: TraderFeatures = {
      ...base,
      values: { ...base.values, offences: 1, nonCompliance: 0.3 },
      labels: { offences: { level: 2, cases: ['C-1'] } },
      evidence: { offences: ['O-9'] },
    };
    const r = scoreTrader(DEFAULT_RULE_SET, f);
    // PRIOR_OFFENCE 15 + NON_COMPLIANCE 15 + HIGH_NON_COMPLIANCE 15 = 45 → high (≥ 30, < 50); HIGH_NON_COMPLIANCE floors at high anyway
    expect(r.score).toBe(45);
    expect(r.level).toBe('high');
    expect(r.reasons.map((x) => x.code)).toEqual(['HIGH_NON_COMPLIANCE', 'NON_COMPLIANCE', 'PRIOR_OFFENCE']);
    expect(r.reasons.find((x) => x.code === 'PRIOR_OFFENCE')).toMatchObject({ evidence: ['O-9'], level: 2, cases: ['C-1'], text: '1 prior offence(s) on record' });
    const floored = scoreTrader({ ...DEFAULT_RULE_SET, thresholds: { medium: 100, high: 200, veryHigh: 300 } }, f);
    expect(floored.level).toBe('high');
  });

  it('AEO takes off its weight, capped at maxMitigationShare of the risk points', () => {
    const f = { ...base, values: { ...base.values, offences: 1, aeo: true } };
    // risk 15, AEO −10 capped at 0.3 × 15 = 4.5
    expect(scoreTrader(DEFAULT_RULE_SET, f)).toMatchObject({ score: 10.5, level: 'low' });
    const clean = { ...base, values: { ...base.values, aeo: true } };
    expect(scoreTrader(DEFAULT_RULE_SET, clean).score).toBe(0);
  });
});
