// A harder demo estate for measuring matching quality: the generator's rows (generate.ts) post-processed
// with the mess entity resolution must survive — typos and transpositions in names, swapped name
// order, missing fields, Chinese-only vs English-only records, day/month swapped in dates of birth,
// shared registered-office addresses, and fathers and sons with one name at one address, born a
// generation apart. The truth is extended for every subject added, so quality stays measurable.
//
// One artefact of the generator is corrected, not added: it can give two Mainland companies exactly the
// same name (city + brand + trade drawn independently), which no registry allows and no data can tell
// apart (ROCARS holds nothing but the name for them). Such duplicates get a branch suffix here.

import type { CisEntity, DemoData, ItdPerson, RocarsDriver } from './generate.ts';
import { hkidCheck } from './hkid.ts';
import { createRng, type Rng } from './random.ts';

export interface HardOptions {
  seed: number;
  /** Share of romanised person names with a typo (default 0.08). */
  typo?: number;
  /** Share of romanised person names rewritten given-name first (default 0.1). */
  swapped?: number;
  /** Share of person records losing their English or their Chinese name (default 0.1). */
  oneScript?: number;
  /** Extra share of dates of birth, phones, addresses and HKIDs dropped (default 0.1). */
  missing?: number;
  /** Share of dates of birth with day and month swapped (default 0.02). */
  dateSlip?: number;
  /** Share of ITD companies moved to a registered-office address (default 0.1). */
  office?: number;
  /** Share of ITD persons given a son of the same name at the same address (default 0.05). */
  sons?: number;
}

export function makeHard(source: DemoData, options: HardOptions): DemoData {
  const data = structuredClone(source);
  const rng = createRng(options.seed ^ 0x5eed);
  const o = { typo: 0.08, swapped: 0.1, oneScript: 0.1, missing: 0.1, dateSlip: 0.02, office: 0.1, sons: 0.05, ...options };

  uniqueMainlandNames(data);

  const name = (en: string | null): string | null => {
    if (en === null) return null;
    let out = en;
    if (rng.chance(o.swapped)) out = givenFirst(out, rng);
    if (rng.chance(o.typo)) out = typo(out, rng);
    return out;
  };
  const drop = <T>(v: T | null): T | null => (v !== null && rng.chance(o.missing) ? null : v);
  const dob = (d: string | null): string | null => (d !== null && rng.chance(o.dateSlip) ? swapDayMonth(d) : drop(d));
  const scripts = (row: { name_en: string | null; name_zh: string | null }) => {
    if (row.name_en !== null && row.name_zh !== null && rng.chance(o.oneScript)) {
      if (rng.chance(0.5)) row.name_en = null;
      else row.name_zh = null;
    }
  };

  // Fathers and sons first, from the untouched rows: same name, same home, a generation apart.
  const sons: ItdPerson[] = [];
  let nextPersonId = data.itd.persons.length + 1;
  const truthOf = new Map(data.truth.map((t) => [`${t.source}:${t.key}`, t.truthId]));
  for (const p of data.itd.persons) {
    if (p.dob === null || p.address === null || Number(p.dob.slice(0, 4)) > 1975 || !rng.chance(o.sons)) continue;
    const born = Number(p.dob.slice(0, 4)) + rng.between(22, 32);
    const son: ItdPerson = {
      ...p,
      person_id: nextPersonId++,
      hkid: rng.chance(0.3) ? null : newHkid(rng),
      dob: `${born}-${String(rng.between(1, 12)).padStart(2, '0')}-${String(rng.between(1, 28)).padStart(2, '0')}`,
      phone: rng.chance(0.5) ? `6${String(rng.int(10_000_000)).padStart(7, '0')}` : null,
    };
    sons.push(son);
    data.truth.push({ source: 'itd', key: `P${son.person_id}`, type: 'person', truthId: `${truthOf.get(`itd:P${p.person_id}`) ?? p.person_id}:son` });
  }
  data.itd.persons.push(...sons);

  for (const p of data.itd.persons) {
    p.name_en = name(p.name_en);
    scripts(p);
    p.dob = dob(p.dob);
    p.phone = drop(p.phone);
    p.address = drop(p.address);
    p.hkid = drop(p.hkid);
  }
  for (const e of data.cis.entities) {
    if (e.entity_type !== 'person') continue;
    e.name_en = name(e.name_en);
    scripts(e);
    e.dob = dob(e.dob);
    e.phone = drop(e.phone);
    e.address = drop(e.address);
    e.hkid = drop(e.hkid);
  }
  // ROCARS manifests are typed per consignment: each gets its own copy of the driver's form.
  for (const c of data.rocars.consignments) {
    const d: RocarsDriver = { ...c.driver };
    d.name = name(d.name) ?? d.name;
    d.phone = drop(d.phone);
    d.hkid = drop(d.hkid);
    c.driver = d;
  }

  // Registered offices: many unrelated companies at one company-secretarial address.
  const offices = Array.from({ length: Math.max(3, Math.ceil(data.itd.traders.length / 500)) }, (_, i) => `Room ${1001 + i}, 10/F, Secretarial Services Centre, ${i + 1} Des Voeux Road Central, Central, Hong Kong`);
  for (const t of data.itd.traders) if (rng.chance(o.office)) t.address = rng.pick(offices);
  return data;
}

