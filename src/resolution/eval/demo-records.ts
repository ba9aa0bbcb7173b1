// The demo estate's rows as the canonical records its connectors produce (config/sources.demo.yaml),
// every one of them — not just what one search returns — with the truth subject each is about, so
// matching quality can be measured on labelled data. Keys are the connectors' keys (P1, T1, V1, R1,
// RC…:driver), which are also the keys of DemoData.truth.

import type { Identifier, Name, RecordLink, SourceRecord, SubjectType } from '../../model/record.ts';
import type { DemoData } from '../../demo/generate.ts';

/** Trimmed text or undefined, as the connectors' mapping reads values. */
function text(v: unknown): string | undefined {
  if (v == null) return undefined;
  const t = String(v).trim();
  return t === '' ? undefined : t;
}

function names(...pairs: [unknown, Name['script'] | undefined][]): Name[] {
  const out: Name[] = [];
  for (const [v, script] of pairs) {
    const t = text(v);
    if (t !== undefined) out.push(script ? { value: t, script } : { value: t });
  }
  return out;
}

function ids(...pairs: [string, unknown][]): Identifier[] {
  const out: Identifier[] = [];
  for (const [scheme, v] of pairs) {
    const t = text(v);
    if (t !== undefined) out.push({ scheme, value: t });
  }
  return out;
}

function attrs(o: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) {
    const t = text(v);
    if (t !== undefined) out[k] = t;
  }
  return out;
}

function record(source: string, key: string, type: SubjectType, rest: Partial<SourceRecord>): SourceRecord {
  return { source, key, type, names: [], identifiers: [], attributes: {}, links: [], level: 0, cases: [], fields: {}, ...rest };
}

/** Every record of the estate, source by source. `withFields` keeps display fields (batch output). */
export function* demoRecords(data: DemoData, withFields = false): Generator<SourceRecord> {
  const traders = new Map(data.itd.traders.map((t) => [t.trader_id, t]));
  const persons = new Map(data.itd.persons.map((p) => [p.person_id, p]));
  const rolesOfPerson = new Map<number, RecordLink[]>();
  const peopleOfTrader = new Map<number, RecordLink[]>();
  for (const r of data.itd.traderRoles) {
    const t = traders.get(r.trader_id);
    const p = persons.get(r.person_id);
    if (t) {
      const link: RecordLink = { type: `${r.role}_of`, target: { type: 'company', identifiers: ids(['br', t.br_no]), ...(text(t.name_en) ? { name: text(t.name_en) as string } : {}) } };
      (rolesOfPerson.get(r.person_id) ?? rolesOfPerson.set(r.person_id, []).get(r.person_id))?.push(link);
    }
    if (p) {
      const name = text(p.name_en) ?? text(p.name_zh);
      const link: RecordLink = { type: `has_${r.role}`, target: { type: 'person', identifiers: ids(['hkid', p.hkid]), ...(name ? { name } : {}) } };
      (peopleOfTrader.get(r.trader_id) ?? peopleOfTrader.set(r.trader_id, []).get(r.trader_id))?.push(link);
    }
  }

  for (const p of data.itd.persons) {
    yield record('itd', `P${p.person_id}`, 'person', {
      names: names([p.name_en, 'latin'], [p.name_zh, 'han']),
      identifiers: ids(['hkid', p.hkid]),
      attributes: attrs({ dateOfBirth: p.dob, phone: p.phone, address: p.address }),
      links: rolesOfPerson.get(p.person_id) ?? [],
      observedAt: p.updated_at,
      fields: withFields ? { name_en: p.name_en, name_zh: p.name_zh, hkid: p.hkid, dob: p.dob, phone: p.phone, address: p.address } : {},
    });
  }
  for (const t of data.itd.traders) {
    yield record('itd', `T${t.trader_id}`, 'company', {
      names: names([t.name_en, 'latin'], [t.name_zh, 'han']),
      identifiers: ids(['br', t.br_no], ['cr', t.cr_no]),
      attributes: attrs({ phone: t.phone, address: t.address }),
      links: peopleOfTrader.get(t.trader_id) ?? [],
      observedAt: t.updated_at,
      fields: withFields ? { name_en: t.name_en, name_zh: t.name_zh, br_no: t.br_no, cr_no: t.cr_no, address: t.address, phone: t.phone } : {},
    });
  }
  for (const v of data.itd.vehicles) {
    const owner = v.trader_id !== null ? traders.get(v.trader_id) : undefined;
    yield record('itd', `V${v.vehicle_id}`, 'vehicle', {
      names: names([v.mark, undefined]),
      identifiers: ids(['vehicle_mark', v.mark]),
      links: owner ? [{ type: 'registered_to', target: { type: 'company', identifiers: ids(['br', owner.br_no]), ...(text(owner.name_en) ? { name: text(owner.name_en) as string } : {}) } }] : [],
      fields: withFields ? { mark: v.mark, make: v.make } : {},
    });
  }

  const entities = new Map(data.cis.entities.map((e) => [e.entity_id, e]));
  for (const r of data.cis.reports) {
    const e = entities.get(r.entity_id);
    if (!e) continue;
    yield record('cis', `R${r.report_id}`, e.entity_type, {
      names: names([e.name_en, 'latin'], [e.name_zh, 'han']),
      identifiers: ids(['hkid', e.hkid], ['br', e.br_no], ['vehicle_mark', e.vehicle_mark]),
      attributes: attrs({ dateOfBirth: e.dob, phone: e.phone, address: e.address }),
      level: r.security_level,
      cases: r.case_no ? [r.case_no] : [],
      observedAt: r.reported_at,
      fields: withFields ? { kind: r.kind, summary: r.summary, case_no: r.case_no, name_en: e.name_en, name_zh: e.name_zh } : {},
    });
  }

  for (const c of data.rocars.consignments) {
    const base = { observedAt: c.date };
    yield record('rocars', `${c.consignmentNo}:driver`, 'person', {
      ...base,
      names: names([c.driver.name, undefined]),
      identifiers: ids(['hkid', c.driver.hkid]),
      attributes: attrs({ phone: c.driver.phone }),
      links: [{ type: 'driver_of', target: { type: 'vehicle', identifiers: ids(['vehicle_mark', c.vehicleMark]), name: c.vehicleMark } }],
      fields: withFields ? { consignmentNo: c.consignmentNo, date: c.date, vehicleMark: c.vehicleMark } : {},
    });
    yield record('rocars', `${c.consignmentNo}:vehicle`, 'vehicle', {
      ...base,
      names: names([c.vehicleMark, undefined]),
      identifiers: ids(['vehicle_mark', c.vehicleMark]),
      fields: withFields ? { consignmentNo: c.consignmentNo, date: c.date, driver: c.driver.name } : {},
    });
    for (const [role, party] of [['shipper', c.shipper], ['consignee', c.consignee]] as const) {
      yield record('rocars', `${c.consignmentNo}:${role}`, 'company', {
        ...base,
        names: names([party.name, undefined]),
        identifiers: ids(['br', party.br]),
        links: [{ type: 'used_vehicle', target: { type: 'vehicle', identifiers: ids(['vehicle_mark', c.vehicleMark]), name: c.vehicleMark } }],
        fields: withFields ? { consignmentNo: c.consignmentNo, date: c.date, role } : {},
      });
    }
  }
}

/** `source:key` → truth subject id. */
export function truthIndex(data: DemoData): Map<string, string> {
  return new Map(data.truth.map((t) => [`${t.source}:${t.key}`, t.truthId]));
}
