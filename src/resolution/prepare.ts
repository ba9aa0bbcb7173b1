// Everything the engine needs from one record, normalised once: identifiers with their comparison
// keys, names in the forms the comparators use (romanised parses, Chinese characters), dates of birth,
// phones, addresses, and a content signature so identical records are compared once.
//
// The canonical record is lenient about shape: any identifier scheme; names as full strings or as
// family/given parts (attributes `familyName` + `givenName`); dates of birth under `dateOfBirth`,
// `dob` or `birthDate`; an address as one line (`address`) or as parts (`addressLine1`…, `district`).

import type { Identifier, SourceRecord, SubjectType } from '../model/record.ts';
import { matchKey, normaliseIdentifier, passportParts, STRONG_SCHEMES, type NormalisedIdentifier } from './identifiers.ts';
import { normaliseAddress } from './normalise/address.ts';
import { normaliseDate } from './normalise/date.ts';
import { isHan, normaliseCompanyName, normalisePersonName, type Script } from './normalise/name.ts';
import { normalisePhone } from './normalise/phone.ts';
import { isSyllable } from './normalise/syllables.ts';
import { addTo } from './util.ts';

export const SUPPORT_FIELDS = ['dateOfBirth', 'phone', 'address'] as const;
export type SupportField = (typeof SUPPORT_FIELDS)[number];

export interface StrongId {
  id: NormalisedIdentifier;
  /** `type|namespace:value` (see matchKey): records with equal keys are one subject. */
  key: string;
  namespace: string;
  value: string;
}

/** One reading of a person's name: a surname and the given-name syllables in written order. */
export interface NameParse {
  surname: string;
  given: string[];
  /** Given names joined without spaces (typo comparison). */
  joined: string;
  /** Some given token is not a known syllable: a typo, or a Western name. */
  odd: boolean;
}

export interface PersonForm {
  script: Script;
  /** Latin: the written reading first, then alternatives. Han: one parse of characters. */
  parses: NameParse[];
  /** Given tokens that are not Cantonese syllables (Peter, Anson). */
  western: string[];
}

export interface CompanyForm {
  script: Script;
  /** Distinctive words (legal forms and generic trade words dropped), as in normaliseCompanyName. */
  key: string;
  compact: string;
  /**
   * Legal form as written: `ltd` (a limited company), `co` (Company / Co. without Limited: a sole
   * proprietorship or partnership), `` when not written. `X Trading Company` and `X Trading Limited`
   * are two businesses.
   */
  legal: 'ltd' | 'co' | '';
  /**
   * The whole registered name, legal form spelled one way (`CO LTD`, `LTD`, `CO`), `(HK)` as
   * HONGKONG: two spellings of one registered name have equal `full`. Generic words such as TRADING
   * stay: `Crown Trading Ltd` and `Crown Enterprises Ltd` are two companies.
   */
  full: string;
}

export interface PreparedName {
  original: string;
  script: Script;
  /** Comparison key: names with equal keys are the same name. */
  key: string;
  /** Persons: `CHAN Tai Man`. */
  formatted?: string;
  surname?: string;
  /** Strong enough to merge on: a person's surname and a given name (2+ Han characters); any company key. */
  mergeable: boolean;
  person?: PersonForm;
  company?: CompanyForm;
}

export interface PreparedAttribute {
  field: string;
  original: string;
  normalised: string;
}

/** An identifier as compared: namespace (cr for BR dummies), value, and the HKID body for typos. */
export interface ComparableId {
  scheme: string;
  namespace: string;
  value: string;
  valid: boolean;
  strong: boolean;
  /** HKID/BR without its last character: equal bodies with one invalid check mean a slip. */
  body?: string;
  country?: string;
}

export interface Prepared {
  record: SourceRecord;
  /** `source:key`. */
  ref: string;
  type: SubjectType;
  identifiers: NormalisedIdentifier[];
  /** Valid identifiers of the strong schemes for the record's type. */
  strong: StrongId[];
  ids: ComparableId[];
  names: PreparedName[];
  attributes: PreparedAttribute[];
  /** Normalised supporting attributes; phone identifiers count as phones. */
  support: Map<SupportField, Set<string>>;
  dobs: string[];
  phones: string[];
  addresses: string[];
  /** The first latin name key, else the first name key: "who" for term frequencies. */
  nameKey: string;
  /** Equal signatures = equal comparable content. */
  signature: string;
}

