// Everything the engine needs from one record, normalised once: identifiers with their comparison
// keys, names in the forms the comparators use (romanised parses, Chinese characters), dates of birth,
// phones, addresses, and a content signature so identical records are compared once.
//
// The canonical record is lenient about shape: any identifier scheme; names as full strings or as
// family/given parts (attributes `familyName` + `givenName`); dates of birth under `dateOfBirth`,
// `dob` or `birthDate`; an address as one line (`address`) or as parts (`addressLine1`…, `district`).

import { recordRef, type Identifier, type SourceRecord, type SubjectType } from '../model/record.ts';
import { matchKey, normaliseIdentifier, passportParts, STRONG_SCHEMES, type NormalisedIdentifier } from './identifiers.ts';
import { normaliseAddress } from './normalise/address.ts';
import { normaliseDate } from './normalise/date.ts';
import { isHan, normaliseCompanyName, normalisePersonName, type Script } from './normalise/name.ts';
import { normalisePhone } from './normalise/phone.ts';
import { isSyllable } from './normalise/syllables.ts';

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
    const kind = script === undefined ? type : script === 'han' ? HAN_KIND[type] : LATIN_KIND[type];
    const cache = this.cacheOf(this.names, kind);
    let value = cache.get(raw);
    if (value === undefined) value = this.store(cache, raw, normaliseName(type, raw.trim(), script));
    return value;
  }

  attribute(field: string, value: string): NormalisedAttribute {
    const cache = this.cacheOf(this.attributes, field);
    let out = cache.get(value);
    if (out === undefined) out = this.store(cache, value, normaliseAttribute(field, value));
    return out;
  }

  identifier(id: Identifier): NormalisedIdentifier {
    const cache = this.cacheOf(this.identifiers, id.scheme);
    let out = cache.get(id.value);
    if (out === undefined) out = this.store(cache, id.value, normaliseIdentifier(id));
    return out;
  }

  private cacheOf<T>(caches: Map<string, Map<string, T>>, kind: string): Map<string, T> {
    let cache = caches.get(kind);
    if (!cache) caches.set(kind, (cache = new Map()));
    return cache;
  }

  private store<T>(cache: Map<string, T>, raw: string, value: T): T {
    if (cache.size >= this.max) cache.clear();
    cache.set(raw, value);
    return value;
  }
}

const HAN_KIND: Record<SubjectType, string> = { person: 'person/han', company: 'company/han', vehicle: 'vehicle/han' };
const LATIN_KIND: Record<SubjectType, string> = { person: 'person/latin', company: 'company/latin', vehicle: 'vehicle/latin' };

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

// Per field name, what prepare does with it (regular expressions and list look-ups, once per name).
interface FieldKind {
  addressPart: boolean;
  family: boolean;
  given: boolean;
  canonical: string;
}
const fieldKinds = new Map<string, FieldKind>();
function fieldKind(field: string): FieldKind {
  let kind = fieldKinds.get(field);
  if (!kind) {
    kind = { addressPart: ADDRESS_PARTS.test(field), family: FAMILY_FIELDS.includes(field), given: GIVEN_FIELDS.includes(field), canonical: DOB_FIELDS.includes(field) ? 'dateOfBirth' : field };
    if (fieldKinds.size < 10_000) fieldKinds.set(field, kind);
  }
  return kind;
}

// Per normalised identifier (immutable, shared through the normaliser's cache): its comparable forms
// and its part of the content signature, worked out once.
interface IdForms {
  namespace: string;
  value: string;
  /** matchKey(id). */
  key: string;
  weak: ComparableId;
  strong: ComparableId;
  /** Per subject type: the StrongId when the scheme is strong. */
  strongIds: Map<SubjectType, StrongId>;
  hash: PartHash;
}
const idForms = new WeakMap<NormalisedIdentifier, IdForms>();
/** The signature part of each comparable identifier made below. */
const idHashes = new WeakMap<ComparableId, PartHash>();
function formsOf(id: NormalisedIdentifier): IdForms {
  let f = idForms.get(id);
  if (!f) {
    const key = matchKey(id);
    const colon = key.indexOf(':');
    const namespace = key.slice(0, colon);
    const value = key.slice(colon + 1);
    const weak: ComparableId = { scheme: id.scheme, namespace, value, valid: id.valid, strong: false };
    if (id.scheme === 'hkid' && /^[A-Z]{1,2}\d{6}[0-9A]$/.test(id.value)) weak.body = id.value.slice(0, -1);
    if (id.scheme === 'passport') {
      const country = passportParts(id.value).country;
      if (country) weak.country = country;
    }
    const strong: ComparableId = { ...weak, strong: true };
    const hash = partHash(id.scheme + ':' + value + (id.valid ? '' : '!') + (weak.country ?? ''));
    idHashes.set(weak, hash);
    idHashes.set(strong, hash);
    f = { namespace, value, key, weak, strong, strongIds: new Map(), hash };
    idForms.set(id, f);
  }
  return f;
}

