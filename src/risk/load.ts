// Loading the risk engine's inputs into the store: traders, parties, changes, watch entries, shipments,
// inspections, offences, intelligence. Rows go in as JSON batches (jsonb_to_recordset), so a batch is
// one parameter whatever its size. The demo estate is loaded through loadDemoRisk().
import type { DemoData } from '../demo/generate.ts';
import { deriveRiskEstate, type RiskDemoOptions } from '../demo/risk-data.ts';
import type { Db } from '../store/db.ts';
import { hsChapter } from './engine.ts';

type Query = Pick<Db, 'query'>;

export interface RiskTrader {
  traderId: number;
  traderKey: string;
  br: string | null;
  name: string | null;
  traderType: string | null;
  registeredOn: string | null;
  addressNorm: string | null;
  aeo: boolean;
  businessChapters: number[];
}
export interface RiskParty {
  traderId: number;
  kind: 'director' | 'address' | 'phone' | 'vehicle';
  value: string;
}
export interface RiskChange {
  traderId: number;
  kind: 'name' | 'address' | 'director';
  changedOn: string;
}
export interface RiskWatch {
  kind: RiskParty['kind'];
  value: string;
  ref: string;
  traderId: number | null;
  level: number;
  cases: string[];
}
export interface RiskShipment {
  traderId: number;
  ref: string;
  shippedOn: string;
  hsCode: string;
  quantity: number | null;
  valueHkd: number;
  origin: string | null;
  route: string | null;
}
export interface RiskInspection {
  traderId: number;
  shipmentRef: string | null;
  inspectedOn: string;
  result: 'clear' | 'irregularity' | 'seizure';
}
export interface RiskOffence {
  traderId: number;
  ref: string;
  committedOn: string;
  kind: string;
  level: number;
  cases: string[];
}
export interface RiskIntel {
  traderId: number;
  ref: string;
  kind: 'intelligence' | 'investigation';
  reportedOn: string;
  level: number;
  cases: string[];
}

export interface RiskEstate {
  traders: RiskTrader[];
  parties: RiskParty[];
  changes: RiskChange[];
  watch: RiskWatch[];
  shipments: RiskShipment[];
  inspections: RiskInspection[];
  offences: RiskOffence[];
  intel: RiskIntel[];
}

export type RiskTable = keyof RiskEstate;

const INSERTS: Record<RiskTable, string> = {
  traders: `INSERT INTO risk_traders (trader_id, trader_key, br, name, trader_type, registered_on, address_norm, aeo, business_chapters)
    SELECT "traderId", "traderKey", br, name, "traderType", "registeredOn", "addressNorm", aeo, ARRAY(SELECT jsonb_array_elements_text("businessChapters")::smallint)
    FROM jsonb_to_recordset($1::jsonb) AS x("traderId" bigint, "traderKey" text, br text, name text, "traderType" text, "registeredOn" date, "addressNorm" text, aeo boolean, "businessChapters" jsonb)
    ON CONFLICT (trader_id) DO UPDATE SET trader_key = EXCLUDED.trader_key, br = EXCLUDED.br, name = EXCLUDED.name, trader_type = EXCLUDED.trader_type,
      registered_on = EXCLUDED.registered_on, address_norm = EXCLUDED.address_norm, aeo = EXCLUDED.aeo, business_chapters = EXCLUDED.business_chapters, updated_at = now()`,
  parties: `INSERT INTO risk_trader_parties (trader_id, kind, value) SELECT "traderId", kind, value FROM jsonb_to_recordset($1::jsonb) AS x("traderId" bigint, kind text, value text) ON CONFLICT DO NOTHING`,
  changes: `INSERT INTO risk_trader_changes (trader_id, kind, changed_on) SELECT "traderId", kind, "changedOn" FROM jsonb_to_recordset($1::jsonb) AS x("traderId" bigint, kind text, "changedOn" date)`,
  watch: `INSERT INTO risk_watch (kind, value, ref, trader_id, level, cases) SELECT kind, value, ref, "traderId", level, ARRAY(SELECT jsonb_array_elements_text(cases))
    FROM jsonb_to_recordset($1::jsonb) AS x(kind text, value text, ref text, "traderId" bigint, level smallint, cases jsonb)`,
  shipments: `INSERT INTO risk_shipments (trader_id, ref, shipped_on, hs_code, hs_chapter, quantity, value_hkd, origin, route)
    SELECT "traderId", ref, "shippedOn", "hsCode", "hsChapter", quantity, "valueHkd", origin, route
    FROM jsonb_to_recordset($1::jsonb) AS x("traderId" bigint, ref text, "shippedOn" date, "hsCode" text, "hsChapter" smallint, quantity real, "valueHkd" real, origin text, route text)`,
  inspections: `INSERT INTO risk_inspections (trader_id, shipment_ref, inspected_on, result) SELECT "traderId", "shipmentRef", "inspectedOn", result
    FROM jsonb_to_recordset($1::jsonb) AS x("traderId" bigint, "shipmentRef" text, "inspectedOn" date, result text)`,
  offences: `INSERT INTO risk_offences (trader_id, ref, committed_on, kind, level, cases) SELECT "traderId", ref, "committedOn", kind, level, ARRAY(SELECT jsonb_array_elements_text(cases))
    FROM jsonb_to_recordset($1::jsonb) AS x("traderId" bigint, ref text, "committedOn" date, kind text, level smallint, cases jsonb)`,
  intel: `INSERT INTO risk_intel (trader_id, ref, kind, reported_on, level, cases) SELECT "traderId", ref, kind, "reportedOn", level, ARRAY(SELECT jsonb_array_elements_text(cases))
    FROM jsonb_to_recordset($1::jsonb) AS x("traderId" bigint, ref text, kind text, "reportedOn" date, level smallint, cases jsonb)`,
};

