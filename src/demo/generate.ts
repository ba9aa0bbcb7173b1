// The demo estate: real-world "truth" subjects (persons, companies, vehicles) and the rows three legacy
// systems hold about them — ITD (trader records), CIS (intelligence and investigations) and ROCARS (road
// cargo consignments) — each written the way that system writes it, with the mess real systems have.
// Every source row records which truth subject it is about, so matching quality can be measured.

import { createRng, weighted, type Rng } from './random.ts';
import { hkidCheck } from './hkid.ts';
import {
  addressVariant,
  brCertificate,
  flat,
  companyName,
  hkidForm,
  mistypeHkid,
  personName,
  phoneVariant,
  type CompanyNameStyle,
  type PersonName,
  type PersonNameStyle,
} from './forms.ts';
import {
  BUSINESS_SYLLABLES,
  COMMERCIAL_BUILDINGS,
  CROSSINGS,
  DISTRICTS,
  ENGLISH_BRANDS,
  FEMALE_SYLLABLES,
  GOODS,
  INDUSTRIES,
  MAINLAND_BRANDS,
  MAINLAND_CITIES,
  MAINLAND_TRADES,
  MALE_SYLLABLES,
  MARK_LETTERS,
  RESIDENTIAL_BUILDINGS,
  SURNAMES,
  VEHICLE_MAKES,
  WESTERN_NAMES,
  type Industry,
  type MainlandCity,
  type Surname,
  type Syllable,
} from './vocab.ts';

// ---------------------------------------------------------------------------------------------------
// Row shapes. SQL rows use the column names of src/demo/sql/*.sql.

export interface ItdTrader {
  trader_id: number;
  br_no: string | null;
  cr_no: string | null;
  name_en: string | null;
  name_zh: string | null;
  trader_type: 'company' | 'sole_proprietor';
  address: string | null;
  phone: string | null;
  registered_on: string | null;
  aeo: boolean;
  updated_at: string;
}

export interface ItdPerson {
  person_id: number;
  name_en: string | null;
  name_zh: string | null;
  hkid: string | null;
  dob: string | null;
  phone: string | null;
  address: string | null;
  updated_at: string;
}

export interface ItdTraderRole {
  trader_id: number;
  person_id: number;
  role: 'director' | 'partner' | 'proprietor';
}

export interface ItdVehicle {
  vehicle_id: number;
  trader_id: number | null;
  mark: string;
  make: string | null;
  registered_on: string | null;
}

export interface CisEntity {
  entity_id: number;
  entity_type: 'person' | 'company' | 'vehicle';
  name_en: string | null;
  name_zh: string | null;
  hkid: string | null;
  br_no: string | null;
  vehicle_mark: string | null;
  dob: string | null;
  phone: string | null;
  address: string | null;
}

export interface CisReport {
  report_id: number;
  entity_id: number;
  kind: 'intelligence' | 'investigation';
  summary: string;
  security_level: number;
  case_no: string | null;
  informant: string | null;
  status: string | null;
  reported_at: string;
}

export interface CisEntityLink {
  from_entity: number;
  to_entity: number;
  link_type: string;
}

export interface RocarsParty {
  name: string;
  br: string | null;
}

export interface RocarsDriver {
  name: string;
  hkid: string | null;
  phone: string | null;
}

export interface Consignment {
  consignmentNo: string;
  /** YYYY-MM-DD */
  date: string;
  vehicleMark: string;
  driver: RocarsDriver;
  shipper: RocarsParty;
  consignee: RocarsParty;
  goods: string;
  hsCode: string;
  valueHkd: number;
  origin: string;
  destination: string;
}

export type DemoSource = 'itd' | 'cis' | 'rocars';
export type DemoSubjectType = 'person' | 'company' | 'vehicle';

/** One source record and the real-world subject it is about. `key` is the key its connector produces. */
export interface TruthEntry {
  source: DemoSource;
  key: string;
  type: DemoSubjectType;
  truthId: string;
}

export interface DemoData {
  itd: { traders: ItdTrader[]; persons: ItdPerson[]; traderRoles: ItdTraderRole[]; vehicles: ItdVehicle[] };
  cis: { entities: CisEntity[]; reports: CisReport[]; entityLinks: CisEntityLink[] };
  rocars: { consignments: Consignment[] };
  truth: TruthEntry[];
}

export interface GenerateOptions {
  traders: number;
  seed?: number;
}

export const DEFAULT_SEED = 2016;

/** "Today" in the demo estate: fixed, so a seed always yields the same dates. */
export const DEMO_TODAY = '2026-05-31';

/** The subjects every demo estate contains, whatever the seed and size. */
export const SHOWCASE = {
  person: {
    truthId: 'person:1',
    personId: 1,
    cisEntityId: 1,
    nameEn: 'CHAN Tai Man',
    nameZh: '陳大文',
    hkid: 'A123456(3)',
    dob: '1975-03-14',
  },
  /** A different man with the same name, in ITD only: a name alone must not merge the two. */
  namesake: { truthId: 'person:2', personId: 2, nameEn: 'CHAN Tai Man', nameZh: '陳大文', dob: '1988-11-02' },
  company: {
    truthId: 'company:1',
    traderId: 1,
    br: '12345678',
    nameEn: 'Tai Man Trading Company Limited',
    nameZh: '大文貿易有限公司',
  },
  vehicle: { truthId: 'vehicle:1', vehicleId: 1, mark: 'AB 1234' },
  intelligenceReportId: 1,
  investigationReportId: 2,
  caseNo: 'CASE-2026-0042',
} as const;

/** The namesake's own business, so the second CHAN Tai Man has a role in ITD too. */
const NAMESAKE_FIRM = { en: 'Man Kee Seafood Company', zh: '文記海產公司' };

// ---------------------------------------------------------------------------------------------------
// Truth subjects (internal: the sources' rows are what the demo publishes).

interface TruthPerson {
  id: string;
  surname: Surname;
  name: PersonName;
  zh: string;
  female: boolean;
  /** Compact canonical form, e.g. A1234563. */
  hkid: string;
  dob: string;
  /** 8 digits. */
  phone: string;
  address: string;
  /** Where the person used to live; slow-to-update systems still hold it. */
  oldAddress: string | null;
  itdPersonId: number;
  cisEntityId: number;
  /** The forms ROCARS manifests write this driver in, made on first use and then reused like a profile. */
  driverForms: RocarsDriver[] | null;
}

