// The features a trader is rated on. Each is computed set-based inside PostgreSQL by one statement
// (FEATURE_SQL) over a range of trader ids, so the same SQL rates 400,000 traders in chunks and one
// trader when a shipment or inspection outcome arrives. Everything is relative to an `asOf` date, and
// only data dated before it is read, which is what lets the backtest rate "as it would have been".

export type FeatureName =
  | 'ageDays'
  | 'nameChanges'
  | 'addressChanges'
  | 'directorChanges'
  | 'offences'
  | 'recentOffences'
  | 'seizures'
  | 'inspections'
  | 'nonCompliance'
  | 'shipments'
  | 'highRiskShare'
  | 'originRiskShare'
  | 'routeRiskShare'
  | 'unitValueOutlierShare'
  | 'volumeSpike'
  | 'dormantThenActive'
  | 'offLineShare'
  | 'intelReports'
  | 'investigationLinks'
  | 'tradersAtAddress'
  | 'aeo';

/**
 * Which way a feature points: `higher` — more is riskier; `lower` — less is riskier (a young trader);
 * `flag` — true is riskier; `mitigation` — true lowers the score, within the rule set's cap (never an
 * exemption); `context` — shown, never scored (inspections, shipments: the denominators).
 */
export type Direction = 'higher' | 'lower' | 'flag' | 'mitigation' | 'context';

export interface FeatureSpec {
  name: FeatureName;
  direction: Direction;
  kind: 'number' | 'boolean';
  /** What the feature is, for officers and for docs/ (the README of src/risk lists these). */
  description: string;
  /** Whether the feature is derived from security-labelled records (its reasons carry their labels). */
  labelled?: boolean;
}

export const FEATURES: readonly FeatureSpec[] = [
  { name: 'ageDays', direction: 'lower', kind: 'number', description: 'Days since the trader was registered (unknown registration: not scored).' },
  { name: 'nameChanges', direction: 'higher', kind: 'number', description: 'Changes of name within parameters.changeDays.' },
  { name: 'addressChanges', direction: 'higher', kind: 'number', description: 'Changes of address within parameters.changeDays.' },
  { name: 'directorChanges', direction: 'higher', kind: 'number', description: 'Changes of directors or partners within parameters.changeDays.' },
  { name: 'offences', direction: 'higher', kind: 'number', description: 'Prior offences on record, all time.', labelled: true },
  { name: 'recentOffences', direction: 'higher', kind: 'number', description: 'Prior offences within parameters.recentOffenceDays.', labelled: true },
  { name: 'seizures', direction: 'higher', kind: 'number', description: 'Inspections of its shipments that ended in a seizure, all time.' },
  { name: 'inspections', direction: 'context', kind: 'number', description: 'Inspections of its shipments, all time.' },
  {
    name: 'nonCompliance',
    direction: 'higher',
    kind: 'number',
    description:
      'Smoothed non-compliance rate: (findings + m·p) / (inspections + m), where findings are inspections with an irregularity or seizure, p the population rate and m = parameters.smoothing; a trader never inspected sits at p.',
  },
  { name: 'shipments', direction: 'context', kind: 'number', description: 'Shipments within parameters.windowDays.' },
  { name: 'highRiskShare', direction: 'higher', kind: 'number', description: 'Share of window shipments in the high-risk HS chapters (parameters.highRiskChapters).' },
  { name: 'originRiskShare', direction: 'higher', kind: 'number', description: 'Share of window shipments from a high-risk origin (parameters.riskyOrigins).' },
  { name: 'routeRiskShare', direction: 'higher', kind: 'number', description: 'Share of window shipments over a high-risk route or crossing (parameters.riskyRoutes).' },
  {
    name: 'unitValueOutlierShare',
    direction: 'higher',
    kind: 'number',
    description:
      'Share of window shipments whose unit value (value / quantity) lies outside the reference band of its HS code: the parameters.valueBand quantiles over all traders’ window shipments of that code (codes with fewer than parameters.minBandSample shipments have no band).',
  },
  {
    name: 'volumeSpike',
    direction: 'higher',
    kind: 'number',
    description: 'Daily shipment rate in the last parameters.spikeDays over the daily rate in the 365 days before them (+1 shipment smoothing).',
  },
  {
    name: 'dormantThenActive',
    direction: 'flag',
    kind: 'boolean',
    description:
      'At least parameters.activeMin shipments in the last parameters.spikeDays after none in the parameters.dormantDays before them, with earlier activity (a long-idle trader woken up).',
  },
  { name: 'offLineShare', direction: 'higher', kind: 'number', description: 'Share of window shipments in HS chapters outside the trader’s declared line of business.' },
  { name: 'intelReports', direction: 'higher', kind: 'number', description: 'Intelligence and investigation reports about the trader within parameters.recentOffenceDays.', labelled: true },
  {
    name: 'investigationLinks',
    direction: 'higher',
    kind: 'number',
    description: 'Persons or companies under investigation the trader is linked to by a shared director, address, phone or vehicle.',
    labelled: true,
  },
  { name: 'tradersAtAddress', direction: 'higher', kind: 'number', description: 'Traders registered at the same (normalised) address, itself included: the shell-company signal.' },
  { name: 'aeo', direction: 'mitigation', kind: 'boolean', description: 'Authorized Economic Operator: mitigates the score within the rule set’s cap, never exempts.' },
];

