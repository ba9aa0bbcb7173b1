// Risk-engine inputs for the demo, with a planted truth. Every trader gets a hidden propensity to
// offend; the irregularities of its shipments, the outcomes of inspections, its offences and its
// register changes are drawn from that propensity, so a ranking can be measured against the truth.
//
//   deriveRiskEstate(demo)  — from the demo estate (ITD traders, ROCARS consignments, CIS reports):
//                             traders, parties and CIS labels as they are; what ITD/ROCARS do not hold
//                             (quantities, inspections, offences, register changes) is drawn here.
//   syntheticRiskBatches()  — the same model without the demo estate, streamed in batches, for the
//                             400,000-trader bench.
//
// The planted model (both paths):
//   propensity p: 85 % clean (0.01–0.04), 12 % careless (0.08–0.20), 3 % offenders (0.35–0.70);
//                 a trader under investigation in CIS is at least careless.
//   each shipment is irregular with probability 0.6·p: under-valued (unit value ×0.15–0.3), goods
//                 outside its line of business (a high-risk chapter), or over a risky route;
//   inspections: 4 % of shipments, drawn at random (unbiased); an irregular shipment is found out with
//                 probability 0.8, a regular one with probability 0.1·p; 35 % of findings are seizures;
//   offences:     Poisson(3·p) over the five years before today;
//   register:     a director change in the last year with probability 0.05 + p, a name change 0.02 + p/2;
//                 a registration in the last year with probability p/2 (synthetic path only);
//   shell:        offenders register at a shared address with probability 0.3 (synthetic path only).
import { createRng, type Rng } from './random.ts';
import { DEMO_TODAY, type DemoData } from './generate.ts';
import { GOODS, CROSSINGS, MAINLAND_CITIES } from './vocab.ts';
import type { RiskEstate, RiskInspection, RiskShipment, RiskTrader } from '../risk/load.ts';
import { normAddress, normBr, normHkid, normMark, normPhone } from '../risk/load.ts';

export interface RiskDemoOptions {
  seed?: number;
}

export interface PlantedTruth {
  /** trader id → hidden propensity to offend. */
  propensity: Map<number, number>;
}

const DAY_MS = 86_400_000;
const TODAY_MS = Date.parse(`${DEMO_TODAY}T00:00:00Z`);
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const daysAgo = (n: number): string => isoDay(TODAY_MS - n * DAY_MS);
/** Data dated before this count: the day after the demo's "today". */
export const RISK_DEMO_AS_OF = isoDay(TODAY_MS + DAY_MS);

const HIGH_RISK_GOODS = GOODS.filter((g) => ['24', '22', '30', '85', '71', '91'].includes(g.hsCode.slice(0, 2)));
/** The route the planted irregular shipments favour (the default rule set lists no risky route: a new rule set can). */
export const PLANTED_ROUTE = 'Man Kam To';

export function drawPropensity(rng: Rng): number {
  const r = rng.next();
  if (r < 0.03) return 0.35 + rng.next() * 0.35;
  if (r < 0.15) return 0.08 + rng.next() * 0.12;
  return 0.01 + rng.next() * 0.03;
}

/** A fixed typical unit price per HS code (HKD per unit), so unit values have a band. */
export function unitPrice(hsCode: string): number {
  let h = 2166136261;
  for (const c of hsCode) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return 50 + ((h >>> 0) % 5000);
}

interface ShipmentDraft {
  ref: string;
  shippedOn: string;
  hsCode: string;
  valueHkd: number;
  origin: string | null;
  route: string | null;
}