interface TruthCompany {
  id: string;
  kind: 'company' | 'sole_proprietor' | 'mainland';
  nameEn: string;
  nameZh: string;
  br: string | null;
  cr: string | null;
  address: string;
  oldAddress: string | null;
  phone: string;
  registeredOn: string;
  industry: Industry;
  city: MainlandCity | null;
  officers: { person: TruthPerson; role: ItdTraderRole['role'] }[];
  vehicles: TruthVehicle[];
  drivers: TruthPerson[];
  traderId: number;
  cisEntityId: number;
  partyForms: RocarsParty[] | null;
}

interface TruthVehicle {
  id: string;
  /** `AB 1234` */
  mark: string;
  make: string;
  owner: TruthCompany;
  drivers: TruthPerson[];
  registeredOn: string;
  vehicleId: number;
  cisEntityId: number;
}

// ---------------------------------------------------------------------------------------------------
// Dates. Everything is computed from DEMO_TODAY so output never depends on the wall clock.

const DAY_MS = 86_400_000;
const TODAY_MS = Date.parse(`${DEMO_TODAY}T00:00:00Z`);
const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const yearStartMs = (year: number): number => Date.UTC(year, 0, 1);
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function dateBetween(rng: Rng, fromMs: number, toMs: number): string {
  return isoDate(fromMs + rng.int(Math.max(1, Math.floor((toMs - fromMs) / DAY_MS) + 1)) * DAY_MS);
}

function timestampBetween(rng: Rng, fromMs: number, toMs: number): string {
  const date = dateBetween(rng, fromMs, toMs);
  return flat(`${date}T${pad(rng.between(8, 19))}:${pad(rng.int(60))}:${pad(rng.int(60))}+08:00`);
}

/** Consignments cover the two years up to DEMO_TODAY. */
const CONSIGNMENT_DAYS = 730;

// ---------------------------------------------------------------------------------------------------

const pickSurname = weighted(SURNAMES);
const pickIndustry = weighted(INDUSTRIES);
const HAULIERS = INDUSTRIES.filter((i) => i.haulier === true);
const pickStyle = <S extends string>(table: readonly { style: S; weight: number }[]): ((rng: Rng) => S) => {
  const pick = weighted(table);
  return (rng) => pick(rng).style;
};

// How each system tends to write a person's English name.
const ITD_NAME_STYLE = pickStyle<PersonNameStyle>([
  { style: 'gov', weight: 40 },
  { style: 'hyphen', weight: 35 },
  { style: 'upper', weight: 10 },
  { style: 'comma', weight: 10 },
  { style: 'western', weight: 5 },
]);
const CIS_NAME_STYLE = pickStyle<PersonNameStyle>([
  { style: 'mixed', weight: 30 },
  { style: 'joined', weight: 25 },
  { style: 'hyphen', weight: 15 },
  { style: 'gov', weight: 10 },
  { style: 'givenFirst', weight: 10 },
  { style: 'upper', weight: 7 },
  { style: 'western', weight: 3 },
]);
const ROCARS_NAME_STYLE = pickStyle<PersonNameStyle>([
  { style: 'upper', weight: 75 },
  { style: 'upperGivenFirst', weight: 10 },
  { style: 'gov', weight: 10 },
  { style: 'upperJoined', weight: 5 },
]);
const ITD_COMPANY_STYLE = pickStyle<CompanyNameStyle>([
  { style: 'canonical', weight: 60 },
  { style: 'upper', weight: 25 },
  { style: 'abbrev', weight: 15 },
]);
const CIS_COMPANY_STYLE = pickStyle<CompanyNameStyle>([
  { style: 'abbrev', weight: 35 },
  { style: 'canonical', weight: 25 },
  { style: 'upper', weight: 20 },
  { style: 'abbrevComma', weight: 15 },
  { style: 'bare', weight: 5 },
]);
const ROCARS_COMPANY_STYLE = pickStyle<CompanyNameStyle>([
  { style: 'upper', weight: 45 },
  { style: 'upperAbbrev', weight: 25 },
  { style: 'canonical', weight: 15 },
  { style: 'abbrevComma', weight: 10 },
  { style: 'bare', weight: 5 },
]);

const HKID_SINGLE_PREFIXES = 'ABCDEGHKMPRVYZ';
const HKID_DOUBLE_PREFIXES = ['XA', 'XB', 'XC', 'XD', 'XE', 'XG', 'WX'];

const PERSON_INTEL = [
  'Information indicates {name} recruits drivers to carry undeclared {goods} through {crossing}.',
  '{name} reported frequenting a storage unit in {district} linked to {goods} smuggling.',
  '{name} observed meeting known syndicate members near {crossing} control point.',
  'Tip-off: {name} arranges split consignments of {goods} to stay under inspection thresholds.',
];
const PERSON_INVESTIGATION = [
  'Suspected of under-declaring the value of {goods} consignments through {crossing}.',
  'Driver intercepted at {crossing} with undeclared {goods} concealed in the cargo compartment.',
  'Suspected involvement in a syndicate smuggling {goods} into the Mainland.',
];
const COMPANY_INTEL = [
  'Declared values of {goods} shipped by {name} are well below market price.',
  'Registered office of {name} is a shared secretarial address used by several shell traders.',
  'Frequent changes of directors at {name}; possible front company.',
];
const COMPANY_INVESTIGATION = [
  'Investigation into false trade descriptions on {goods} shipped by {name}.',
  '{name} suspected of transhipping {goods} with forged certificates of origin.',
  'Suspected money laundering through over-invoiced {goods} exports by {name}.',
];
const VEHICLE_INTEL = [
  'Vehicle {name} makes repeated short-stay crossings at {crossing}.',
  'Vehicle {name} seen loading at an unlicensed warehouse in {district}.',
];
const VEHICLE_INVESTIGATION = [
  'Vehicle {name} intercepted at {crossing} with a concealed compartment.',
  'Vehicle {name} used to carry undeclared {goods}.',
];

class EstateBuilder {
  readonly rng: Rng;
  readonly data: DemoData = {
    itd: { traders: [], persons: [], traderRoles: [], vehicles: [] },
    cis: { entities: [], reports: [], entityLinks: [] },
    rocars: { consignments: [] },
    truth: [],
  };

  persons: TruthPerson[] = [];
  companies: TruthCompany[] = [];
  mainland: TruthCompany[] = [];
  vehicles: TruthVehicle[] = [];
  /** Officers already holding a role somewhere, for serial directors. */
  officers: TruthPerson[] = [];
  haulierVehicles: TruthVehicle[] = [];

  private readonly hkids = new Set<string>();
  private readonly brs = new Set<string>();
  private readonly crs = new Set<string>();
  private readonly marks = new Set<string>();
  private readonly companyNames = new Set<string>();
  private readonly caseCounters = new Map<number, number>();
  private readonly sharedOffices: string[] = [];
  private companySeq = 0;
  private readonly dayCounters: number[] = [];
  private readonly days: string[] = [];

