import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeReference, traderFeatures } from '../../src/risk/engine.ts';
import type { Reference, TraderFeatures } from '../../src/risk/features.ts';
import type { RiskShipment } from '../../src/risk/load.ts';
import type { Db } from '../../src/store/db.ts';
import { AS_OF, load, PARAMS, riskDb, trader } from './support.ts';

// One crafted trader per feature (ids 1…), all rated as of 2026-01-01 with PARAMS: window 365 days,
// changes 365 days, recent offences 1095 days, spike 90 days, dormant 180 days, activeMin 3,
// smoothing 20, high-risk chapters 24 and 22, risky origin Narnia, risky route Back Road.
const ship = (traderId: number, daysBefore: number, over: Partial<RiskShipment> = {}): RiskShipment => ({
  traderId,
  ref: `S${traderId}-${daysBefore}-${Math.random().toString(36).slice(2, 6)}`,
  shippedOn: new Date(Date.parse(`${AS_OF}T00:00:00Z`) - daysBefore * 86_400_000).toISOString().slice(0, 10),
  hsCode: '8517.13',
  quantity: 10,
  valueHkd: 1000,
  origin: 'Hong Kong',
  route: 'Lok Ma Chau',
  ...over,
});

let db: Db;
let byId: Map<number, TraderFeatures>;
const REFERENCE: Reference = { asOf: AS_OF, populationRate: 0.1, bands: [{ hsCode: '9999.00', lo: 50, hi: 150 }] };

beforeAll(async () => {
  db = await riskDb();
  await load(db, {
    traders: [
      trader(1, { registeredOn: '2025-12-01' }),
      trader(2),
      trader(3),
      trader(4),
      trader(5),
      trader(6),
      trader(7),
      trader(8, { businessChapters: [85] }),
      trader(9),
      trader(10),
      trader(11, { addressNorm: 'SHELL STREET 1' }),
      trader(12, { addressNorm: 'SHELL STREET 1' }),
      trader(13, { addressNorm: 'SHELL STREET 1', aeo: true }),
      trader(14, { registeredOn: null }),
      trader(15),
    ],
    changes: [
      { traderId: 2, kind: 'name', changedOn: '2025-06-01' },
      { traderId: 2, kind: 'name', changedOn: '2025-12-31' },
      { traderId: 2, kind: 'name', changedOn: '2024-06-01' },
      { traderId: 2, kind: 'address', changedOn: '2025-03-01' },
      { traderId: 2, kind: 'director', changedOn: '2025-09-09' },
      { traderId: 2, kind: 'director', changedOn: '2026-02-01' },
    ],
    offences: [
      { traderId: 3, ref: 'O-1', committedOn: '2015-01-01', kind: 'undeclared goods', level: 0, cases: [] },
      { traderId: 3, ref: 'O-2', committedOn: '2020-05-05', kind: 'undeclared goods', level: 2, cases: ['C-2'] },
      { traderId: 3, ref: 'O-3', committedOn: '2024-05-05', kind: 'false description', level: 1, cases: ['C-1', 'C-2'] },
      { traderId: 3, ref: 'O-4', committedOn: '2026-03-03', kind: 'after the as-of date', level: 3, cases: ['C-9'] },
    ],
    inspections: [
      ...Array.from({ length: 10 }, (_, i) => ({ traderId: 4, shipmentRef: null, inspectedOn: '2025-05-01', result: (i === 0 ? 'seizure' : i === 1 ? 'irregularity' : 'clear') as 'clear' })),
      ...Array.from({ length: 10 }, () => ({ traderId: 5, shipmentRef: null, inspectedOn: '2025-05-01', result: 'clear' as const })),
      { traderId: 5, shipmentRef: null, inspectedOn: '2026-02-01', result: 'seizure' },
    ],
    shipments: [
      ship(6, 10, { hsCode: '2402.20' }),
      ship(6, 20, { hsCode: '2208.30', origin: 'Narnia' }),
      ship(6, 30, { route: 'Back Road' }),
      ship(6, 40),
      ship(6, 400, { hsCode: '2402.20', origin: 'Narnia', route: 'Back Road' }),
      ship(7, 5, { hsCode: '9999.00', quantity: 10, valueHkd: 100 }),
      ship(7, 6, { hsCode: '9999.00', quantity: 10, valueHkd: 1000 }),
      ship(7, 7, { hsCode: '9999.00', quantity: 10, valueHkd: 3000 }),
      ship(7, 8, { hsCode: '1111.00', quantity: 10, valueHkd: 1 }),
      ship(8, 1, { hsCode: '8517.13' }),
      ship(8, 2, { hsCode: '8542.31' }),
      ship(8, 3, { hsCode: '8528.72' }),
      ship(8, 4, { hsCode: '2402.20' }),
      ...Array.from({ length: 9 }, (_, i) => ship(9, 1 + i * 9)),
      ship(9, 600),
      ship(15, 5),
      ship(15, 100),
      ship(15, 200),
    ],
    intel: [
      { traderId: 10, ref: 'cis:R1', kind: 'intelligence', reportedOn: '2025-01-01', level: 1, cases: [] },
      { traderId: 10, ref: 'cis:R2', kind: 'investigation', reportedOn: '2024-01-01', level: 3, cases: ['CASE-7'] },
      { traderId: 10, ref: 'cis:R0', kind: 'intelligence', reportedOn: '2019-01-01', level: 0, cases: [] },
    ],
    parties: [
      { traderId: 11, kind: 'director', value: 'A1234563' },
      { traderId: 11, kind: 'phone', value: '91234567' },
      { traderId: 11, kind: 'address', value: 'SHELL STREET 1' },
      { traderId: 12, kind: 'phone', value: '91234567' },
    ],
    watch: [
      { kind: 'director', value: 'A1234563', ref: 'cis:R10', traderId: null, level: 2, cases: ['CASE-1'] },
      { kind: 'phone', value: '91234567', ref: 'cis:R11', traderId: 12, level: 1, cases: [] },
      { kind: 'address', value: 'SHELL STREET 1', ref: 'cis:R12', traderId: 11, level: 3, cases: [] },
    ],
  });
  byId = new Map((await traderFeatures(db, 1, 100, PARAMS, AS_OF, REFERENCE)).map((f) => [f.traderId, f]));
});