export const FEATURE_NAMES = FEATURES.map((f) => f.name);
export const FEATURE_BY_NAME: ReadonlyMap<FeatureName, FeatureSpec> = new Map(FEATURES.map((f) => [f.name, f]));

export type FeatureValues = Record<FeatureName, number | boolean | null>;

/** Security labels of a labelled feature: the highest level and every case of the records behind it. */
export interface Label {
  level: number;
  cases: string[];
}

export interface TraderFeatures {
  traderId: number;
  values: FeatureValues;
  /** Per labelled feature with a non-zero value. */
  labels: Partial<Record<FeatureName, Label>>;
  /** A few references to the records behind a feature (offence refs, report refs, link keys). */
  evidence: Partial<Record<FeatureName, string[]>>;
}

/** The rule set's parameters the features depend on. */
export interface FeatureParameters {
  windowDays: number;
  changeDays: number;
  recentOffenceDays: number;
  spikeDays: number;
  dormantDays: number;
  activeMin: number;
  smoothing: number;
  highRiskChapters: number[];
  riskyOrigins: string[];
  riskyRoutes: string[];
  valueBand: [number, number];
  minBandSample: number;
}

/** What the features need from the whole population: computed once per run (src/risk/reference.ts). */
export interface Reference {
  asOf: string;
  populationRate: number;
  bands: { hsCode: string; lo: number; hi: number }[];
}