  constructor(seed: number, traders: number) {
    this.rng = createRng(seed);
    for (let d = 0; d < CONSIGNMENT_DAYS; d++) this.days.push(isoDate(TODAY_MS - (CONSIGNMENT_DAYS - 1 - d) * DAY_MS));
    // Company-secretarial addresses: ~5% of companies register there, many at each one.
    const offices = Math.max(3, Math.ceil(traders / 2000));
    for (let i = 0; i < offices; i++) this.sharedOffices.push(this.commercialAddress());
    this.hkids.add('A1234563');
    this.brs.add(SHOWCASE.company.br);
    this.marks.add(SHOWCASE.vehicle.mark);
    this.companyNames.add(SHOWCASE.company.nameEn.toUpperCase());
    this.companyNames.add(NAMESAKE_FIRM.en.toUpperCase());
  }

  /** Once every subject exists, the uniqueness sets are dead weight (~150 MB at 400,000 traders). */
  forgetIssuedIdentifiers(): void {
    for (const set of [this.hkids, this.brs, this.crs, this.marks, this.companyNames]) set.clear();
  }

  // ----- identifiers --------------------------------------------------------------------------------

  newHkid(): string {
    const rng = this.rng;
    for (;;) {
      const prefix = rng.chance(0.03) ? rng.pick(HKID_DOUBLE_PREFIXES) : HKID_SINGLE_PREFIXES.charAt(rng.int(HKID_SINGLE_PREFIXES.length));
      const body = prefix + pad(rng.int(1_000_000), 6);
      const hkid = flat(body + hkidCheck(body));
      if (!this.hkids.has(hkid)) {
        this.hkids.add(hkid);
        return hkid;
      }
    }
  }

  newBr(): string {
    for (;;) {
      const br = String(this.rng.between(10_000_000, 79_999_999));
      if (!this.brs.has(br)) {
        this.brs.add(br);
        return br;
      }
    }
  }

  newCr(): string {
    for (;;) {
      const cr = pad(this.rng.between(100_000, 3_299_999), 7);
      if (!this.crs.has(cr)) {
        this.crs.add(cr);
        return cr;
      }
    }
  }

  newMark(): string {
    const rng = this.rng;
    for (;;) {
      const prefix = MARK_LETTERS.charAt(rng.int(MARK_LETTERS.length)) + MARK_LETTERS.charAt(rng.int(MARK_LETTERS.length));
      const mark = flat(`${prefix} ${rng.between(1, 9999)}`);
      if (!this.marks.has(mark)) {
        this.marks.add(mark);
        return mark;
      }
    }
  }

  mobile(): string {
    return flat(this.rng.pick(['5', '6', '9']) + pad(this.rng.int(10_000_000), 7));
  }

  landline(): string {
    return flat(this.rng.pick(['2', '3']) + pad(this.rng.int(10_000_000), 7));
  }

  newCaseNo(year: number): string {
    let n = (this.caseCounters.get(year) ?? 0) + 1;
    if (`CASE-${year}-${pad(n, 4)}` === SHOWCASE.caseNo) n++;
    this.caseCounters.set(year, n);
    return `CASE-${year}-${pad(n, 4)}`;
  }

  // ----- addresses ----------------------------------------------------------------------------------

  buildingName(): string {
    const rng = this.rng;
    return `${rng.pick(BUSINESS_SYLLABLES).en} ${rng.pick(BUSINESS_SYLLABLES).en}`;
  }

  residentialAddress(): string {
    const rng = this.rng;
    const district = rng.pick(DISTRICTS);
    const floor = rng.between(1, 40);
    if (rng.chance(0.35)) {
      return flat(`Room ${floor}${pad(rng.between(1, 30))}, ${this.buildingName()} House, ${this.buildingName()} Estate, ${district.en}, ${district.region}`);
    }
    const block = rng.chance(0.4) ? `Block ${rng.between(1, 8)}, ` : '';
    const flatNo = `${rng.between(1, 12)}${'ABCDEFGH'.charAt(rng.int(8))}`;
    return flat(
      `Flat ${flatNo}, ${floor}/F, ${block}${this.buildingName()} ${rng.pick(RESIDENTIAL_BUILDINGS)}, ` +
        `${rng.between(1, 300)} ${rng.pick(district.streets)}, ${district.en}, ${district.region}`,
    );
  }

  commercialAddress(): string {
    const rng = this.rng;
    const district = rng.pick(DISTRICTS);
    const floor = rng.between(1, 30);
    const unit = rng.pick(['Unit', 'Room', 'Flat', 'Workshop']);
    return flat(
      `${unit} ${floor}${pad(rng.between(1, 20))}, ${floor}/F, ${this.buildingName()} ${rng.pick(COMMERCIAL_BUILDINGS)}, ` +
        `${rng.between(1, 300)} ${rng.pick(district.streets)}, ${district.en}, ${district.region}`,
    );
  }

  // ----- persons ------------------------------------------------------------------------------------

  newPerson(
    opts: { surname?: Surname; address?: string; oldAddress?: string | null; dob?: string; female?: boolean; generation?: Syllable; bornFrom?: number; bornTo?: number },
    fixed?: Partial<TruthPerson>,
  ): TruthPerson {
    const rng = this.rng;
    const female = opts.female ?? rng.chance(0.35);
    const pool = female ? FEMALE_SYLLABLES : MALE_SYLLABLES;
    let surname: Surname;
    let given: Syllable[];
    do {
      surname = opts.surname ?? pickSurname(rng);
      const first = opts.generation ?? rng.pick(pool);
      given = [first];
      if (opts.generation !== undefined || rng.chance(0.9)) {
        let second = rng.pick(pool);
        while (second.zh === first.zh) second = rng.pick(pool);
        given.push(second);
      }
      // 陳大文 is reserved for the showcase person and his namesake, so the showcase stays controlled.
    } while (surname.zh === '陳' && given.map((s) => s.zh).join('') === '大文');
    const western = rng.chance(0.18) ? rng.pick(female ? WESTERN_NAMES.female : WESTERN_NAMES.male) : null;
    const person: TruthPerson = {
      id: `person:${this.persons.length + 1}`,
      surname,
      name: { surnameEn: surname.en, given, western },
      zh: flat(surname.zh + given.map((s) => s.zh).join('')),
      female,
      hkid: this.newHkid(),
      dob: opts.dob ?? dateBetween(rng, yearStartMs(opts.bornFrom ?? 1950), yearStartMs(opts.bornTo ?? 2002)),
      phone: this.mobile(),
      address: opts.address ?? this.residentialAddress(),
      oldAddress: opts.oldAddress !== undefined ? opts.oldAddress : rng.chance(0.4) ? this.residentialAddress() : null,
      itdPersonId: 0,
      cisEntityId: 0,
      driverForms: null,
      ...fixed,
    };
    this.persons.push(person);
    return person;
  }

