// Rule sets: versioned JSON documents of weighted rules. Validated by JSON Schema (ajv), then by the
// checks a schema cannot express: each rule points the way its feature points (so the score can only
// rise as a risk factor grows), codes are unique, thresholds ascend.
import { Ajv } from 'ajv';
import { FEATURE_BY_NAME, FEATURE_NAMES, type FeatureName, type FeatureParameters } from './features.ts';

export const LEVELS = ['low', 'medium', 'high', 'very-high'] as const;
export type Level = (typeof LEVELS)[number];
export const levelRank = (l: Level): number => LEVELS.indexOf(l);

export type Op = '>=' | '>' | '<' | '<=' | 'is';

export interface Rule {
  /** Reason code shown to officers, e.g. PRIOR_OFFENCES. */
  code: string;
  feature: FeatureName;
  op: Op;
  value: number | boolean;
  /** Points added when the rule fires; negative only for mitigation features. */
  weight: number;
  /** A fired rule lifts the level to at least this, whatever the score. */
  minLevel?: Level;
  /** What the reason says; `{value}` and `{threshold}` are filled in. */
  text: string;
}

export interface RuleSetDocument {
  name: string;
  description?: string;
  parameters: FeatureParameters;
  rules: Rule[];
  /** Score at which each level starts; below `medium` is low. */
  thresholds: { medium: number; high: number; veryHigh: number };
  /** Mitigation can take off at most this share of the risk points: a mitigation, never an exemption. */
  maxMitigationShare: number;
  /** Share of inspection recommendations drawn at random, so hit rates stay unbiased. */
  randomShare: number;
}

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'parameters', 'rules', 'thresholds', 'maxMitigationShare', 'randomShare'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    description: { type: 'string', maxLength: 2000 },
    parameters: {
      type: 'object',
      additionalProperties: false,
      required: [
        'windowDays',
        'changeDays',
        'recentOffenceDays',
        'spikeDays',
        'dormantDays',
        'activeMin',
        'smoothing',
        'highRiskChapters',
        'riskyOrigins',
        'riskyRoutes',
        'valueBand',
        'minBandSample',
      ],
      properties: {
        windowDays: { type: 'integer', minimum: 1, maximum: 3650 },
        changeDays: { type: 'integer', minimum: 1, maximum: 3650 },
        recentOffenceDays: { type: 'integer', minimum: 1, maximum: 7300 },
        spikeDays: { type: 'integer', minimum: 1, maximum: 365 },
        dormantDays: { type: 'integer', minimum: 1, maximum: 3650 },
        activeMin: { type: 'integer', minimum: 1, maximum: 10000 },
        smoothing: { type: 'number', exclusiveMinimum: 0, maximum: 10000 },
        highRiskChapters: { type: 'array', uniqueItems: true, maxItems: 99, items: { type: 'integer', minimum: 1, maximum: 99 } },
        riskyOrigins: { type: 'array', uniqueItems: true, maxItems: 500, items: { type: 'string', minLength: 1, maxLength: 100 } },
        riskyRoutes: { type: 'array', uniqueItems: true, maxItems: 500, items: { type: 'string', minLength: 1, maxLength: 100 } },
        valueBand: { type: 'array', minItems: 2, maxItems: 2, items: { type: 'number', minimum: 0, maximum: 1 } },
        minBandSample: { type: 'integer', minimum: 1, maximum: 100000 },
      },
    },
    rules: {
      type: 'array',
      minItems: 1,
      maxItems: 200,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'feature', 'op', 'value', 'weight', 'text'],
        properties: {
          code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]{1,47}$' },
          feature: { enum: FEATURE_NAMES },
          op: { enum: ['>=', '>', '<', '<=', 'is'] },
          value: { type: ['number', 'boolean'] },
          weight: { type: 'number', minimum: -1000, maximum: 1000 },
          minLevel: { enum: [...LEVELS] },
          text: { type: 'string', minLength: 1, maxLength: 300 },
        },
      },
    },
    thresholds: {
      type: 'object',
      additionalProperties: false,
      required: ['medium', 'high', 'veryHigh'],
      properties: { medium: { type: 'number' }, high: { type: 'number' }, veryHigh: { type: 'number' } },
    },
    maxMitigationShare: { type: 'number', minimum: 0, maximum: 0.9 },
    randomShare: { type: 'number', minimum: 0, maximum: 1 },
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validateSchema = ajv.compile(schema);

export class RuleSetInvalidError extends Error {
  readonly errors: { path: string; message: string }[];
  constructor(errors: { path: string; message: string }[]) {
    super(`rule set invalid: ${errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}`);
    this.errors = errors;
  }
}

