import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_SET, RuleSetInvalidError, validateRuleSet } from '../../src/risk/rules.ts';

const invalid = (doc: unknown): { path: string; message: string }[] => {
  try {
    validateRuleSet(doc);
  } catch (err) {
    if (err instanceof RuleSetInvalidError) return err.errors;
    throw err;
  }
  throw new Error('expected the rule set to be refused');
};

describe('rule set validation', () => {
  it('accepts the default rule set', () => {
    expect(validateRuleSet(structuredClone(DEFAULT_RULE_SET))).toEqual(DEFAULT_RULE_SET);
  });

  it('names the field of a schema error', () => {
    const errors = invalid({ ...DEFAULT_RULE_SET, rules: [{ ...DEFAULT_RULE_SET.rules[0], feature: 'shoeSize' }] });
    expect(errors.some((e) => e.path === '/rules/0/feature')).toBe(true);
    expect(invalid({ ...DEFAULT_RULE_SET, extra: 1 })[0]?.message).toMatch(/additional/);
  });

  it('refuses a rule that points against its feature (it would break monotonicity)', () => {
    const errors = invalid({ ...DEFAULT_RULE_SET, rules: [{ code: 'FEW_OFFENCES', feature: 'offences', op: '<', value: 1, weight: 5, text: 'x' }] });
    expect(errors[0]).toMatchObject({ path: '/rules/0' });
    expect(invalid({ ...DEFAULT_RULE_SET, rules: [{ code: 'OLD', feature: 'ageDays', op: '>=', value: 1, weight: 5, text: 'x' }] })[0]?.message).toMatch(/less is riskier/);
    expect(invalid({ ...DEFAULT_RULE_SET, rules: [{ code: 'NEG', feature: 'seizures', op: '>=', value: 1, weight: -5, text: 'x' }] })).toHaveLength(1);
  });

  it('AEO mitigates with a negative weight, never as an exemption or a floor', () => {
    expect(invalid({ ...DEFAULT_RULE_SET, rules: [{ code: 'AEO', feature: 'aeo', op: 'is', value: true, weight: 10, text: 'x' }] })).toHaveLength(1);
    expect(invalid({ ...DEFAULT_RULE_SET, rules: [{ code: 'AEO', feature: 'aeo', op: 'is', value: true, weight: -10, minLevel: 'low', text: 'x' }] })).toHaveLength(1);
    expect(invalid({ ...DEFAULT_RULE_SET, maxMitigationShare: 1 })[0]?.path).toBe('/maxMitigationShare');
  });

  it('refuses context features, duplicate codes, thresholds out of order', () => {
    expect(invalid({ ...DEFAULT_RULE_SET, rules: [{ code: 'MANY', feature: 'shipments', op: '>=', value: 1, weight: 1, text: 'x' }] })[0]?.path).toBe('/rules/0/feature');
    expect(invalid({ ...DEFAULT_RULE_SET, rules: [DEFAULT_RULE_SET.rules[0], DEFAULT_RULE_SET.rules[0]] })[0]?.message).toMatch(/duplicate/);
    expect(invalid({ ...DEFAULT_RULE_SET, thresholds: { medium: 30, high: 20, veryHigh: 50 } })[0]?.path).toBe('/thresholds');
  });
});