  /** A sibling or child: same surname and home, often the same generation syllable. */
  relativeOf(person: TruthPerson): TruthPerson {
    const rng = this.rng;
    const bornYear = Number(person.dob.slice(0, 4));
    const child = bornYear < 1975 && rng.chance(0.5);
    const from = child ? bornYear + 22 : bornYear - 8;
    const female = rng.chance(0.45);
    const shareGeneration = !child && person.name.given.length === 2 && rng.chance(0.5) && !person.female === !female;
    return this.newPerson({
      surname: person.surname,
      female,
      address: person.address,
      oldAddress: person.oldAddress,
      bornFrom: Math.min(from, 2000),
      bornTo: Math.min(from + (child ? 12 : 16), 2002),
      ...(shareGeneration ? { generation: person.name.given[0] as Syllable } : {}),
    });
  }

  // ----- companies ----------------------------------------------------------------------------------

  /** Name a Hong Kong trader; `fromOfficer` lets a firm carry its founder's given name (大文貿易). */
  nameCompany(kind: 'company' | 'sole_proprietor', industry: Industry, fromOfficer: TruthPerson): { en: string; zh: string } {
    const rng = this.rng;
    for (let attempt = 0; ; attempt++) {
      let dist: Syllable;
      const r = rng.next();
      if (r < 0.15 && fromOfficer.name.given.length === 2) {
        dist = { en: fromOfficer.name.given.map((s) => s.en).join(' '), zh: fromOfficer.name.given.map((s) => s.zh).join('') };
      } else if (r < 0.4) {
        dist = rng.pick(ENGLISH_BRANDS);
      } else if (kind === 'sole_proprietor' && r < 0.7) {
        const s = rng.pick(BUSINESS_SYLLABLES);
        dist = { en: `${s.en} Kee`, zh: `${s.zh}記` };
      } else {
        const a = rng.pick(BUSINESS_SYLLABLES);
        let b = rng.pick(BUSINESS_SYLLABLES);
        while (b.zh === a.zh) b = rng.pick(BUSINESS_SYLLABLES);
        dist = { en: `${a.en} ${b.en}`, zh: a.zh + b.zh };
      }
      // "Tai Man …" firms are left to the showcase so a partyName search for it stays unambiguous.
      if (dist.en === 'Tai Man') continue;
      // Registries refuse duplicate names; real firms then add a year or "(Hong Kong)".
      const qualifierEn = attempt === 0 ? '' : attempt === 1 ? ' (Hong Kong)' : ` (${1975 + ((attempt * 7) % 50)})`;
      const qualifierZh = attempt === 0 ? '' : attempt === 1 ? '(香港)' : `(${1975 + ((attempt * 7) % 50)})`;
      const en =
        kind === 'company'
          ? `${dist.en} ${industry.en}${qualifierEn} ${rng.chance(0.5) ? 'Company Limited' : 'Limited'}`
          : `${dist.en} ${industry.en}${qualifierEn} Company`;
      const zh = kind === 'company' ? `${dist.zh}${industry.zh}${qualifierZh}有限公司` : `${dist.zh}${industry.zh}${qualifierZh}公司`;
      const key = en.toUpperCase();
      if (!this.companyNames.has(key)) {
        this.companyNames.add(key);
        return { en: flat(en), zh: flat(zh) };
      }
    }
  }

  newCompany(kind: 'company' | 'sole_proprietor' | 'mainland', fields: { nameEn: string; nameZh: string; industry: Industry; city?: MainlandCity }): TruthCompany {
    const rng = this.rng;
    const hk = kind !== 'mainland';
    const company: TruthCompany = {
      id: `company:${++this.companySeq}`,
      kind,
      nameEn: fields.nameEn,
      nameZh: fields.nameZh,
      br: hk ? this.newBr() : null,
      cr: kind === 'company' ? this.newCr() : null,
      address: kind === 'company' && rng.chance(0.05) ? rng.pick(this.sharedOffices) : this.commercialAddress(),
      oldAddress: rng.chance(0.2) ? this.commercialAddress() : null,
      phone: this.landline(),
      registeredOn: dateBetween(rng, yearStartMs(1980), TODAY_MS - 30 * DAY_MS),
      industry: fields.industry,
      city: fields.city ?? null,
      officers: [],
      vehicles: [],
      drivers: [],
      traderId: 0,
      cisEntityId: 0,
      partyForms: null,
    };
    return company;
  }

  randomTrader(): TruthCompany {
    const rng = this.rng;
    const kind = rng.chance(0.25) ? 'sole_proprietor' : 'company';
    const industry = pickIndustry(rng);
    const officers: { person: TruthPerson; role: ItdTraderRole['role'] }[] = [];
    const count = kind === 'sole_proprietor' ? (rng.chance(0.15) ? 2 : 1) : weightedCount(rng);
    const role: ItdTraderRole['role'] = kind === 'company' ? 'director' : count === 1 ? 'proprietor' : 'partner';
    for (let i = 0; i < count; i++) {
      let person: TruthPerson;
      const first = officers[0]?.person;
      if (first !== undefined && rng.chance(0.45)) person = this.relativeOf(first);
      else if (this.officers.length > 0 && rng.chance(0.1)) person = rng.pick(this.officers);
      else person = this.newPerson({ bornFrom: 1945, bornTo: 1998 });
      if (officers.some((o) => o.person === person)) continue;
      officers.push({ person, role });
      this.officers.push(person);
    }
    const name = this.nameCompany(kind, industry, (officers[0] as { person: TruthPerson }).person);
    const company = this.newCompany(kind, { nameEn: name.en, nameZh: name.zh, industry });
    company.officers = officers;
    return company;
  }

  mainlandCompany(): TruthCompany {
    const rng = this.rng;
    const city = rng.pick(MAINLAND_CITIES);
    const brand = rng.pick(MAINLAND_BRANDS);
    const trade = rng.pick(MAINLAND_TRADES);
    const company = this.newCompany('mainland', {
      nameEn: flat(`${city.en} ${brand.en} ${trade.en} Co., Ltd.`),
      nameZh: flat(`${city.zh}市${brand.zh}${trade.zh}有限公司`),
      industry: pickIndustry(rng),
      city,
    });
    return company;
  }

  // ----- vehicles -----------------------------------------------------------------------------------