/** Plants irregularities into a trader's shipments and draws the inspections of them. */
function plantShipments(rng: Rng, traderId: number, p: number, drafts: ShipmentDraft[], out: { shipments: RiskShipment[]; inspections: RiskInspection[] }): void {
  for (const d of drafts) {
    let { hsCode, valueHkd, route } = d;
    const price = unitPrice(hsCode);
    let quantity = Math.max(1, Math.round(valueHkd / (price * (0.75 + rng.next() * 0.5))));
    let irregular = false;
    if (rng.chance(0.6 * p)) {
      irregular = true;
      const kind = rng.int(3);
      if (kind === 0) valueHkd = Math.round(valueHkd * (0.15 + rng.next() * 0.15));
      else if (kind === 1) {
        const g = rng.pick(HIGH_RISK_GOODS);
        hsCode = g.hsCode;
        valueHkd = Math.round(g.min + rng.next() * (g.max - g.min) * 0.3);
        quantity = Math.max(1, Math.round(valueHkd / (unitPrice(hsCode) * (0.75 + rng.next() * 0.5))));
      } else route = PLANTED_ROUTE;
    }
    out.shipments.push({ traderId, ref: d.ref, shippedOn: d.shippedOn, hsCode, quantity, valueHkd, origin: d.origin, route });
    if (rng.chance(0.04)) {
      const found = rng.chance(irregular ? 0.8 : 0.1 * p);
      out.inspections.push({
        traderId,
        shipmentRef: d.ref,
        inspectedOn: d.shippedOn,
        result: found ? (rng.chance(0.35) ? 'seizure' : 'irregularity') : 'clear',
      });
    }
  }
}

function poisson(rng: Rng, mean: number): number {
  const l = Math.exp(-mean);
  let k = 0;
  let prod = rng.next();
  while (prod > l) {
    k++;
    prod *= rng.next();
  }
  return k;
}

/** Offences and register changes drawn from the propensity. */
function plantHistory(rng: Rng, traderId: number, p: number, estate: Pick<RiskEstate, 'offences' | 'changes'>): void {
  const offences = poisson(rng, 3 * p);
  for (let i = 0; i < offences; i++) {
    estate.offences.push({
      traderId,
      ref: `OFF-${traderId}-${i + 1}`,
      committedOn: daysAgo(1 + rng.int(5 * 365)),
      kind: rng.pick(['false trade description', 'undeclared goods', 'under-declared value', 'unmanifested cargo']),
      level: 0,
      cases: [],
    });
  }
  if (rng.chance(Math.min(0.9, 0.05 + p))) estate.changes.push({ traderId, kind: 'director', changedOn: daysAgo(1 + rng.int(365)) });
  if (rng.chance(Math.min(0.9, 0.02 + p / 2))) estate.changes.push({ traderId, kind: 'name', changedOn: daysAgo(1 + rng.int(365)) });
  if (rng.chance(0.03)) estate.changes.push({ traderId, kind: 'address', changedOn: daysAgo(1 + rng.int(365)) });
}

const emptyEstate = (): RiskEstate => ({ traders: [], parties: [], changes: [], watch: [], shipments: [], inspections: [], offences: [], intel: [] });