function uniqueMainlandNames(data: DemoData): void {
  const truthOf = new Map(data.truth.map((t) => [`${t.source}:${t.key}`, t.truthId]));
  const owner = new Map<string, string>();
  const renamed = new Map<string, string>();
  for (const c of data.rocars.consignments) {
    for (const role of ['shipper', 'consignee'] as const) {
      const party = c[role];
      if (party.br !== null) continue;
      const truth = truthOf.get(`rocars:${c.consignmentNo}:${role}`) ?? '';
      const key = party.name.toUpperCase().replace(/[^A-Z]/g, '');
      const first = owner.get(key);
      if (first === undefined) owner.set(key, truth);
      else if (first !== truth) {
        const suffix = renamed.get(truth) ?? ` (Branch ${truth.replace(/\D/g, '')})`;
        renamed.set(truth, suffix);
        c[role] = { ...party, name: party.name.replace(/ (Co\.?,? Ltd\.?|CO\.?,? LTD\.?)$/i, `${suffix} $1`) };
      }
    }
  }
}

function newHkid(rng: Rng): string {
  const body = 'ABCDEGHKMPRVYZ'.charAt(rng.int(14)) + String(rng.int(1_000_000)).padStart(6, '0');
  return `${body}(${hkidCheck(body)})`;
}

/** `CHAN Tai-man` → `Tai-man CHAN` (capitals kept, so the surname stays marked) or all capitals given first. */
function givenFirst(name: string, rng: Rng): string {
  const words = name.replace(',', '').split(/\s+/);
  if (words.length < 2) return name;
  const surname = words.find((w) => w.length > 1 && w === w.toUpperCase()) ?? words[0] ?? '';
  const rest = words.filter((w) => w !== surname);
  return rng.chance(0.5) ? `${rest.join(' ')} ${surname}` : `${rest.join(' ')} ${surname}`.toUpperCase();
}

/** One slip in a given name: two adjacent letters swapped, one dropped, or one doubled. */
function typo(name: string, rng: Rng): string {
  const words = name.split(' ');
  const candidates = words.map((w, i) => ({ w, i })).filter(({ w }) => w.length >= 3 && w !== w.toUpperCase());
  const pick = candidates.length > 0 ? rng.pick(candidates) : undefined;
  if (!pick) return name;
  const w = pick.w;
  const at = rng.between(1, w.length - 2);
  const kind = rng.int(3);
  const slipped = kind === 0 ? w.slice(0, at) + w.charAt(at + 1) + w.charAt(at) + w.slice(at + 2) : kind === 1 ? w.slice(0, at) + w.slice(at + 1) : w.slice(0, at) + w.charAt(at) + w.slice(at);
  words[pick.i] = slipped;
  return words.join(' ');
}

function swapDayMonth(d: string): string {
  const [y, m, day] = d.split('-');
  return Number(day) <= 12 ? `${y}-${day}-${m}` : d;
}

export type { CisEntity };