  newVehicle(owner: TruthCompany, mark?: string): TruthVehicle {
    const vehicle: TruthVehicle = {
      id: `vehicle:${this.vehicles.length + 1}`,
      mark: mark ?? this.newMark(),
      make: this.rng.pick(VEHICLE_MAKES),
      owner,
      drivers: [],
      registeredOn: dateBetween(this.rng, Math.max(Date.parse(owner.registeredOn), yearStartMs(2000)), TODAY_MS - 30 * DAY_MS),
      vehicleId: 0,
      cisEntityId: 0,
    };
    this.vehicles.push(vehicle);
    owner.vehicles.push(vehicle);
    return vehicle;
  }

  /** Who drives a vehicle: the owner himself at small firms, employed drivers at hauliers. */
  assignDrivers(vehicle: TruthVehicle): void {
    const rng = this.rng;
    const owner = vehicle.owner;
    const count = rng.chance(0.3) ? 2 : 1;
    for (let i = 0; i < count; i++) {
      let driver: TruthPerson;
      if (owner.industry.haulier !== true && owner.officers.length > 0 && rng.chance(0.5)) driver = rng.pick(owner.officers).person;
      else if (owner.drivers.length > 0 && rng.chance(0.4)) driver = rng.pick(owner.drivers);
      else if (this.haulierVehicles.length > 0 && rng.chance(0.03)) driver = rng.pick(rng.pick(this.haulierVehicles).drivers);
      else {
        driver = this.newPerson({ female: rng.chance(0.05), bornFrom: 1960, bornTo: 2002 });
        owner.drivers.push(driver);
      }
      if (!vehicle.drivers.includes(driver)) vehicle.drivers.push(driver);
    }
  }

  // ----- ITD ----------------------------------------------------------------------------------------

  itdPersonRow(person: TruthPerson, exact?: Partial<ItdPerson>): number {
    const rng = this.rng;
    const rows = this.data.itd.persons;
    const personId = rows.length + 1;
    const chineseOnly = rng.chance(0.02);
    rows.push({
      person_id: personId,
      name_en: chineseOnly ? null : personName(person.name, ITD_NAME_STYLE(rng)),
      name_zh: chineseOnly || rng.chance(0.85) ? person.zh : null,
      hkid: this.writtenHkid(person.hkid, { missing: 0.03, mistyped: 0.015, styles: ['brackets', 'brackets', 'brackets', 'brackets', 'brackets', 'brackets', 'compact', 'compact', 'spaced'] }),
      dob: rng.chance(0.95) ? person.dob : null,
      phone: rng.chance(0.8) ? phoneVariant(person.phone, rng) : null,
      address: this.writtenAddress(person, 0.35),
      updated_at: timestampBetween(rng, yearStartMs(1998), TODAY_MS),
      ...exact,
    });
    this.truth('itd', `P${personId}`, 'person', person.id);
    return personId;
  }

  /** ITD person id for an officer; re-keying a known person under a new id is a classic legacy slip. */
  itdPersonIdFor(person: TruthPerson, mayDuplicate: boolean): number {
    if (person.itdPersonId === 0) person.itdPersonId = this.itdPersonRow(person);
    else if (mayDuplicate && this.rng.chance(0.25)) return this.itdPersonRow(person);
    return person.itdPersonId;
  }

  itdTraderRow(company: TruthCompany, exact?: Partial<ItdTrader>): number {
    const rng = this.rng;
    const rows = this.data.itd.traders;
    const traderId = rows.length + 1;
    const br = company.br as string;
    const chineseOnly = rng.chance(0.02);
    const brRoll = rng.next();
    rows.push({
      trader_id: traderId,
      br_no: brRoll < 0.7 ? br : brRoll < 0.92 ? brCertificate(br, rng) : null,
      cr_no: company.cr !== null && rng.chance(0.95) ? company.cr : null,
      name_en: chineseOnly ? null : companyName(company.nameEn, ITD_COMPANY_STYLE(rng)),
      name_zh: chineseOnly || rng.chance(0.8) ? company.nameZh : null,
      trader_type: company.kind === 'company' ? 'company' : 'sole_proprietor',
      address: company.oldAddress !== null && rng.chance(0.3) ? company.oldAddress : rng.chance(0.2) ? addressVariant(company.address, rng) : company.address,
      phone: rng.chance(0.9) ? phoneVariant(company.phone, rng) : null,
      registered_on: company.registeredOn,
      aeo: rng.chance(0.015),
      updated_at: timestampBetween(rng, Math.max(yearStartMs(1998), Date.parse(company.registeredOn)), TODAY_MS),
      ...exact,
    });
    this.truth('itd', `T${traderId}`, 'company', company.id);
    return traderId;
  }

  itdTrader(company: TruthCompany, exact?: Partial<ItdTrader>): void {
    company.traderId = this.itdTraderRow(company, exact);
    // About 1% of traders were registered twice; the duplicate row never learnt the BR number.
    if (exact === undefined && this.rng.chance(0.01)) this.itdTraderRow(company, { br_no: null });
    for (const { person, role } of company.officers) {
      this.data.itd.traderRoles.push({ trader_id: company.traderId, person_id: this.itdPersonIdFor(person, exact === undefined), role });
    }
  }

  itdVehicle(vehicle: TruthVehicle, exact?: Partial<ItdVehicle>): void {
    const rows = this.data.itd.vehicles;
    vehicle.vehicleId = rows.length + 1;
    rows.push({
      vehicle_id: vehicle.vehicleId,
      trader_id: vehicle.owner.traderId,
      mark: this.rng.chance(0.1) ? vehicle.mark.replace(' ', '') : vehicle.mark,
      make: this.rng.chance(0.9) ? vehicle.make : null,
      registered_on: vehicle.registeredOn,
      ...exact,
    });
    this.truth('itd', `V${vehicle.vehicleId}`, 'vehicle', vehicle.id);
  }

  // ----- written forms shared by the sources --------------------------------------------------------

  writtenHkid(hkid: string, opts: { missing: number; mistyped: number; styles: readonly ('brackets' | 'compact' | 'lower' | 'spaced')[] }): string | null {
    const rng = this.rng;
    if (rng.chance(opts.missing)) return null;
    const value = rng.chance(opts.mistyped) ? mistypeHkid(hkid, rng) : hkid;
    return hkidForm(value, rng.pick(opts.styles));
  }

  writtenAddress(person: TruthPerson, staleRate: number): string | null {
    const rng = this.rng;
    if (rng.chance(0.05)) return null;
    const address = person.oldAddress !== null && rng.chance(staleRate) ? person.oldAddress : person.address;
    return rng.chance(0.25) ? addressVariant(address, rng) : address;
  }

  // ----- CIS ----------------------------------------------------------------------------------------

  cisEntityRow(entity: Omit<CisEntity, 'entity_id'>): number {
    const rows = this.data.cis.entities;
    const entityId = rows.length + 1;
    rows.push({ entity_id: entityId, ...entity });
    return entityId;
  }

