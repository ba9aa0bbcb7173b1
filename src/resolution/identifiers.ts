// One entry point for identifier normalisation, and which schemes are strong enough to merge on.

import type { Identifier, SubjectType } from '../model/record.ts';
import { normaliseBr, normaliseCr } from './normalise/br.ts';
import { normaliseHkid, type NormalisedValue } from './normalise/hkid.ts';
import { normalisePhone } from './normalise/phone.ts';
import { normaliseVehicleMark, vehicleMatchKey } from './normalise/vehicle.ts';

export interface NormalisedIdentifier {
  scheme: string;
  value: string;
  valid: boolean;
}

/** Identifiers that on their own make two records of a type one subject. */
export const STRONG_SCHEMES: Record<SubjectType, readonly string[]> = {
  person: ['hkid', 'passport'],
  company: ['br', 'cr'],
  vehicle: ['vehicle_mark'],
};

const NORMALISERS: Record<string, (raw: string) => NormalisedValue | null> = {
  hkid: normaliseHkid,
  br: normaliseBr,
  cr: normaliseCr,
  vehicle_mark: normaliseVehicleMark,
  phone: normalisePhone,
  passport: normalisePassport,
};

/** Known schemes are validated; a value of the wrong shape is kept (upper case, trimmed) as invalid. */
export function normaliseIdentifier(id: Identifier): NormalisedIdentifier {
  const scheme = id.scheme.trim().toLowerCase();
  const normaliser = NORMALISERS[scheme];
  const fallback = id.value.trim().toUpperCase();
  if (!normaliser) return { scheme, value: fallback, valid: true };
  return { scheme, ...(normaliser(id.value) ?? { value: fallback, valid: false }) };
}

/**
 * The value two identifiers are compared on, prefixed with its namespace. A BR value in the `C0012345`
 * form is the dummy derived from an old company number, so it shares the `cr` namespace; vehicle marks
 * compare on their I/O-folded key.
 */
export function matchKey(id: NormalisedIdentifier): string {
  if (id.scheme === 'br' && id.value.startsWith('C')) return 'cr:' + id.value;
  if (id.scheme === 'vehicle_mark') return 'vehicle_mark:' + vehicleMatchKey(id.value);
  // Passports are matched on the number; the issuing country, when given, is compared separately.
  if (id.scheme === 'passport') return 'passport:' + passportParts(id.value).number;
  return id.scheme + ':' + id.value;
}

// ISO 3166 alpha-3 codes a passport value may be prefixed with (`CHN:E12345678`, `GBR 123456789`).
const COUNTRIES = new Set([
  'CHN', 'HKG', 'MAC', 'TWN', 'GBR', 'USA', 'CAN', 'AUS', 'NZL', 'PHL', 'IDN', 'IND', 'PAK', 'NPL', 'THA',
  'VNM', 'MYS', 'SGP', 'JPN', 'KOR', 'FRA', 'DEU', 'BGD', 'LKA', 'MMR', 'KHM', 'ITA', 'ESP', 'NLD', 'RUS',
]);

/** A passport value as `CCC:NUMBER` when the country is known, else the number alone. */
function normalisePassport(raw: string): NormalisedValue {
  const text = raw.trim().toUpperCase();
  const prefix = /^([A-Z]{3})\s*[:/\s]\s*(.+)$/.exec(text);
  const suffix = /^(.+?)\s*\(([A-Z]{3})\)$/.exec(text);
  let country: string | undefined;
  let rest = text;
  if (prefix?.[1] && COUNTRIES.has(prefix[1])) [country, rest] = [prefix[1], prefix[2] ?? ''];
  else if (suffix?.[2] && COUNTRIES.has(suffix[2])) [country, rest] = [suffix[2], suffix[1] ?? ''];
  const number = rest.replace(/[\s-]+/g, '');
  const valid = /^[A-Z0-9]{5,12}$/.test(number);
  return { value: country ? `${country}:${number}` : number, valid };
}

/** `CHN:E12345678` → country CHN, number E12345678. */
export function passportParts(value: string): { country?: string; number: string } {
  const colon = value.indexOf(':');
  return colon === 3 ? { country: value.slice(0, 3), number: value.slice(4) } : { number: value };
}
