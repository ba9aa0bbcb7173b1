import { describe, expect, it } from 'vitest';
import { generateDemo, SHOWCASE, type DemoData, type TruthEntry } from '../../src/demo/generate.ts';
import { hkidCheck, isValidHkid } from '../../src/demo/hkid.ts';

const data = generateDemo({ traders: 2000 });
const truthByKey = new Map<string, TruthEntry>(data.truth.map((t) => [`${t.source}:${t.key}`, t]));
const truthOf = (source: string, key: string): TruthEntry => {
  const t = truthByKey.get(`${source}:${key}`);
  if (t === undefined) throw new Error(`no truth for ${source}:${key}`);
  return t;
};
const compact = (hkid: string): string => hkid.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** Every HKID any source wrote, with the truth person it belongs to. */
function writtenHkids(d: DemoData): { hkid: string; truthId: string }[] {
  const out: { hkid: string; truthId: string }[] = [];
  for (const p of d.itd.persons) if (p.hkid !== null) out.push({ hkid: p.hkid, truthId: truthOf('itd', `P${p.person_id}`).truthId });
  const entityTruth = new Map<number, string>();
  for (const r of d.cis.reports) entityTruth.set(r.entity_id, truthOf('cis', `R${r.report_id}`).truthId);
  for (const e of d.cis.entities) {
    const truthId = entityTruth.get(e.entity_id);
    if (e.hkid !== null && truthId !== undefined) out.push({ hkid: e.hkid, truthId });
  }
  for (const c of d.rocars.consignments) {
    if (c.driver.hkid !== null) out.push({ hkid: c.driver.hkid, truthId: truthOf('rocars', `${c.consignmentNo}:driver`).truthId });
  }
  return out;
}