  cisPerson(person: TruthPerson): number {
    const rng = this.rng;
    const chineseOnly = rng.chance(0.08);
    return this.cisEntityRow({
      entity_type: 'person',
      name_en: chineseOnly ? null : personName(person.name, CIS_NAME_STYLE(rng)),
      name_zh: chineseOnly || rng.chance(0.7) ? person.zh : null,
      hkid: this.writtenHkid(person.hkid, { missing: 0.15, mistyped: 0.02, styles: ['compact', 'compact', 'brackets', 'brackets', 'lower'] }),
      br_no: null,
      vehicle_mark: null,
      dob: rng.chance(0.8) ? person.dob : null,
      phone: rng.chance(0.6) ? phoneVariant(person.phone, rng) : null,
      address: this.writtenAddress(person, 0.25),
    });
  }

  cisCompany(company: TruthCompany): number {
    const rng = this.rng;
    const br = company.br as string;
    const brRoll = rng.next();
    return this.cisEntityRow({
      entity_type: 'company',
      name_en: rng.chance(0.05) ? null : companyName(company.nameEn, CIS_COMPANY_STYLE(rng)),
      name_zh: rng.chance(0.6) ? company.nameZh : null,
      hkid: null,
      br_no: brRoll < 0.75 ? br : brRoll < 0.85 ? brCertificate(br, rng) : null,
      vehicle_mark: null,
      dob: null,
      phone: rng.chance(0.5) ? phoneVariant(company.phone, rng) : null,
      address: company.oldAddress !== null && rng.chance(0.3) ? company.oldAddress : company.address,
    });
  }

  cisVehicle(vehicle: TruthVehicle): number {
    const rng = this.rng;
    const roll = rng.next();
    return this.cisEntityRow({
      entity_type: 'vehicle',
      name_en: null,
      name_zh: null,
      hkid: null,
      br_no: null,
      vehicle_mark: roll < 0.5 ? vehicle.mark.replace(' ', '') : roll < 0.8 ? vehicle.mark : vehicle.mark.toLowerCase(),
      dob: null,
      phone: null,
      address: null,
    });
  }

  /** The CIS entity for a subject, created on first use (with an occasional duplicate entry). */
  cisEntityFor(subject: { kind: 'person'; s: TruthPerson } | { kind: 'company'; s: TruthCompany } | { kind: 'vehicle'; s: TruthVehicle }, caseNo: string | null): number {
    if (subject.s.cisEntityId !== 0) return subject.s.cisEntityId;
    const make = (): number =>
      subject.kind === 'person' ? this.cisPerson(subject.s) : subject.kind === 'company' ? this.cisCompany(subject.s) : this.cisVehicle(subject.s);
    const entityId = make();
    subject.s.cisEntityId = entityId;
    this.cisReports(entityId, subject, caseNo);
    // Officers sometimes file a subject again instead of finding the existing entity.
    if (this.rng.chance(0.04)) this.cisReports(make(), subject, null);
    return entityId;
  }

  cisReports(entityId: number, subject: { kind: 'person'; s: TruthPerson } | { kind: 'company'; s: TruthCompany } | { kind: 'vehicle'; s: TruthVehicle }, caseNo: string | null): void {
    const rng = this.rng;
    const count = 1 + (rng.chance(0.35) ? 1 + (rng.chance(0.3) ? 1 : 0) : 0);
    const name = subject.kind === 'person' ? personName(subject.s.name, 'gov') : subject.kind === 'company' ? subject.s.nameEn : subject.s.mark;
    const goodsPool = subject.kind === 'company' ? subject.s.industry.goods : subject.kind === 'vehicle' ? subject.s.owner.industry.goods : [11, 0, 12, 9, 8];
    for (let i = 0; i < count; i++) {
      const investigation = i === 0 && caseNo !== null ? true : rng.chance(0.15);
      const caseForReport = investigation ? (i === 0 && caseNo !== null ? caseNo : this.newCaseNo(rng.between(2016, 2026))) : rng.chance(0.1) ? caseNo : null;
      const templates =
        subject.kind === 'person'
          ? investigation
            ? PERSON_INVESTIGATION
            : PERSON_INTEL
          : subject.kind === 'company'
            ? investigation
              ? COMPANY_INVESTIGATION
              : COMPANY_INTEL
            : investigation
              ? VEHICLE_INVESTIGATION
              : VEHICLE_INTEL;
      const summary = flat(
        rng
          .pick(templates)
          .replace('{name}', name)
          .replace('{goods}', (GOODS[rng.pick(goodsPool)] as { name: string }).name.toLowerCase())
          .replace('{crossing}', rng.pick(CROSSINGS))
            .replace('{district}', rng.pick(DISTRICTS).en),
      );
      const year = caseForReport !== null ? Number(caseForReport.slice(5, 9)) : rng.between(2016, 2026);
      this.cisReport({
        entity_id: entityId,
        kind: investigation ? 'investigation' : 'intelligence',
        summary,
        security_level: investigation ? (rng.chance(0.6) ? 2 : 3) : rng.pick([0, 1, 1, 2]),
        case_no: caseForReport,
        informant: rng.chance(investigation ? 0.3 : 0.25) ? `Source ${MARK_LETTERS.charAt(rng.int(MARK_LETTERS.length))}-${rng.between(1, 99)}` : null,
        status: investigation ? rng.pick(['open', 'under investigation', 'under investigation', 'closed', 'prosecuted']) : rng.pick(['open', 'open', 'closed', 'filed']),
        reported_at: timestampBetween(rng, yearStartMs(year), Math.min(yearStartMs(year + 1) - DAY_MS, TODAY_MS)),
      }, subject.kind, subject.s.id);
    }
  }

  cisReport(report: Omit<CisReport, 'report_id'>, type: DemoSubjectType, truthId: string): void {
    const rows = this.data.cis.reports;
    const reportId = rows.length + 1;
    rows.push({ report_id: reportId, ...report });
    this.truth('cis', `R${reportId}`, type, truthId);
  }

  cisLink(from: number, to: number, linkType: string): void {
    this.data.cis.entityLinks.push({ from_entity: from, to_entity: to, link_type: linkType });
  }

  // ----- ROCARS -------------------------------------------------------------------------------------

  driverForm(person: TruthPerson): RocarsDriver {
    const rng = this.rng;
    if (person.driverForms === null) {
      person.driverForms = [];
      for (let i = rng.chance(0.4) ? 2 : 1; i > 0; i--) {
        person.driverForms.push({
          name: personName(person.name, ROCARS_NAME_STYLE(rng)),
          hkid: this.writtenHkid(person.hkid, { missing: 0.05, mistyped: 0.02, styles: ['compact', 'compact', 'compact', 'brackets', 'brackets'] }),
          phone: rng.chance(0.85) ? phoneVariant(person.phone, rng) : null,
        });
      }
    }
    return rng.pick(person.driverForms);
  }

