// Everything merging needs from one record, normalised once per search: identifiers, names with
// their comparison keys, attributes, and the values the merge rules block on.

import type { Identifier, SourceRecord, SubjectType } from '../model/record.ts';
import { matchKey, normaliseIdentifier, STRONG_SCHEMES, type NormalisedIdentifier } from './identifiers.ts';
import { normaliseAddress } from './normalise/address.ts';
import { normaliseDate } from './normalise/date.ts';
import { isHan, normaliseCompanyName, normalisePersonName, type Script } from './normalise/name.ts';
import { normalisePhone } from './normalise/phone.ts';
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
}

export interface PreparedAttribute {
  field: string;
  original: string;
  normalised: string;
}

export interface Prepared {
  record: SourceRecord;
  /** `source:key`. */
  ref: string;
  identifiers: NormalisedIdentifier[];
  /** Valid identifiers of the strong schemes for the record's type. */
  strong: StrongId[];
  names: PreparedName[];
  attributes: PreparedAttribute[];
  /** Normalised supporting attributes; phone identifiers count as phones. */
  support: Map<SupportField, Set<string>>;
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

function normaliseName(type: SubjectType, original: string, given?: Script): PreparedName {
  const script = given ?? (isHan(original) ? 'han' : 'latin');
  if (type === 'person') {
    const n = normalisePersonName(original);
    const formatted = [n.surname ?? '', ...n.given.map((g) => (n.script === 'han' ? g : g.charAt(0) + g.slice(1).toLowerCase()))]
      .filter(Boolean)
      .join(n.script === 'han' ? '' : ' ');
    return {
      original,
      script,
      key: n.key,
      formatted,
      ...(n.surname ? { surname: n.surname } : {}),
      mergeable: n.script === 'han' ? n.tokens.length >= 2 : n.given.length > 0,
    };
  }
  if (type === 'company') {
    const key = normaliseCompanyName(original).key;
    return { original, script, key, mergeable: key !== '' };
  }
  // Vehicles are merged on marks only; their names (make, model) are compared as written.
  return { original, script, key: original.replace(/\s+/g, ' ').toUpperCase(), mergeable: false };
}

export function prepare(record: SourceRecord, normaliser: Normaliser): Prepared {
  const identifiers = record.identifiers.map((id) => normaliser.identifier(id));
  const strongSchemes = STRONG_SCHEMES[record.type];
  const strong: StrongId[] = [];
  for (const id of identifiers) {
    if (!id.valid || !strongSchemes.includes(id.scheme)) continue;
    const key = matchKey(id);
    const colon = key.indexOf(':');
    strong.push({ id, key: `${record.type}|${key}`, namespace: key.slice(0, colon), value: key.slice(colon + 1) });
  }

  const attributes: PreparedAttribute[] = [];
  const support = new Map<SupportField, Set<string>>();
  for (const [field, raw] of Object.entries(record.attributes)) {
    const original = String(raw ?? '').trim();
    if (!original) continue;
    const { normalised, supporting } = normaliser.attribute(field, original);
    attributes.push({ field, original, normalised });
    if (supporting) addTo(support, field as SupportField, normalised);
  }
  for (const id of identifiers) if (id.scheme === 'phone' && id.valid) addTo(support, 'phone', id.value);

  return {
    record,
    ref: `${record.source}:${record.key}`,
    identifiers,
    strong,
    names: record.names.filter((n) => n.value.trim()).map((n) => normaliser.name(record.type, n.value, n.script)),
    attributes,
    support,
  };
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