// Parameters: $1 lo trader id, $2 hi trader id, $3 as-of date, $4 parameters (jsonb), $5 reference (jsonb).
// The shipments are read once, with every shipment feature a FILTERed aggregate over that one pass.
export const FEATURE_SQL = `
WITH prm AS (
  SELECT $3::date AS as_of,
         ($4::jsonb->>'windowDays')::int AS window_days,
         ($4::jsonb->>'changeDays')::int AS change_days,
         ($4::jsonb->>'recentOffenceDays')::int AS recent_days,
         ($4::jsonb->>'spikeDays')::int AS spike_days,
         ($4::jsonb->>'dormantDays')::int AS dormant_days,
         ($4::jsonb->>'activeMin')::int AS active_min,
         ($4::jsonb->>'smoothing')::float8 AS m,
         ($5::jsonb->>'populationRate')::float8 AS pop_rate,
         ARRAY(SELECT x::smallint FROM jsonb_array_elements_text($4::jsonb->'highRiskChapters') x) AS hr_chapters,
         ARRAY(SELECT x FROM jsonb_array_elements_text($4::jsonb->'riskyOrigins') x) AS risky_origins,
         ARRAY(SELECT x FROM jsonb_array_elements_text($4::jsonb->'riskyRoutes') x) AS risky_routes
),
bands AS (
  SELECT b."hsCode" AS hs_code, b.lo, b.hi FROM jsonb_to_recordset($5::jsonb->'bands') AS b("hsCode" text, lo float8, hi float8)
),
t AS (
  SELECT trader_id, registered_on, aeo, business_chapters, address_norm FROM risk_traders WHERE trader_id BETWEEN $1 AND $2
),
s AS (
  SELECT s.trader_id,
    count(*) FILTER (WHERE s.shipped_on >= p.as_of - p.window_days) AS n_window,
    count(*) FILTER (WHERE s.shipped_on >= p.as_of - p.window_days AND s.hs_chapter = ANY (p.hr_chapters)) AS n_hr,
    count(*) FILTER (WHERE s.shipped_on >= p.as_of - p.window_days AND s.origin = ANY (p.risky_origins)) AS n_origin,
    count(*) FILTER (WHERE s.shipped_on >= p.as_of - p.window_days AND s.route = ANY (p.risky_routes)) AS n_route,
    count(*) FILTER (WHERE s.shipped_on >= p.as_of - p.window_days AND b.hs_code IS NOT NULL
                       AND (s.value_hkd / COALESCE(NULLIF(s.quantity, 0), 1) < b.lo OR s.value_hkd / COALESCE(NULLIF(s.quantity, 0), 1) > b.hi)) AS n_outlier,
    count(*) FILTER (WHERE s.shipped_on >= p.as_of - p.window_days AND cardinality(t.business_chapters) > 0
                       AND NOT (s.hs_chapter = ANY (t.business_chapters))) AS n_offline,
    count(*) FILTER (WHERE s.shipped_on >= p.as_of - p.spike_days) AS n_recent,
    count(*) FILTER (WHERE s.shipped_on < p.as_of - p.spike_days AND s.shipped_on >= p.as_of - p.spike_days - 365) AS n_prior,
    count(*) FILTER (WHERE s.shipped_on < p.as_of - p.spike_days AND s.shipped_on >= p.as_of - p.spike_days - p.dormant_days) AS n_dormant,
    count(*) FILTER (WHERE s.shipped_on < p.as_of - p.spike_days - p.dormant_days) AS n_earlier
  FROM risk_shipments s
  JOIN t ON t.trader_id = s.trader_id
  CROSS JOIN prm p
  LEFT JOIN bands b ON b.hs_code = s.hs_code
  WHERE s.trader_id BETWEEN $1 AND $2 AND s.shipped_on < p.as_of
  GROUP BY s.trader_id
),
i AS (
  SELECT i.trader_id, count(*) AS n, count(*) FILTER (WHERE i.result <> 'clear') AS findings, count(*) FILTER (WHERE i.result = 'seizure') AS seizures
  FROM risk_inspections i CROSS JOIN prm p
  WHERE i.trader_id BETWEEN $1 AND $2 AND i.inspected_on < p.as_of
  GROUP BY i.trader_id
),
o AS (
  SELECT o.trader_id, count(*) AS n, count(*) FILTER (WHERE o.committed_on >= p.as_of - p.recent_days) AS recent,
    max(o.level) AS level, string_agg(NULLIF(array_to_string(o.cases, ','), ''), ',') AS cases,
    (array_agg(o.ref ORDER BY o.committed_on DESC, o.ref))[1:5] AS refs
  FROM risk_offences o CROSS JOIN prm p
  WHERE o.trader_id BETWEEN $1 AND $2 AND o.committed_on < p.as_of
  GROUP BY o.trader_id
),
c AS (
  SELECT c.trader_id,
    count(*) FILTER (WHERE c.kind = 'name') AS names, count(*) FILTER (WHERE c.kind = 'address') AS addresses, count(*) FILTER (WHERE c.kind = 'director') AS directors
  FROM risk_trader_changes c CROSS JOIN prm p
  WHERE c.trader_id BETWEEN $1 AND $2 AND c.changed_on < p.as_of AND c.changed_on >= p.as_of - p.change_days
  GROUP BY c.trader_id
),
r AS (
  SELECT r.trader_id, count(*) AS n, max(r.level) AS level, string_agg(NULLIF(array_to_string(r.cases, ','), ''), ',') AS cases,
    (array_agg(r.ref ORDER BY r.reported_on DESC, r.ref))[1:5] AS refs
  FROM risk_intel r CROSS JOIN prm p
  WHERE r.trader_id BETWEEN $1 AND $2 AND r.reported_on < p.as_of AND r.reported_on >= p.as_of - p.recent_days
  GROUP BY r.trader_id
),
l AS (
  SELECT x.trader_id, count(DISTINCT x.ref) AS n, max(x.level) AS level, string_agg(NULLIF(array_to_string(x.cases, ','), ''), ',') AS cases,
    (array_agg(DISTINCT x.kind || ' ' || x.value || ' → ' || x.ref))[1:5] AS refs
  FROM (
    SELECT tp.trader_id, tp.kind, tp.value, w.ref, w.level, w.cases
    FROM risk_trader_parties tp
    JOIN risk_watch w ON w.kind = tp.kind AND w.value = tp.value AND (w.trader_id IS NULL OR w.trader_id <> tp.trader_id)
    WHERE tp.trader_id BETWEEN $1 AND $2
  ) x
  GROUP BY x.trader_id
),
a AS (
  SELECT rt.address_norm, count(*) AS n FROM risk_traders rt
  WHERE rt.address_norm IN (SELECT address_norm FROM t WHERE address_norm IS NOT NULL)
  GROUP BY rt.address_norm
)
SELECT t.trader_id::float8 AS trader_id,
  (p.as_of - t.registered_on) AS age_days,
  COALESCE(c.names, 0)::int AS name_changes, COALESCE(c.addresses, 0)::int AS address_changes, COALESCE(c.directors, 0)::int AS director_changes,
  COALESCE(o.n, 0)::int AS offences, COALESCE(o.recent, 0)::int AS recent_offences, o.level AS offence_level, o.cases AS offence_cases, o.refs AS offence_refs,
  COALESCE(i.seizures, 0)::int AS seizures, COALESCE(i.n, 0)::int AS inspections,
  (COALESCE(i.findings, 0) + p.m * p.pop_rate) / (COALESCE(i.n, 0) + p.m) AS non_compliance,
  COALESCE(s.n_window, 0)::int AS shipments,
  COALESCE(s.n_hr::float8 / NULLIF(s.n_window, 0), 0) AS high_risk_share,
  COALESCE(s.n_origin::float8 / NULLIF(s.n_window, 0), 0) AS origin_risk_share,
  COALESCE(s.n_route::float8 / NULLIF(s.n_window, 0), 0) AS route_risk_share,
  COALESCE(s.n_outlier::float8 / NULLIF(s.n_window, 0), 0) AS outlier_share,
  COALESCE((s.n_recent::float8 / p.spike_days) / ((s.n_prior + 1)::float8 / 365), 0) AS volume_spike,
  COALESCE(s.n_recent >= p.active_min AND s.n_dormant = 0 AND s.n_earlier > 0, false) AS dormant_then_active,
  COALESCE(s.n_offline::float8 / NULLIF(s.n_window, 0), 0) AS offline_share,
  COALESCE(r.n, 0)::int AS intel_reports, r.level AS intel_level, r.cases AS intel_cases, r.refs AS intel_refs,
  COALESCE(l.n, 0)::int AS investigation_links, l.level AS link_level, l.cases AS link_cases, l.refs AS link_refs,
  COALESCE(a.n, 1)::int AS traders_at_address,
  t.aeo
FROM t CROSS JOIN prm p
LEFT JOIN s ON s.trader_id = t.trader_id
LEFT JOIN i ON i.trader_id = t.trader_id
LEFT JOIN o ON o.trader_id = t.trader_id
LEFT JOIN c ON c.trader_id = t.trader_id
LEFT JOIN r ON r.trader_id = t.trader_id
LEFT JOIN l ON l.trader_id = t.trader_id
LEFT JOIN a ON a.address_norm = t.address_norm
ORDER BY t.trader_id`;