afterAll(() => db.close());

const f = (id: number) => byId.get(id) as TraderFeatures;

describe('trader features, each on crafted data', () => {
  it('ageDays: days since registration; unknown registration is null (never scored)', () => {
    expect(f(1).values.ageDays).toBe(31);
    expect(f(14).values.ageDays).toBeNull();
  });

  it('name, address and director changes count within changeDays and before the as-of date', () => {
    expect(f(2).values).toMatchObject({ nameChanges: 2, addressChanges: 1, directorChanges: 1 });
    expect(f(1).values).toMatchObject({ nameChanges: 0, addressChanges: 0, directorChanges: 0 });
  });

  it('offences: all time and recent, with the highest level and every case of the records behind them', () => {
    expect(f(3).values).toMatchObject({ offences: 3, recentOffences: 1 });
    expect(f(3).labels.offences).toEqual({ level: 2, cases: ['C-1', 'C-2'] });
    expect(f(3).evidence.offences).toEqual(['O-3', 'O-2', 'O-1']);
  });

  it('seizures and the smoothed non-compliance rate shrink toward the population rate', () => {
    // (findings + m·p) / (inspections + m), m = 20, p = 0.1
    expect(f(4).values).toMatchObject({ seizures: 1, inspections: 10, nonCompliance: Math.round(((2 + 2) / 30) * 1e4) / 1e4 });
    expect(f(5).values).toMatchObject({ seizures: 0, inspections: 10, nonCompliance: Math.round((2 / 30) * 1e4) / 1e4 });
    expect(f(1).values).toMatchObject({ inspections: 0, nonCompliance: 0.1 });
  });

  it('shares of window shipments in high-risk chapters, from risky origins, over risky routes', () => {
    expect(f(6).values).toMatchObject({ shipments: 4, highRiskShare: 0.5, originRiskShare: 0.25, routeRiskShare: 0.25 });
    expect(f(1).values).toMatchObject({ shipments: 0, highRiskShare: 0, originRiskShare: 0, routeRiskShare: 0 });
  });

  it('unit value outside the band of its HS code; codes without a band never count', () => {
    // unit values 10, 100, 300 against [50, 150]; the 1111.00 shipment has no band
    expect(f(7).values.unitValueOutlierShare).toBe(0.5);
  });

  it('goods outside the declared line of business; no declared line, no signal', () => {
    expect(f(8).values.offLineShare).toBe(0.25);
    expect(f(6).values.offLineShare).toBe(0);
  });

  it('volume spike and dormant-then-active', () => {
    // 9 shipments in 90 days after none in the year before: (9/90) / ((0+1)/365) = 36.5
    expect(f(9).values).toMatchObject({ volumeSpike: 36.5, dormantThenActive: true });
    // steady: one shipment in the last 90 days, two in the year before
    expect(f(15).values.dormantThenActive).toBe(false);
    expect(f(15).values.volumeSpike).toBe(Math.round(((1 / 90) / (3 / 365)) * 100) / 100);
  });

  it('intelligence reports within recentOffenceDays, with their labels', () => {
    expect(f(10).values.intelReports).toBe(2);
    expect(f(10).labels.intelReports).toEqual({ level: 3, cases: ['CASE-7'] });
  });

  it('links to subjects under investigation by shared director or phone; its own investigation is not a link', () => {
    expect(f(11).values.investigationLinks).toBe(2);
    expect(f(11).labels.investigationLinks).toEqual({ level: 2, cases: ['CASE-1'] });
    expect(f(11).evidence.investigationLinks).toEqual(['director A1234563 → cis:R10', 'phone 91234567 → cis:R11']);
    // trader 12 owns the watched phone itself
    expect(f(12).values.investigationLinks).toBe(0);
  });

  it('traders at one address (shell signal) and AEO status', () => {
    expect(f(11).values.tradersAtAddress).toBe(3);
    expect(f(1).values.tradersAtAddress).toBe(1);
    expect(f(13).values.aeo).toBe(true);
    expect(f(1).values.aeo).toBe(false);
  });

  it('reads only data dated before the as-of date', async () => {
    const earlier = new Map((await traderFeatures(db, 1, 100, PARAMS, '2025-01-01', REFERENCE)).map((x) => [x.traderId, x]));
    expect(earlier.get(4)?.values.inspections).toBe(0);
    expect(earlier.get(3)?.values).toMatchObject({ offences: 3, recentOffences: 1 });
    expect(earlier.get(1)?.values.ageDays).toBe(-334);
  });
});

describe('the population reference', () => {
  it('population rate and HS unit-value bands (quantiles), codes with too few shipments left out', async () => {
    const ref = await computeReference(db, { ...PARAMS, minBandSample: 4 }, AS_OF);
    // 2 findings in 20 inspections before the as-of date
    expect(ref.populationRate).toBe(0.1);
    const band = ref.bands.find((b) => b.hsCode === '8517.13');
    // unit values of 8517.13 in the window are all 100
    expect(band).toEqual({ hsCode: '8517.13', lo: 100, hi: 100 });
    expect(ref.bands.find((b) => b.hsCode === '1111.00')).toBeUndefined();
    const nine = ref.bands.find((b) => b.hsCode === '9999.00');
    expect(nine).toBeUndefined();
  });
});
