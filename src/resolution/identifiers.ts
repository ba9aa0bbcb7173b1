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
  return id.scheme + ':' + id.value;
}

function normalisePassport(raw: string): NormalisedValue {
  const value = raw.replace(/[\s-]+/g, '').toUpperCase();
  return { value, valid: /^[A-Z0-9]{5,12}$/.test(value) };
}