/**
 * Normalises names, attributes and identifiers behind a bounded cache shared by every search: the same
 * spellings arrive from many sources and again in the next search, and normalising a romanised name
 * (syllable segmentation) costs far more than a lookup. Values are immutable once made.
 */
export class Normaliser {
  // One plain Map per kind, keyed by the raw text: a lookup builds no key string. A map that reaches
  // its bound starts afresh — cheaper on the hot path than LRU bookkeeping, and the working set of a
  // busy hour refills it within a few searches.
  private readonly names = new Map<string, Map<string, PreparedName>>();
  private readonly attributes = new Map<string, Map<string, NormalisedAttribute>>();
  private readonly identifiers = new Map<string, Map<string, NormalisedIdentifier>>();
  private readonly max: number;

  constructor(maxPerKind = 50_000) {
    this.max = maxPerKind;
  }

  name(type: SubjectType, raw: string, script?: Script): PreparedName {
    return this.cached(this.names, script === undefined ? type : script === 'han' ? `${type}/han` : `${type}/latin`, raw, () =>
      normaliseName(type, raw.trim(), script),
    );
  }

  attribute(field: string, value: string): NormalisedAttribute {
    return this.cached(this.attributes, field, value, () => normaliseAttribute(field, value));
  }

  identifier(id: Identifier): NormalisedIdentifier {
    return this.cached(this.identifiers, id.scheme, id.value, () => normaliseIdentifier(id));
  }

  private cached<T>(caches: Map<string, Map<string, T>>, kind: string, raw: string, make: () => T): T {
    let cache = caches.get(kind);
    if (!cache) caches.set(kind, (cache = new Map()));
    let value = cache.get(raw);
    if (value === undefined) {
      if (cache.size >= this.max) cache.clear();
      value = make();
      cache.set(raw, value);
    }
    return value;
  }
}

/** The process-wide normaliser every online merge shares. */
export const sharedNormaliser = new Normaliser();

function parse(surname: string, given: string[]): NameParse {
  return { surname, given, joined: given.join(''), odd: given.some((g) => !isSyllable(g)) };
}

function normaliseName(type: SubjectType, original: string, given?: Script): PreparedName {
  const script = given ?? (isHan(original) ? 'han' : 'latin');
  if (type === 'person') {
    const n = normalisePersonName(original);
    const formatted = [n.surname ?? '', ...n.given.map((g) => (n.script === 'han' ? g : g.charAt(0) + g.slice(1).toLowerCase()))]
      .filter(Boolean)
      .join(n.script === 'han' ? '' : ' ');
    let person: PersonForm | undefined;
    if (n.script === 'han') {
      if (n.surname) person = { script: 'han', parses: [parse(n.surname, n.given)], western: [] };
    } else if (n.surname) {
      const split = (g: string[]) => {
        const syllables = g.filter((t) => isSyllable(t));
        // Tokens that are not syllables: a Western name (PETER) when long and vowel-rich, else a typo
        // of a syllable run (TAIMNA); typos stay in the given names so they can be compared.
        const western = g.filter((t) => !isSyllable(t) && looksWestern(t));
        return { given: g.filter((t) => !western.includes(t) || syllables.length === 0), western };
      };
      const main = split(n.given);
      const parses = [parse(n.surname, main.given)];
      for (const alt of n.alternatives ?? []) parses.push(parse(alt.surname, split(alt.given).given));
      person = { script: 'latin', parses, western: main.western };
    }
    return {
      original,
      script,
      key: n.key,
      formatted,
      ...(n.surname ? { surname: n.surname } : {}),
      mergeable: n.script === 'han' ? n.tokens.length >= 2 : n.given.length > 0,
      ...(person ? { person } : {}),
    };
  }
  if (type === 'company') {
    const c = normaliseCompanyName(original);
    const company: CompanyForm | undefined = c.key ? { script: c.script, key: c.key, compact: c.compact[0] ?? '', ...companyForm(original, c.script) } : undefined;
    return { original, script, key: c.key, mergeable: c.key !== '', ...(company ? { company } : {}) };
  }
  // Vehicles are merged on marks only; their names (make, model) are compared as written.
  return { original, script, key: original.replace(/\s+/g, ' ').toUpperCase(), mergeable: false };
}