describe('generateDemo', () => {
  it('is deterministic for a seed and varies with it', () => {
    const a = JSON.stringify(generateDemo({ traders: 300, seed: 7 }));
    expect(JSON.stringify(generateDemo({ traders: 300, seed: 7 }))).toBe(a);
    expect(JSON.stringify(generateDemo({ traders: 300, seed: 8 }))).not.toBe(a);
    expect(JSON.stringify(generateDemo({ traders: 300 }))).toBe(JSON.stringify(generateDemo({ traders: 300, seed: 2016 })));
  });

  it('contains the showcase in ITD exactly as specified', () => {
    const chan = data.itd.persons.find((p) => p.person_id === SHOWCASE.person.personId);
    expect(chan).toMatchObject({ name_en: 'CHAN Tai-man', name_zh: '陳大文', hkid: 'A123456(3)', dob: '1975-03-14' });
    expect(data.itd.persons.filter((p) => p.hkid !== null && compact(p.hkid) === 'A1234563')).toHaveLength(1);
    const trader = data.itd.traders.find((t) => t.trader_id === SHOWCASE.company.traderId);
    expect(trader).toMatchObject({ name_en: 'Tai Man Trading Company Limited', name_zh: '大文貿易有限公司', trader_type: 'company' });
    expect(trader?.br_no?.slice(0, 8)).toBe('12345678');
    expect(data.itd.traderRoles).toContainEqual({ trader_id: 1, person_id: 1, role: 'director' });
    expect(data.itd.vehicles.find((v) => v.vehicle_id === 1)).toMatchObject({ trader_id: 1, mark: 'AB 1234' });
    expect(truthOf('itd', 'P1').truthId).toBe(SHOWCASE.person.truthId);
    expect(truthOf('itd', 'T1').truthId).toBe(SHOWCASE.company.truthId);
    expect(truthOf('itd', 'V1').truthId).toBe(SHOWCASE.vehicle.truthId);
  });

  it('has a second, different CHAN Tai Man in ITD', () => {
    const namesakes = data.itd.persons.filter((p) => p.name_zh === '陳大文' || p.name_en?.toUpperCase().replace(/[^A-Z]/g, '') === 'CHANTAIMAN');
    expect(namesakes.map((p) => p.person_id).sort()).toEqual([1, 2]);
    const other = namesakes.find((p) => p.person_id === 2);
    expect(other?.name_en).toBe('CHAN Tai Man');
    expect(other?.dob).not.toBe(SHOWCASE.person.dob);
    expect(other?.hkid !== null && other?.hkid !== undefined && isValidHkid(other.hkid) && compact(other.hkid) !== 'A1234563').toBe(true);
    expect(truthOf('itd', 'P2').truthId).toBe(SHOWCASE.namesake.truthId);
  });

  it('contains the showcase in CIS exactly as specified', () => {
    expect(data.cis.entities.find((e) => e.entity_id === 1)).toMatchObject({
      entity_type: 'person',
      name_en: 'Chan Taiman',
      name_zh: '陳大文',
      hkid: 'a1234563',
      dob: '1975-03-14',
    });
    const reports = data.cis.reports.filter((r) => r.entity_id === 1);
    expect(reports).toHaveLength(2);
    expect(reports.find((r) => r.kind === 'intelligence')).toMatchObject({ security_level: 1, case_no: null });
    expect(reports.find((r) => r.kind === 'investigation')).toMatchObject({
      security_level: 2,
      case_no: 'CASE-2026-0042',
      informant: 'Source K-17',
      status: 'under investigation',
    });
    for (const r of reports) expect(truthOf('cis', `R${r.report_id}`).truthId).toBe(SHOWCASE.person.truthId);
    expect(data.cis.reports.filter((r) => r.case_no === SHOWCASE.caseNo)).toHaveLength(1);
  });

  it('contains the showcase in ROCARS exactly as specified', () => {
    const mine = data.rocars.consignments.filter((c) => c.vehicleMark === 'AB 1234');
    expect(mine.length).toBeGreaterThanOrEqual(1);
    for (const c of mine) {
      expect(c.driver).toMatchObject({ name: 'CHAN TAI MAN', hkid: 'A1234563' });
      expect(c.shipper).toEqual({ name: 'TAI MAN TRADING COMPANY LIMITED', br: '12345678' });
      expect(truthOf('rocars', `${c.consignmentNo}:driver`).truthId).toBe(SHOWCASE.person.truthId);
      expect(truthOf('rocars', `${c.consignmentNo}:vehicle`).truthId).toBe(SHOWCASE.vehicle.truthId);
      expect(truthOf('rocars', `${c.consignmentNo}:shipper`).truthId).toBe(SHOWCASE.company.truthId);
    }
    // Nobody else drives AB 1234 or writes Chan's HKID.
    const chanDriven = data.rocars.consignments.filter((c) => c.driver.hkid !== null && compact(c.driver.hkid) === 'A1234563');
    expect(chanDriven).toEqual(mine);
  });

  it('keeps the showcase in a minimal estate', () => {
    const tiny = generateDemo({ traders: 0 });
    expect(tiny.itd.persons[0]?.hkid).toBe('A123456(3)');
    expect(tiny.rocars.consignments.some((c) => c.vehicleMark === 'AB 1234')).toBe(true);
    expect(tiny.cis.reports.some((r) => r.case_no === 'CASE-2026-0042')).toBe(true);
  });

  it('computes HKID check characters as HK-IDENTIFIERS.md specifies', () => {
    expect(hkidCheck('A123456')).toBe('3');
    expect(hkidCheck('CA182361')).toBe('1');
    expect(isValidHkid('A123456(3)')).toBe(true);
    expect(isValidHkid('a1234563')).toBe(true);
    expect(isValidHkid('CA182361(1)')).toBe(true);
    expect(isValidHkid('C876300(0)')).toBe(false);
  });

  it('writes each real HKID validly and mistypes only the check character', () => {
    const byTruth = new Map<string, Set<string>>();
    for (const { hkid, truthId } of writtenHkids(data)) {
      const set = byTruth.get(truthId) ?? new Set<string>();
      set.add(compact(hkid));
      byTruth.set(truthId, set);
    }
    let valid = 0;
    let mistyped = 0;
    const owners = new Map<string, string>();
    for (const [truthId, forms] of byTruth) {
      const validForms = [...forms].filter(isValidHkid);
      expect(validForms.length).toBeLessThanOrEqual(1);
      expect(new Set([...forms].map((f) => f.slice(0, -1))).size).toBe(1);
      for (const f of forms) isValidHkid(f) ? valid++ : mistyped++;
      const real = validForms[0];
      if (real !== undefined) {
        expect(owners.get(real), `${real} shared by two people`).toBeUndefined();
        owners.set(real, truthId);
        expect(real).toMatch(/^[A-Z]{1,2}[0-9]{6}[0-9A]$/);
      }
    }
    expect(mistyped).toBeGreaterThan(0);
    expect(mistyped / (valid + mistyped)).toBeLessThan(0.05);
  });

  it('gives every source row exactly one truth entry, under the key its connector produces', () => {
    const keys = data.truth.map((t) => `${t.source}:${t.key}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(data.truth.length).toBe(
      data.itd.persons.length + data.itd.traders.length + data.itd.vehicles.length + data.cis.reports.length + 4 * data.rocars.consignments.length,
    );
    for (const p of data.itd.persons) expect(truthByKey.get(`itd:P${p.person_id}`)?.type).toBe('person');
    for (const t of data.itd.traders) expect(truthByKey.get(`itd:T${t.trader_id}`)?.type).toBe('company');
    const entityType = new Map(data.cis.entities.map((e) => [e.entity_id, e.entity_type]));
    for (const r of data.cis.reports) expect(truthByKey.get(`cis:R${r.report_id}`)?.type).toBe(entityType.get(r.entity_id));
  });

  it('produces Hong Kong-shaped identifiers, names and addresses', () => {
    for (const v of data.itd.vehicles) expect(v.mark).toMatch(/^[A-HJ-NPR-Z]{2} ?[1-9][0-9]{0,3}$/);
    for (const c of data.rocars.consignments) expect(c.vehicleMark).toMatch(/^[A-HJ-NPR-Z]{2} ?[1-9][0-9]{0,3}$/);
    const phones = [...data.itd.persons.map((p) => p.phone), ...data.itd.traders.map((t) => t.phone)].filter((p) => p !== null);
    for (const phone of phones) expect(phone.replace(/^(\+852|\(852\))/, '').replace(/\D/g, '')).toMatch(/^[23569][0-9]{7}$/);
    for (const t of data.itd.traders) if (t.br_no !== null) expect(t.br_no).toMatch(/^[0-9]{8}(-000-[0-9]{2}-[0-9]{2}-[0-9])?$/);
    expect(data.itd.persons.some((p) => p.address?.includes('/F, ') === true)).toBe(true);
    // One truth person has one Chinese name everywhere.
    const zhByTruth = new Map<string, string>();
    for (const p of data.itd.persons) {
      if (p.name_zh === null) continue;
      const truthId = truthOf('itd', `P${p.person_id}`).truthId;
      expect(zhByTruth.get(truthId) ?? p.name_zh).toBe(p.name_zh);
      zhByTruth.set(truthId, p.name_zh);
    }
  });

  it('has the mess real systems have', () => {
    const names = data.itd.persons.map((p) => p.name_en ?? '');
    expect(names.some((n) => /^[A-Z]+ [A-Z][a-z]+-[a-z]+$/.test(n))).toBe(true); // CHAN Tai-man
    expect(data.itd.persons.some((p) => p.name_en === null && p.name_zh !== null)).toBe(true); // Chinese only
    expect(data.cis.entities.some((e) => e.name_en !== null && /^[A-Z][a-z]+ [A-Z][a-z]+$/.test(e.name_en))).toBe(true); // Chan Taiman
    expect(data.itd.persons.some((p) => p.hkid === null)).toBe(true);
    expect(data.itd.traders.some((t) => t.br_no === null)).toBe(true);
    expect(data.itd.traders.some((t) => t.br_no?.includes('-') === true)).toBe(true);
    expect(data.itd.traders.some((t) => t.name_en?.endsWith('Co. Ltd.') === true)).toBe(true);
    expect(data.itd.traders.some((t) => t.name_en !== null && t.name_en === t.name_en.toUpperCase())).toBe(true);
    // Duplicate ITD person rows for one real person.
    const itdPersonsPerTruth = new Map<string, number>();
    for (const p of data.itd.persons) {
      const id = truthOf('itd', `P${p.person_id}`).truthId;
      itdPersonsPerTruth.set(id, (itdPersonsPerTruth.get(id) ?? 0) + 1);
    }
    expect([...itdPersonsPerTruth.values()].some((n) => n > 1)).toBe(true);
    // Many traders at one registered office.
    const perAddress = new Map<string, number>();
    for (const t of data.itd.traders) if (t.address !== null) perAddress.set(t.address, (perAddress.get(t.address) ?? 0) + 1);
    expect(Math.max(...perAddress.values())).toBeGreaterThanOrEqual(5);
  });

  it('has the proportions the brief asks for', () => {
    const traders = 2000;
    expect(data.itd.traderRoles.length / traders).toBeGreaterThan(1.3);
    expect(data.itd.traderRoles.length / traders).toBeLessThan(1.8);
    expect(data.itd.vehicles.length / traders).toBeGreaterThan(0.2);
    expect(data.itd.vehicles.length / traders).toBeLessThan(0.45);
    expect(data.rocars.consignments.length / traders).toBeGreaterThan(4);
    expect(data.rocars.consignments.length / traders).toBeLessThan(6);
    const subjects = new Set(data.truth.map((t) => t.truthId)).size;
    const withReports = new Set(data.truth.filter((t) => t.source === 'cis').map((t) => t.truthId)).size;
    expect(withReports / subjects).toBeGreaterThan(0.05);
    expect(withReports / subjects).toBeLessThan(0.15);
    for (const r of data.cis.reports) {
      if (r.kind === 'investigation') {
        expect(r.case_no).toMatch(/^CASE-20[0-9]{2}-[0-9]{4}$/);
        expect(r.security_level).toBeGreaterThanOrEqual(2);
      } else {
        expect(r.security_level).toBeLessThanOrEqual(2);
      }
    }
  });
});