export interface FeatureRow {
  trader_id: number;
  age_days: number | null;
  name_changes: number;
  address_changes: number;
  director_changes: number;
  offences: number;
  recent_offences: number;
  offence_level: number | null;
  offence_cases: string | null;
  offence_refs: string[] | null;
  seizures: number;
  inspections: number;
  non_compliance: number;
  shipments: number;
  high_risk_share: number;
  origin_risk_share: number;
  route_risk_share: number;
  outlier_share: number;
  volume_spike: number;
  dormant_then_active: boolean;
  offline_share: number;
  intel_reports: number;
  intel_level: number | null;
  intel_cases: string | null;
  intel_refs: string[] | null;
  investigation_links: number;
  link_level: number | null;
  link_cases: string | null;
  link_refs: string[] | null;
  traders_at_address: number;
  aeo: boolean;
}

const round = (x: number, digits = 4): number => Math.round(x * 10 ** digits) / 10 ** digits;

function label(level: number | null, cases: string | null): Label {
  return { level: Number(level ?? 0), cases: cases ? [...new Set(cases.split(','))].sort() : [] };
}

/** A row of FEATURE_SQL as the scorer's input. Ratios are rounded so equal data give equal reasons. */
export function featuresFromRow(row: FeatureRow): TraderFeatures {
  const values: FeatureValues = {
    ageDays: row.age_days === null ? null : Number(row.age_days),
    nameChanges: row.name_changes,
    addressChanges: row.address_changes,
    directorChanges: row.director_changes,
    offences: row.offences,
    recentOffences: row.recent_offences,
    seizures: row.seizures,
    inspections: row.inspections,
    nonCompliance: round(Number(row.non_compliance)),
    shipments: row.shipments,
    highRiskShare: round(row.high_risk_share),
    originRiskShare: round(row.origin_risk_share),
    routeRiskShare: round(row.route_risk_share),
    unitValueOutlierShare: round(row.outlier_share),
    volumeSpike: round(row.volume_spike, 2),
    dormantThenActive: row.dormant_then_active,
    offLineShare: round(row.offline_share),
    intelReports: row.intel_reports,
    investigationLinks: row.investigation_links,
    tradersAtAddress: row.traders_at_address,
    aeo: row.aeo,
  };
  const labels: TraderFeatures['labels'] = {};
  const evidence: TraderFeatures['evidence'] = {};
  if (row.offences > 0) {
    labels.offences = labels.recentOffences = label(row.offence_level, row.offence_cases);
    evidence.offences = evidence.recentOffences = row.offence_refs ?? [];
  }
  if (row.intel_reports > 0) {
    labels.intelReports = label(row.intel_level, row.intel_cases);
    evidence.intelReports = row.intel_refs ?? [];
  }
  if (row.investigation_links > 0) {
    labels.investigationLinks = label(row.link_level, row.link_cases);
    evidence.investigationLinks = [...(row.link_refs ?? [])].sort();
  }
  return { traderId: Number(row.trader_id), values, labels, evidence };
}