  partyForm(company: TruthCompany): RocarsParty {
    const rng = this.rng;
    if (company.partyForms === null) {
      company.partyForms = [];
      for (let i = rng.chance(0.4) ? 2 : 1; i > 0; i--) {
        const brRoll = rng.next();
        const br = company.br === null ? null : brRoll < 0.8 ? company.br : brRoll < 0.88 ? brCertificate(company.br, rng) : null;
        const style: CompanyNameStyle = company.kind === 'mainland' ? (rng.chance(0.6) ? 'upper' : 'canonical') : ROCARS_COMPANY_STYLE(rng);
        company.partyForms.push({ name: companyName(company.nameEn, style), br });
      }
    }
    return rng.pick(company.partyForms);
  }

  consignment(fields: Omit<Consignment, 'consignmentNo' | 'date'>, day: number, truth: { driver: TruthPerson; vehicle: TruthVehicle; shipper: TruthCompany; consignee: TruthCompany }): void {
    const date = this.days[day] as string;
    const seq = (this.dayCounters[day] ?? 0) + 1;
    this.dayCounters[day] = seq;
    const consignmentNo = flat(`RC${date.replaceAll('-', '')}${pad(seq, 5)}`);
    this.data.rocars.consignments.push({ consignmentNo, date, ...fields });
    this.truth('rocars', `${consignmentNo}:driver`, 'person', truth.driver.id);
    this.truth('rocars', `${consignmentNo}:vehicle`, 'vehicle', truth.vehicle.id);
    this.truth('rocars', `${consignmentNo}:shipper`, 'company', truth.shipper.id);
    this.truth('rocars', `${consignmentNo}:consignee`, 'company', truth.consignee.id);
  }

  randomConsignment(trader: TruthCompany): void {
    const rng = this.rng;
    // Traders with a lorry mostly use it; everyone else hires a haulier.
    const vehicle = trader.vehicles.length > 0 && rng.chance(0.8) ? rng.pick(trader.vehicles) : rng.pick(this.haulierVehicles);
    const driver = rng.pick(vehicle.drivers);
    const other = rng.chance(0.9) || this.companies.length < 2 ? rng.pick(this.mainland) : rng.pick(this.companies);
    const exporting = rng.chance(0.5);
    const shipper = exporting ? trader : other;
    const consignee = exporting ? other : trader;
    const goods = GOODS[rng.pick(trader.industry.goods)] as (typeof GOODS)[number];
    const mainlandPlace = (other.city ?? rng.pick(MAINLAND_CITIES)).place;
    this.consignment(
      {
        vehicleMark: rng.chance(0.7) ? vehicle.mark.replace(' ', '') : vehicle.mark,
        driver: this.driverForm(driver),
        shipper: this.partyForm(shipper),
        consignee: this.partyForm(consignee),
        goods: goods.name,
        hsCode: goods.hsCode,
        valueHkd: Math.round((goods.min + (goods.max - goods.min) * rng.next() ** 2) / 100) * 100,
        origin: exporting ? 'Hong Kong' : mainlandPlace,
        destination: exporting ? mainlandPlace : 'Hong Kong',
      },
      rng.int(CONSIGNMENT_DAYS),
      { driver, vehicle, shipper, consignee },
    );
  }

  truth(source: DemoSource, key: string, type: DemoSubjectType, truthId: string): void {
    this.data.truth.push({ source, key, type, truthId });
  }
}

/** 1–4 directors, mostly one or two (mean ≈ 1.65; with sole proprietors the estate averages ≈ 1.5). */
function weightedCount(rng: Rng): number {
  const r = rng.next();
  return r < 0.5 ? 1 : r < 0.88 ? 2 : r < 0.97 ? 3 : 4;
}

// ---------------------------------------------------------------------------------------------------