function strongIdOf(f: IdForms, id: NormalisedIdentifier, type: SubjectType): StrongId {
  let s = f.strongIds.get(type);
  if (!s) f.strongIds.set(type, (s = { id, key: `${type}|${f.key}`, namespace: f.namespace, value: f.value }));
  return s;
}

/** A record as the engine sees it; `support` is derived from dates, phones and addresses on demand. */
class PreparedRecord implements Prepared {
  record: SourceRecord;
  ref: string;
  type: SubjectType;
  identifiers: NormalisedIdentifier[];
  strong: StrongId[];
  ids: ComparableId[];
  names: PreparedName[];
  attributes: PreparedAttribute[];
  dobs: string[];
  phones: string[];
  addresses: string[];
  nameKey: string;
  signature: string;
  private supportMap: Map<SupportField, Set<string>> | undefined;

  constructor(
    record: SourceRecord,
    identifiers: NormalisedIdentifier[],
    strong: StrongId[],
    ids: ComparableId[],
    names: PreparedName[],
    attributes: PreparedAttribute[],
    dobs: string[],
    phones: string[],
    addresses: string[],
  ) {
    this.record = record;
    this.ref = recordRef(record);
    this.type = record.type;
    this.identifiers = identifiers;
    this.strong = strong;
    this.ids = ids;
    this.names = names;
    this.attributes = attributes;
    this.dobs = dobs;
    this.phones = phones;
    this.addresses = addresses;
    let nameKey = '';
    for (const n of names) {
      if (n.script === 'latin') {
        nameKey = n.key;
        break;
      }
    }
    this.nameKey = nameKey || (names[0]?.key ?? '');
    this.signature = '';
    this.supportMap = undefined;
  }

  get support(): Map<SupportField, Set<string>> {
    if (!this.supportMap) {
      const m = new Map<SupportField, Set<string>>();
      if (this.dobs.length > 0) m.set('dateOfBirth', new Set(this.dobs));
      if (this.phones.length > 0) m.set('phone', new Set(this.phones));
      if (this.addresses.length > 0) m.set('address', new Set(this.addresses));
      this.supportMap = m;
    }
    return this.supportMap;
  }

  set support(value: Map<SupportField, Set<string>>) {
    this.supportMap = value;
  }
}

// Lists a record does not have share one empty array (frozen: nothing may add to it).
const NONE = Object.freeze([]) as unknown as never[];

export function prepare(record: SourceRecord, normaliser: Normaliser, options: PrepareOptions = {}): Prepared {
  const type = record.type;
  const strongSchemes = STRONG_SCHEMES[type];
  const extraStrong = options.strongSchemes?.[type];
  // Lists are made at their first element ([x] is allocated at its size; [] grows to 17 on a push).
  let strong: StrongId[] = NONE;
  let ids: ComparableId[] = NONE;
  let phones: string[] = NONE;
  const rawIds = record.identifiers;
  const identifiers: NormalisedIdentifier[] = rawIds.length === 0 ? NONE : new Array(rawIds.length);
  for (let k = 0; k < rawIds.length; k++) {
    const id = normaliser.identifier(rawIds[k] as Identifier);
    identifiers[k] = id;
    if (id.scheme === 'phone') {
      if (id.valid) {
        if (phones === NONE) phones = [id.value];
        else if (!phones.includes(id.value)) phones.push(id.value);
      }
      continue;
    }
    const isStrong = strongSchemes.includes(id.scheme) || (extraStrong?.includes(id.scheme) ?? false);
    const f = formsOf(id);
    if (ids === NONE) ids = [isStrong ? f.strong : f.weak];
    else {
      let known = false;
      for (const x of ids) if (x.namespace === f.namespace && x.value === f.value) known = true;
      if (!known) ids.push(isStrong ? f.strong : f.weak);
    }
    if (id.valid && isStrong) {
      const sid = strongIdOf(f, id, type);
      if (strong === NONE) strong = [sid];
      else strong.push(sid);
    }
  }

  let attributes: PreparedAttribute[] = NONE;
  let dobs: string[] = NONE;
  let addresses: string[] = NONE;
  let addressParts: string[] | undefined;
  let family: string | undefined;
  let givenPart: string | undefined;
  const attrs = record.attributes;
  for (const field in attrs) {
    if (!Object.hasOwn(attrs, field)) continue;
    const raw = attrs[field];
    const original = typeof raw === 'string' ? raw.trim() : String(raw ?? '').trim();
    if (!original) continue;
    const kind = fieldKind(field);
    if (kind.addressPart) (addressParts ??= []).push(original);
    if (kind.family) family = original;
    if (kind.given) givenPart = original;
    const canonical = kind.canonical;
    const { normalised, supporting } = normaliser.attribute(canonical, original);
    const entry = { field, original, normalised };
    if (attributes === NONE) attributes = [entry];
    else attributes.push(entry);
    if (!supporting) continue;
    if (canonical === 'dateOfBirth') {
      if (dobs === NONE) dobs = [normalised];
      else if (!dobs.includes(normalised)) dobs.push(normalised);
    } else if (canonical === 'phone') {
      if (phones === NONE) phones = [normalised];
      else if (!phones.includes(normalised)) phones.push(normalised);
    } else if (canonical === 'address') {
      if (addresses === NONE) addresses = [normalised];
      else if (!addresses.includes(normalised)) addresses.push(normalised);
    }
  }
  if (addresses.length === 0 && addressParts) {
    const line = normaliseAddress(addressParts.join(', '));
    if (line) addresses = [line];
  }

  let names: PreparedName[] = NONE;
  for (const n of record.names) {
    if (!n.value.trim()) continue;
    const name = normaliser.name(type, n.value, n.script);
    if (names === NONE) names = [name];
    else names.push(name);
  }
  if (family && type === 'person') {
    // Family and given parts: the comma form marks the surname whatever the case.
    const whole = givenPart ? `${family}, ${givenPart}` : family;
    const han = isHan(whole);
    const name = normaliser.name('person', han ? family + (givenPart ?? '') : whole, han ? 'han' : 'latin');
    if (names === NONE) names = [name];
    else names.push(name);
  }

  const prepared = new PreparedRecord(record, identifiers, strong, ids, names, attributes, dobs, phones, addresses);
  prepared.signature = signatureOf(prepared);
  return prepared;
}