/** The demo estate's traders, with planted outcomes. */
export function deriveRiskEstate(demo: DemoData, opts: RiskDemoOptions = {}): { estate: RiskEstate; asOf: string; truth: PlantedTruth } {
  const rng = createRng((opts.seed ?? 2016) ^ 0x5eed);
  const estate = emptyEstate();
  const propensity = new Map<number, number>();
  const byBr = new Map<string, number>();

  // Subjects under investigation in CIS, with the labels of the report.
  const entityById = new Map(demo.cis.entities.map((e) => [e.entity_id, e]));
  const investigated = new Map<number, { ref: string; level: number; cases: string[] }>();
  for (const r of demo.cis.reports) {
    if (r.kind !== 'investigation' || r.status === 'closed') continue;
    const prev = investigated.get(r.entity_id);
    if (!prev || r.security_level > prev.level) investigated.set(r.entity_id, { ref: `cis:R${r.report_id}`, level: r.security_level, cases: r.case_no ? [r.case_no] : [] });
  }
  const investigatedBrs = new Set<string>();
  for (const [id] of investigated) {
    const br = normBr(entityById.get(id)?.br_no);
    if (br) investigatedBrs.add(br);
  }

  for (const t of demo.itd.traders) {
    const br = normBr(t.br_no);
    let p = drawPropensity(rng);
    if (br && investigatedBrs.has(br)) p = Math.max(p, 0.08 + rng.next() * 0.3);
    propensity.set(t.trader_id, p);
    if (br && !byBr.has(br)) byBr.set(br, t.trader_id);
    const trader: RiskTrader = {
      traderId: t.trader_id,
      traderKey: `itd:T${t.trader_id}`,
      br,
      name: t.name_en ?? t.name_zh,
      traderType: t.trader_type,
      registeredOn: t.registered_on,
      addressNorm: normAddress(t.address),
      aeo: t.aeo,
      businessChapters: [],
    };
    estate.traders.push(trader);
    if (trader.addressNorm) estate.parties.push({ traderId: t.trader_id, kind: 'address', value: trader.addressNorm });
    const phone = normPhone(t.phone);
    if (phone) estate.parties.push({ traderId: t.trader_id, kind: 'phone', value: phone });
    plantHistory(rng, t.trader_id, p, estate);
  }
  const personHkid = new Map(demo.itd.persons.map((p) => [p.person_id, normHkid(p.hkid) ?? `itd:P${p.person_id}`]));
  const seen = new Set<string>();
  const party = (traderId: number, kind: 'director' | 'vehicle', value: string) => {
    const k = `${traderId}|${kind}|${value}`;
    if (seen.has(k)) return;
    seen.add(k);
    estate.parties.push({ traderId, kind, value });
  };
  for (const r of demo.itd.traderRoles) party(r.trader_id, 'director', personHkid.get(r.person_id) as string);
  for (const v of demo.itd.vehicles) {
    const mark = normMark(v.mark);
    if (v.trader_id !== null && mark) party(v.trader_id, 'vehicle', mark);
  }

  // Watch list: parties of subjects under investigation.
  const partiesOf = new Map<number, { kind: 'director' | 'address' | 'phone' | 'vehicle'; value: string }[]>();
  for (const pt of estate.parties) {
    const list = partiesOf.get(pt.traderId) ?? [];
    list.push({ kind: pt.kind, value: pt.value });
    partiesOf.set(pt.traderId, list);
  }
  for (const [entityId, label] of investigated) {
    const e = entityById.get(entityId);
    if (!e) continue;
    if (e.entity_type === 'person') {
      const hkid = normHkid(e.hkid);
      if (hkid) estate.watch.push({ kind: 'director', value: hkid, traderId: null, ...label });
    } else if (e.entity_type === 'vehicle') {
      const mark = normMark(e.vehicle_mark);
      if (mark) estate.watch.push({ kind: 'vehicle', value: mark, traderId: null, ...label });
    } else {
      const traderId = byBr.get(normBr(e.br_no) ?? '');
      if (traderId === undefined) continue;
      for (const pt of partiesOf.get(traderId) ?? []) estate.watch.push({ kind: pt.kind, value: pt.value, traderId, ...label });
    }
  }
  // Intelligence about the trader itself.
  for (const r of demo.cis.reports) {
    const e = entityById.get(r.entity_id);
    if (e?.entity_type !== 'company') continue;
    const traderId = byBr.get(normBr(e.br_no) ?? '');
    if (traderId === undefined) continue;
    estate.intel.push({ traderId, ref: `cis:R${r.report_id}`, kind: r.kind, reportedOn: r.reported_at.slice(0, 10), level: r.security_level, cases: r.case_no ? [r.case_no] : [] });
  }

  // Shipments: the consignments each trader shipped or received, with planted irregularities.
  const drafts = new Map<number, ShipmentDraft[]>();
  for (const c of demo.rocars.consignments) {
    for (const [side, partyBr] of [['S', c.shipper.br], ['C', c.consignee.br]] as const) {
      const traderId = byBr.get(normBr(partyBr) ?? '');
      if (traderId === undefined) continue;
      const list = drafts.get(traderId) ?? [];
      list.push({ ref: `${c.consignmentNo}:${side}`, shippedOn: c.date, hsCode: c.hsCode, valueHkd: c.valueHkd, origin: c.origin, route: rng.pick(CROSSINGS) });
      drafts.set(traderId, list);
    }
  }
  const chapters = new Map<number, number[]>();
  for (const [traderId, list] of drafts) {
    // The declared line of business: the chapters the trader ships before any planted irregularity.
    chapters.set(traderId, [...new Set(list.map((d) => Number(d.hsCode.slice(0, 2))))].sort((a, b) => a - b));
    plantShipments(rng, traderId, propensity.get(traderId) ?? 0.02, list, estate);
  }
  for (const t of estate.traders) t.businessChapters = chapters.get(t.traderId) ?? [];
  return { estate, asOf: RISK_DEMO_AS_OF, truth: { propensity } };
}