export function generateDemo(options: GenerateOptions): DemoData {
  const traders = Math.max(2, Math.floor(options.traders));
  const b = new EstateBuilder(options.seed ?? DEFAULT_SEED, traders);
  const rng = b.rng;

  // --- the showcase -------------------------------------------------------------------------------
  const chanName: PersonName = { surnameEn: 'Chan', given: [syllable(MALE_SYLLABLES, '大'), syllable(MALE_SYLLABLES, '文')], western: null };
  const chan = b.newPerson(
    { surname: SURNAMES[0] as Surname, female: false, dob: SHOWCASE.person.dob, address: 'Flat 12A, 8/F, Block 3, Kwai Chung Plaza, 7 Kwai Foo Road, Kwai Chung, N.T.', oldAddress: null },
    { name: chanName, zh: SHOWCASE.person.nameZh, hkid: 'A1234563', phone: '91234567' },
  );
  const namesake = b.newPerson({ surname: SURNAMES[0] as Surname, female: false, dob: SHOWCASE.namesake.dob, oldAddress: null }, { name: chanName, zh: SHOWCASE.namesake.nameZh });
  const brother = b.newPerson({ surname: SURNAMES[0] as Surname, female: false, generation: syllable(MALE_SYLLABLES, '大'), address: chan.address, oldAddress: null, bornFrom: 1970, bornTo: 1980 });

  const taiMan = b.newCompany('company', { nameEn: SHOWCASE.company.nameEn, nameZh: SHOWCASE.company.nameZh, industry: INDUSTRIES[0] as Industry });
  taiMan.br = SHOWCASE.company.br;
  taiMan.address = 'Unit 1203, 12/F, Wing Hing Industrial Building, 14 Hung To Road, Kwun Tong, Kowloon';
  taiMan.oldAddress = null;
  taiMan.officers = [{ person: chan, role: 'director' }, { person: brother, role: 'director' }];
  const seafood = b.newCompany('sole_proprietor', { nameEn: NAMESAKE_FIRM.en, nameZh: NAMESAKE_FIRM.zh, industry: INDUSTRIES.find((i) => i.en === 'Seafood') as Industry });
  seafood.officers = [{ person: namesake, role: 'proprietor' }];
  b.companies.push(taiMan, seafood);

  chan.itdPersonId = b.itdPersonRow(chan, { name_en: 'CHAN Tai-man', name_zh: '陳大文', hkid: 'A123456(3)', dob: SHOWCASE.person.dob, phone: '9123 4567', address: chan.address });
  namesake.itdPersonId = b.itdPersonRow(namesake, { name_en: 'CHAN Tai Man', name_zh: '陳大文', hkid: hkidForm(namesake.hkid, 'brackets'), dob: SHOWCASE.namesake.dob });
  b.itdTrader(taiMan, { br_no: '12345678-000-01-24-5', name_en: SHOWCASE.company.nameEn, name_zh: SHOWCASE.company.nameZh, address: taiMan.address, aeo: false });
  b.itdTrader(seafood, { br_no: seafood.br, name_en: seafood.nameEn, name_zh: seafood.nameZh });
  const ab1234 = b.newVehicle(taiMan, SHOWCASE.vehicle.mark);
  ab1234.make = 'Isuzu';
  ab1234.drivers = [chan];
  b.itdVehicle(ab1234, { mark: SHOWCASE.vehicle.mark, make: ab1234.make });

  // --- the estate ---------------------------------------------------------------------------------
  for (let i = 2; i < traders; i++) {
    const company = b.randomTrader();
    b.companies.push(company);
    b.itdTrader(company);
    const vehicles = company.industry.haulier === true ? rng.between(1, 3) : rng.chance(0.06) ? 1 : rng.chance(0.03) ? 2 : 0;
    for (let v = 0; v < vehicles; v++) {
      const vehicle = b.newVehicle(company);
      b.assignDrivers(vehicle);
      b.itdVehicle(vehicle);
      if (company.industry.haulier === true) b.haulierVehicles.push(vehicle);
    }
  }
  if (b.haulierVehicles.length === 0) {
    // Tiny estates still need a haulier for traders without a lorry of their own.
    const haulier = b.randomTrader();
    haulier.industry = HAULIERS[0] as Industry;
    b.companies.push(haulier);
    b.itdTrader(haulier);
    const vehicle = b.newVehicle(haulier);
    b.assignDrivers(vehicle);
    b.itdVehicle(vehicle);
    b.haulierVehicles.push(vehicle);
  }
  const mainlandCount = Math.max(20, Math.ceil(traders / 20));
  for (let i = 0; i < mainlandCount; i++) b.mainland.push(b.mainlandCompany());

  b.forgetIssuedIdentifiers();

  // --- CIS ----------------------------------------------------------------------------------------
  const showcaseEntity = b.cisEntityRow({
    entity_type: 'person',
    name_en: 'Chan Taiman',
    name_zh: '陳大文',
    hkid: 'a1234563',
    br_no: null,
    vehicle_mark: null,
    dob: SHOWCASE.person.dob,
    phone: '91234567',
    address: chan.address,
  });
  chan.cisEntityId = showcaseEntity;
  b.cisReport({
    entity_id: showcaseEntity,
    kind: 'intelligence',
    summary: 'Informant reports CHAN Tai Man arranging undeclared cigarette shipments through Lok Ma Chau.',
    security_level: 1,
    case_no: null,
    informant: null,
    status: 'open',
    reported_at: '2025-11-03T10:20:00+08:00',
  }, 'person', chan.id);
  b.cisReport({
    entity_id: showcaseEntity,
    kind: 'investigation',
    summary: 'Suspected of under-declaring the value of electronics shipped by Tai Man Trading Company Limited through Lok Ma Chau Control Point.',
    security_level: 2,
    case_no: SHOWCASE.caseNo,
    informant: 'Source K-17',
    status: 'under investigation',
    reported_at: '2026-02-17T15:45:00+08:00',
  }, 'person', chan.id);

  // ~7% of traders are of interest, with some of their officers, lorries and drivers; plus a few
  // persons and vehicles on their own. Together ~10% of subjects have CIS reports.
  for (let i = 2; i < b.companies.length; i++) {
    const company = b.companies[i] as TruthCompany;
    if (!rng.chance(0.07)) continue;
    const caseNo = rng.chance(0.5) ? b.newCaseNo(rng.between(2016, 2026)) : null;
    const companyEntity = b.cisEntityFor({ kind: 'company', s: company }, caseNo);
    for (const { person, role } of company.officers) {
      if (!rng.chance(0.6)) continue;
      const personEntity = b.cisEntityFor({ kind: 'person', s: person }, rng.chance(0.7) ? caseNo : null);
      b.cisLink(personEntity, companyEntity, `${role}_of`);
    }
    for (const vehicle of company.vehicles) {
      if (!rng.chance(0.5)) continue;
      const vehicleEntity = b.cisEntityFor({ kind: 'vehicle', s: vehicle }, rng.chance(0.5) ? caseNo : null);
      b.cisLink(companyEntity, vehicleEntity, 'owner_of');
      for (const driver of vehicle.drivers) {
        if (!rng.chance(0.5)) continue;
        b.cisLink(b.cisEntityFor({ kind: 'person', s: driver }, null), vehicleEntity, 'driver_of');
      }
    }
  }
  const showcasePersons = new Set([chan, namesake, brother]);
  for (const person of b.persons) {
    if (person.cisEntityId === 0 && !showcasePersons.has(person) && rng.chance(0.05)) {
      b.cisEntityFor({ kind: 'person', s: person }, rng.chance(0.2) ? b.newCaseNo(rng.between(2016, 2026)) : null);
    }
  }
  for (const vehicle of b.vehicles) {
    if (vehicle.cisEntityId === 0 && vehicle !== ab1234 && rng.chance(0.04)) b.cisEntityFor({ kind: 'vehicle', s: vehicle }, null);
  }

  // --- ROCARS -------------------------------------------------------------------------------------
  const showcaseDriver: RocarsDriver = { name: 'CHAN TAI MAN', hkid: 'A1234563', phone: '9123 4567' };
  const showcaseShipper: RocarsParty = { name: 'TAI MAN TRADING COMPANY LIMITED', br: SHOWCASE.company.br };
  for (const [day, goodsIndex] of [[120, 0], [400, 2], [690, 1]] as const) {
    const consignee = b.mainland[day % b.mainland.length] as TruthCompany;
    const goods = GOODS[goodsIndex] as (typeof GOODS)[number];
    b.consignment(
      {
        vehicleMark: SHOWCASE.vehicle.mark,
        driver: showcaseDriver,
        shipper: showcaseShipper,
        consignee: b.partyForm(consignee),
        goods: goods.name,
        hsCode: goods.hsCode,
        valueHkd: goods.min * 2,
        origin: 'Hong Kong',
        destination: (consignee.city as MainlandCity).place,
      },
      day,
      { driver: chan, vehicle: ab1234, shipper: taiMan, consignee },
    );
  }
  for (let i = 1; i < b.companies.length; i++) {
    const trader = b.companies[i] as TruthCompany;
    const count = Math.round(-Math.log(1 - rng.next()) * 5);
    for (let c = 0; c < count; c++) b.randomConsignment(trader);
  }
  return b.data;
}

function syllable(pool: readonly Syllable[], zh: string): Syllable {
  return pool.find((s) => s.zh === zh) as Syllable;
}