/** Two 32-bit hashes of one part of a record's content (a name as written, an identifier). */
interface PartHash {
  h1: number;
  h2: number;
}

function partHash(s: string): PartHash {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return { h1: h1 >>> 0, h2: h2 >>> 0 };
}

// Names are interned by the normaliser: their part hashes are worked out once per spelling.
const nameHashes = new WeakMap<PreparedName, PartHash>();
function nameHash(n: PreparedName): PartHash {
  let h = nameHashes.get(n);
  if (!h) nameHashes.set(n, (h = partHash(n.script + n.original)));
  return h;
}

/** Folds one part's hashes into the running pair; `tag` separates the kinds of part. */
class SignatureHasher {
  h1 = 0x811c9dc5;
  h2 = 0x9747b28c;
  part(a: number, b: number, tag: number): void {
    this.h1 = Math.imul(this.h1 ^ a, 0x01000193) ^ tag;
    this.h1 = Math.imul(this.h1 ^ (this.h1 >>> 13), 0x85ebca6b);
    this.h2 = Math.imul(this.h2 ^ b, 0x5bd1e995) ^ tag;
    this.h2 ^= this.h2 >>> 15;
  }
  string(s: string, tag: number): void {
    // Short normalised values (dates, phones, addresses): hashed as they come.
    let a = 0x811c9dc5;
    let b = 0x9747b28c;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    this.part(a, b, tag);
  }
}

// Signatures are written as five characters of 13 bits each (65 ≥ 64 bits), offset into a block of
// ordinary BMP characters so no surrogate halves appear: a short key, cheap to make and to look up.
const SIG_BASE = 0x4e00;

/**
 * Comparable content (names as written, everything else normalised) hashed to 64 bits: records with
 * equal signatures are compared once. Built from per-part hashes (cached on the interned names and
 * identifiers), so a record costs a few multiplications rather than a pass over its serialised content.
 * A collision (about one in 10^7 at a million distinct contents) is negligible.
 */
function signatureOf(p: Prepared): string {
  const h = new SignatureHasher();
  h.string(p.type, 1);
  for (const n of p.names) {
    const nh = nameHash(n);
    h.part(nh.h1, nh.h2, 2);
  }
  for (const id of p.ids) {
    const ih = idHashes.get(id) ?? partHash(id.scheme + ':' + id.value + (id.valid ? '' : '!') + (id.country ?? ''));
    h.part(ih.h1, ih.h2, 3);
  }
  for (const d of p.dobs) h.string(d, 4);
  for (const x of p.phones) h.string(x, 5);
  for (const a of p.addresses) h.string(a, 6);
  // Counts per kind, so parts cannot slide from one kind to the next.
  h.part(p.names.length, p.ids.length, 7);
  h.part(p.dobs.length * 65536 + p.phones.length, p.addresses.length, 8);
  const a = h.h1 >>> 0;
  const b = h.h2 >>> 0;
  return String.fromCharCode(
    SIG_BASE + (a & 0x1fff),
    SIG_BASE + ((a >>> 13) & 0x1fff),
    SIG_BASE + (((a >>> 26) | (b << 6)) & 0x1fff),
    SIG_BASE + ((b >>> 7) & 0x1fff),
    SIG_BASE + ((b >>> 20) & 0x1fff),
  );
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