function companyForm(original: string, script: Script): Pick<CompanyForm, 'legal' | 'full'> {
  if (script === 'han') {
    const legal = /有限公司$/.test(original) ? 'ltd' : /公司$/.test(original) ? 'co' : '';
    return { legal, full: original.replace(/[\s\p{P}]/gu, '') };
  }
  const words = original
    .normalize('NFKD')
    .toUpperCase()
    .replace(/&/g, ' AND ')
    .replace(/\bH\.\s*K\.?/g, 'HK')
    .replace(/['’.]/g, '')
    .replace(/\bHONG\s+KONG\b|\bHK\b/g, 'HONGKONG')
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
  let legal: CompanyForm['legal'] = '';
  const last = words.at(-1);
  if (last === 'LIMITED' || last === 'LTD') {
    words.pop();
    legal = 'ltd';
    const before = words.at(-1);
    if (before === 'COMPANY' || before === 'CO') {
      words.pop();
      words.push('CO');
    }
    words.push('LTD');
  } else if (last === 'COMPANY' || last === 'CO') {
    words.pop();
    words.push('CO');
    legal = 'co';
  }
  return { legal, full: words.join(' ') };
}

// Western given names Hong Kong people add (Peter CHAN Tai-man). Any other token that is not a
// Cantonese syllable is kept as given and marks the name `odd` (a typo such as TAIMNA, or an unlisted
// Western name), which lets the comparator try a spelling-distance match.
const COMMON_WESTERN = new Set([
  'PETER', 'JOHN', 'DAVID', 'MICHAEL', 'PAUL', 'PATRICK', 'KELVIN', 'KEVIN', 'ERIC', 'TONY', 'ANDY', 'JASON', 'RAYMOND',
  'ALAN', 'ALEX', 'SAMUEL', 'VINCENT', 'WILLIAM', 'STEPHEN', 'ANSON', 'KENNETH', 'WILSON', 'TERENCE', 'GORDON', 'HENRY',
  'MARY', 'ANNA', 'JOYCE', 'CHRISTINE', 'KAREN', 'CATHERINE', 'GRACE', 'JENNY', 'CANDY', 'WINNIE', 'IVY', 'MAGGIE',
  'CHERRY', 'VIVIAN', 'HELEN', 'GLORIA', 'IRENE', 'SALLY', 'TERESA', 'ANGELA', 'AMY', 'ELAINE', 'JOE', 'KEN', 'SIMON',
  'THOMAS', 'JAMES', 'RICKY', 'DANIEL', 'BEN', 'CINDY', 'CARMEN', 'QUEENIE', 'PHOEBE', 'FIONA', 'JACKY', 'EDMUND',
]);
function looksWestern(token: string): boolean {
  return COMMON_WESTERN.has(token);
}

export interface PrepareOptions {
  /** Extra schemes a source declared strong, per subject type. */
  strongSchemes?: Partial<Record<SubjectType, readonly string[]>>;
}

const DOB_FIELDS = ['dateOfBirth', 'dob', 'birthDate', 'date_of_birth'];
const ADDRESS_PARTS = /^(address[\s_-]?(line)?[\s_-]?\d|flat|floor|block|building|street|district|area|region|city)$/i;
const FAMILY_FIELDS = ['familyName', 'family_name', 'surname', 'lastName'];
const GIVEN_FIELDS = ['givenName', 'givenNames', 'given_name', 'firstName'];

export function prepare(record: SourceRecord, normaliser: Normaliser, options: PrepareOptions = {}): Prepared {
  const identifiers = record.identifiers.map((id) => normaliser.identifier(id));
  const strongSchemes = STRONG_SCHEMES[record.type];
  const extraStrong = options.strongSchemes?.[record.type];
  const strong: StrongId[] = [];
  const ids: ComparableId[] = [];
  const phones = new Set<string>();
  for (const id of identifiers) {
    if (id.scheme === 'phone') {
      if (id.valid) phones.add(id.value);
      continue;
    }
    const isStrong = strongSchemes.includes(id.scheme) || (extraStrong?.includes(id.scheme) ?? false);
    const key = matchKey(id);
    const colon = key.indexOf(':');
    const namespace = key.slice(0, colon);
    const value = key.slice(colon + 1);
    const comparable: ComparableId = { scheme: id.scheme, namespace, value, valid: id.valid, strong: isStrong };
    if (id.scheme === 'hkid' && /^[A-Z]{1,2}\d{6}[0-9A]$/.test(id.value)) comparable.body = id.value.slice(0, -1);
    if (id.scheme === 'passport') {
      const country = passportParts(id.value).country;
      if (country) comparable.country = country;
    }
    if (!ids.some((x) => x.namespace === namespace && x.value === value)) ids.push(comparable);
    if (id.valid && isStrong) strong.push({ id, key: `${record.type}|${key}`, namespace, value });
  }

  const attributes: PreparedAttribute[] = [];
  const support = new Map<SupportField, Set<string>>();
  const dobs = new Set<string>();
  const addresses = new Set<string>();
  let addressParts: string[] | undefined;
  let family: string | undefined;
  let givenPart: string | undefined;
  for (const [field, raw] of Object.entries(record.attributes)) {
    const original = String(raw ?? '').trim();
    if (!original) continue;
    if (ADDRESS_PARTS.test(field)) (addressParts ??= []).push(original);
    if (FAMILY_FIELDS.includes(field)) family = original;
    if (GIVEN_FIELDS.includes(field)) givenPart = original;
    const canonical = DOB_FIELDS.includes(field) ? 'dateOfBirth' : field;
    const { normalised, supporting } = normaliser.attribute(canonical, original);
    attributes.push({ field, original, normalised });
    if (!supporting) continue;
    addTo(support, canonical as SupportField, normalised);
    if (canonical === 'dateOfBirth') dobs.add(normalised);
    else if (canonical === 'phone') phones.add(normalised);
    else if (canonical === 'address') addresses.add(normalised);
  }
  if (addresses.size === 0 && addressParts) {
    const line = normaliseAddress(addressParts.join(', '));
    if (line) {
      addresses.add(line);
      addTo(support, 'address', line);
    }
  }
  for (const p of phones) addTo(support, 'phone', p);

  const names = record.names.filter((n) => n.value.trim()).map((n) => normaliser.name(record.type, n.value, n.script));
  if (family && record.type === 'person') {
    // Family and given parts: the comma form marks the surname whatever the case.
    const whole = givenPart ? `${family}, ${givenPart}` : family;
    const han = isHan(whole);
    names.push(normaliser.name('person', han ? family + (givenPart ?? '') : whole, han ? 'han' : 'latin'));
  }

  const latin = names.find((n) => n.script === 'latin');
  const prepared: Prepared = {
    record,
    ref: `${record.source}:${record.key}`,
    type: record.type,
    identifiers,
    strong,
    ids,
    names,
    attributes,
    support,
    dobs: [...dobs],
    phones: [...phones],
    addresses: [...addresses],
    nameKey: (latin ?? names[0])?.key ?? '',
    signature: '',
  };
  prepared.signature = signatureOf(prepared);
  return prepared;
}

/**
 * Comparable content (names as written, everything else normalised) hashed to 64 bits: records with
 * equal signatures are compared once. Two 32-bit hashes, so a million records fit in memory and a
 * collision (about one in 10^7 at a million distinct contents) is negligible.
 */
function signatureOf(p: Prepared): string {
  const s = contentOf(p);
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return (h1 >>> 0).toString(36) + '.' + (h2 >>> 0).toString(36) + '.' + s.length.toString(36);
}

function contentOf(p: Prepared): string {
  let s: string = p.type;
  for (const n of p.names) s += '\u0001' + n.script + n.original;
  s += '\u0002';
  for (const i of p.ids) s += '\u0001' + i.scheme + ':' + i.value + (i.valid ? '' : '!') + (i.country ?? '');
  s += '\u0002' + p.dobs.join('\u0001') + '\u0002' + p.phones.join('\u0001') + '\u0002' + p.addresses.join('\u0001');
  return s;
}

interface NormalisedAttribute {
  normalised: string;
  /** The value may support a name match: a real date, a valid phone, an address. */
  supporting: boolean;
}

function normaliseAttribute(field: string, value: string): NormalisedAttribute {
  if (field === 'dateOfBirth') {
    const date = normaliseDate(value);
    return { normalised: date ?? value, supporting: date !== null };
  }
  if (field === 'phone') {
    const phone = normalisePhone(value);
    return { normalised: phone?.value ?? value, supporting: phone?.valid ?? false };
  }
  if (field === 'address') {
    const address = normaliseAddress(value);
    return { normalised: address ?? value, supporting: address !== null };
  }
  return { normalised: value.replace(/\s+/g, ' ').toUpperCase(), supporting: false };
}