/** The document as a RuleSetDocument, or RuleSetInvalidError naming every problem and where. */
export function validateRuleSet(doc: unknown): RuleSetDocument {
  if (!validateSchema(doc)) {
    throw new RuleSetInvalidError((validateSchema.errors ?? []).map((e) => ({ path: e.instancePath, message: e.message ?? 'invalid' })));
  }
  const d = doc as unknown as RuleSetDocument;
  const errors: { path: string; message: string }[] = [];
  const codes = new Set<string>();
  d.rules.forEach((r, i) => {
    const path = `/rules/${i}`;
    if (codes.has(r.code)) errors.push({ path: `${path}/code`, message: `duplicate code ${r.code}` });
    codes.add(r.code);
    const spec = FEATURE_BY_NAME.get(r.feature);
    if (!spec) return;
    const ok = (cond: boolean, message: string) => {
      if (!cond) errors.push({ path, message });
    };
    switch (spec.direction) {
      case 'higher':
        ok((r.op === '>=' || r.op === '>') && typeof r.value === 'number' && r.weight > 0, `${r.feature}: more is riskier, so the rule must be ">=" or ">" a number with a positive weight`);
        break;
      case 'lower':
        ok((r.op === '<=' || r.op === '<') && typeof r.value === 'number' && r.weight > 0, `${r.feature}: less is riskier, so the rule must be "<=" or "<" a number with a positive weight`);
        break;
      case 'flag':
        ok(r.op === 'is' && r.value === true && r.weight > 0, `${r.feature}: a flag rule is "is" true with a positive weight`);
        break;
      case 'mitigation':
        ok(r.op === 'is' && r.value === true && r.weight < 0 && r.minLevel === undefined, `${r.feature}: a mitigation rule is "is" true with a negative weight and no minLevel`);
        break;
      case 'context':
        errors.push({ path: `${path}/feature`, message: `${r.feature} is context (a denominator) and is not scored` });
        break;
    }
  });
  const t = d.thresholds;
  if (!(t.medium < t.high && t.high < t.veryHigh)) errors.push({ path: '/thresholds', message: 'thresholds must ascend: medium < high < veryHigh' });
  if (d.parameters.valueBand[0] >= d.parameters.valueBand[1]) errors.push({ path: '/parameters/valueBand', message: 'the lower quantile must be below the upper' });
  if (errors.length > 0) throw new RuleSetInvalidError(errors);
  return d;
}

/** The rule set the store starts with (version 1, active). */
export const DEFAULT_RULE_SET: RuleSetDocument = {
  name: 'baseline',
  description: 'Starting rule set: prior findings and offences weigh most; commodity, value and network signals add; AEO mitigates.',
  parameters: {
    windowDays: 365,
    changeDays: 365,
    recentOffenceDays: 1095,
    spikeDays: 90,
    dormantDays: 180,
    activeMin: 3,
    smoothing: 20,
    highRiskChapters: [24, 22, 30, 85, 71, 91],
    riskyOrigins: [],
    riskyRoutes: [],
    valueBand: [0.05, 0.95],
    minBandSample: 20,
  },
  rules: [
    { code: 'PRIOR_OFFENCE', feature: 'offences', op: '>=', value: 1, weight: 15, text: '{value} prior offence(s) on record' },
    { code: 'REPEAT_OFFENDER', feature: 'offences', op: '>=', value: 3, weight: 10, text: '{value} prior offences (≥ {threshold})' },
    { code: 'RECENT_OFFENCE', feature: 'recentOffences', op: '>=', value: 1, weight: 10, text: '{value} offence(s) in the last 3 years' },
    { code: 'PRIOR_SEIZURE', feature: 'seizures', op: '>=', value: 1, weight: 15, text: '{value} inspection(s) ended in a seizure' },
    { code: 'NON_COMPLIANCE', feature: 'nonCompliance', op: '>=', value: 0.12, weight: 15, text: 'smoothed non-compliance rate {value} (≥ {threshold})' },
    { code: 'HIGH_NON_COMPLIANCE', feature: 'nonCompliance', op: '>=', value: 0.25, weight: 15, minLevel: 'high', text: 'smoothed non-compliance rate {value} (≥ {threshold})' },
    { code: 'HIGH_RISK_GOODS', feature: 'highRiskShare', op: '>=', value: 0.3, weight: 8, text: '{value} of shipments in high-risk HS chapters' },
    { code: 'RISKY_ORIGIN', feature: 'originRiskShare', op: '>=', value: 0.3, weight: 6, text: '{value} of shipments from high-risk origins' },
    { code: 'RISKY_ROUTE', feature: 'routeRiskShare', op: '>=', value: 0.3, weight: 6, text: '{value} of shipments over high-risk routes' },
    { code: 'UNIT_VALUE_OUTLIER', feature: 'unitValueOutlierShare', op: '>=', value: 0.2, weight: 12, text: '{value} of shipments priced outside the reference band of their HS code' },
    { code: 'VOLUME_SPIKE', feature: 'volumeSpike', op: '>=', value: 3, weight: 6, text: 'shipment rate {value}× the previous year' },
    { code: 'DORMANT_THEN_ACTIVE', feature: 'dormantThenActive', op: 'is', value: true, weight: 8, text: 'active again after a dormant period' },
    { code: 'OFF_LINE_GOODS', feature: 'offLineShare', op: '>=', value: 0.2, weight: 10, text: '{value} of shipments outside the declared line of business' },
    { code: 'NEW_TRADER', feature: 'ageDays', op: '<', value: 365, weight: 5, text: 'registered {value} days ago' },
    { code: 'NAME_CHANGE', feature: 'nameChanges', op: '>=', value: 1, weight: 4, text: '{value} change(s) of name in the last year' },
    { code: 'ADDRESS_CHANGE', feature: 'addressChanges', op: '>=', value: 1, weight: 3, text: '{value} change(s) of address in the last year' },
    { code: 'DIRECTOR_CHANGE', feature: 'directorChanges', op: '>=', value: 1, weight: 4, text: '{value} change(s) of directors in the last year' },
    { code: 'INTELLIGENCE', feature: 'intelReports', op: '>=', value: 1, weight: 10, text: '{value} intelligence or investigation report(s) about the trader' },
    { code: 'LINKED_TO_INVESTIGATION', feature: 'investigationLinks', op: '>=', value: 1, weight: 10, text: 'linked to {value} subject(s) under investigation' },
    { code: 'SHARED_ADDRESS', feature: 'tradersAtAddress', op: '>=', value: 5, weight: 6, text: '{value} traders registered at the same address' },
    { code: 'AEO_MITIGATION', feature: 'aeo', op: 'is', value: true, weight: -10, text: 'Authorized Economic Operator' },
  ],
  thresholds: { medium: 15, high: 30, veryHigh: 50 },
  maxMitigationShare: 0.3,
  randomShare: 0.1,
};