const BATCH = 10_000;

/** Inserts rows of one table, in batches. */
export async function loadRiskRows<T extends RiskTable>(db: Query, table: T, rows: readonly RiskEstate[T][number][]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    let batch: unknown[] = rows.slice(i, i + BATCH);
    if (table === 'shipments') batch = (batch as RiskShipment[]).map((s) => ({ ...s, hsChapter: hsChapter(s.hsCode) }));
    await db.query(INSERTS[table], [JSON.stringify(batch)]);
  }
}

export async function loadRiskEstate(db: Query, estate: Partial<RiskEstate>): Promise<Record<RiskTable, number>> {
  const counts = {} as Record<RiskTable, number>;
  for (const table of ['traders', 'parties', 'changes', 'watch', 'shipments', 'inspections', 'offences', 'intel'] as const) {
    const rows = estate[table] ?? [];
    await loadRiskRows(db, table, rows as never);
    counts[table] = rows.length;
  }
  await db.query('ANALYZE risk_traders, risk_shipments, risk_inspections, risk_offences, risk_trader_parties, risk_watch, risk_intel, risk_trader_changes');
  return counts;
}

/** Empties the inputs (not the rule sets, and not the ratings history unless `ratings`). */
export async function clearRiskInputs(db: Query, opts: { ratings?: boolean } = {}): Promise<void> {
  await db.query(
    `TRUNCATE risk_traders, risk_trader_parties, risk_trader_changes, risk_watch, risk_shipments, risk_inspections, risk_offences, risk_intel${
      opts.ratings ? ', risk_ratings, risk_current, risk_reviews, risk_runs' : ''
    }`,
  );
}

/**
 * Loads the demo estate into the risk store when it holds no traders yet, and pins the rating date to
 * the day after the estate's "today". Returns false when traders were already there.
 */
export async function loadDemoRisk(db: Query, demo: DemoData, opts: RiskDemoOptions = {}): Promise<boolean> {
  const n = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM risk_traders')).rows[0]?.n ?? 0;
  if (n > 0) return false;
  const { estate, asOf } = deriveRiskEstate(demo, opts);
  await loadRiskEstate(db, estate);
  await db.query(`INSERT INTO risk_settings (key, value) VALUES ('asOf', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, [JSON.stringify(asOf)]);
  return true;
}

// Normalisers shared by the loaders.
export const normAddress = (a: string | null | undefined): string | null => {
  if (!a) return null;
  const s = a.toUpperCase().replace(/[^A-Z0-9\u3400-\u9fff]+/g, ' ').trim().replace(/\s+/g, ' ');
  return s === '' ? null : s;
};
export const normPhone = (p: string | null | undefined): string | null => {
  const d = (p ?? '').replace(/\D/g, '');
  return d.length >= 8 ? d.slice(-8) : null;
};
export const normHkid = (h: string | null | undefined): string | null => {
  const s = (h ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '');
  return s.length >= 8 ? s : null;
};
export const normBr = (b: string | null | undefined): string | null => {
  const d = (b ?? '').replace(/\D/g, '');
  return d.length >= 8 ? d.slice(0, 8) : null;
};
export const normMark = (m: string | null | undefined): string | null => {
  const s = (m ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '');
  return s === '' ? null : s;
};