// ---------------------------------------------------------------------------------------------------
// Synthetic estate for the bench: same planted model, any size, streamed.

export interface SyntheticOptions {
  traders: number;
  /** Mean shipments per trader (uniform 1 … 2·mean − 1). */
  shipmentsPerTrader: number;
  seed?: number;
  /** Traders per yielded batch. */
  batch?: number;
}

const SHARED_OFFICES = 200;

export function* syntheticRiskBatches(opts: SyntheticOptions): Generator<{ estate: RiskEstate; propensity: [number, number][] }> {
  const rng = createRng(opts.seed ?? 2016);
  const batch = opts.batch ?? 5_000;
  const offices = Array.from({ length: SHARED_OFFICES }, (_, i) => `SHARED OFFICE ${i + 1} CENTRAL`);
  let seq = 0;
  for (let start = 1; start <= opts.traders; start += batch) {
    const estate = emptyEstate();
    const propensity: [number, number][] = [];
    for (let traderId = start; traderId < Math.min(opts.traders + 1, start + batch); traderId++) {
      const p = drawPropensity(rng);
      propensity.push([traderId, p]);
      const goods = Array.from({ length: 1 + rng.int(3) }, () => rng.pick(GOODS));
      const young = rng.chance(p / 2);
      const address = p >= 0.35 && rng.chance(0.3) ? rng.pick(offices) : `FLAT ${1 + rng.int(40)} BLOCK ${traderId} INDUSTRIAL ESTATE`;
      estate.traders.push({
        traderId,
        traderKey: `syn:T${traderId}`,
        br: String(10_000_000 + traderId),
        name: `Trader ${traderId}`,
        traderType: 'company',
        registeredOn: young ? daysAgo(30 + rng.int(330)) : daysAgo(400 + rng.int(9000)),
        addressNorm: address,
        aeo: rng.chance(p < 0.05 ? 0.03 : 0.005),
        businessChapters: [...new Set(goods.map((g) => Number(g.hsCode.slice(0, 2))))].sort((a, b) => a - b),
      });
      estate.parties.push({ traderId, kind: 'address', value: address });
      // Directors: offenders draw from a small pool of repeat directors, some of them under investigation.
      const director = p >= 0.35 && rng.chance(0.5) ? `DIR-BAD-${rng.int(2000)}` : `DIR-${traderId}`;
      estate.parties.push({ traderId, kind: 'director', value: director });
      plantHistory(rng, traderId, p, estate);
      const n = 1 + rng.int(2 * opts.shipmentsPerTrader - 1);
      const dormant = p >= 0.35 && rng.chance(0.2);
      const drafts: ShipmentDraft[] = [];
      for (let i = 0; i < n; i++) {
        const g = rng.pick(goods);
        const day = dormant && i >= n / 2 ? rng.int(90) : dormant ? 300 + rng.int(430) : rng.int(730);
        drafts.push({
          ref: `S${++seq}`,
          shippedOn: daysAgo(day),
          hsCode: g.hsCode,
          valueHkd: Math.round(g.min + (g.max - g.min) * rng.next() ** 2),
          origin: rng.chance(0.5) ? 'Hong Kong' : rng.pick(MAINLAND_CITIES).place,
          route: rng.pick(CROSSINGS),
        });
      }
      plantShipments(rng, traderId, p, drafts, estate);
    }
    if (start === 1) {
      for (let i = 0; i < 2000; i += 4) estate.watch.push({ kind: 'director', value: `DIR-BAD-${i}`, ref: `cis:SYN${i}`, traderId: null, level: i % 8 === 0 ? 2 : 1, cases: [] });
    }
    yield { estate, propensity };
  }
}
