// Hong Kong vehicle registration marks. Ordinary marks: an optional two-letter prefix and 1–9999
// without leading zeros. Personalised marks: up to 8 letters/digits, at most one space between
// characters. Neither kind uses the letters I, O or Q (Cap. 374E reg. 12E), so an I or O in the number
// part of an ordinary-looking mark is a misreading of 1 or 0, not a different vehicle.

import type { NormalisedValue } from './hkid.ts';

const ORDINARY = /^(?:[A-HJ-NPR-Z]{2})?[1-9]\d{0,3}$/;
const PERSONALISED = /^[A-HJ-NPR-Z0-9]{1,8}$/;
// Ordinary shape once I/O in the number are read as 1/0; needs a real digit so words stay words.
const ORDINARY_LOOKING = /^([A-HJ-NPR-Z]{2})?(?=[0-9IO]*\d)([0-9IO]{1,4})$/;

/**
 * Upper case, spaces dropped. Null when not mark-shaped (other characters, longer than 8, runs of
 * spaces). `valid` means a legal mark once the I/O misreading is folded, so `AB I234` counts as the
 * vehicle `AB 1234` it almost certainly is.
 */
export function normaliseVehicleMark(raw: string): NormalisedValue | null {
  const trimmed = raw.trim().toUpperCase();
  if (trimmed === '' || /\s{2,}/.test(trimmed)) return null;
  const value = trimmed.replace(/\s/g, '');
  if (!/^[A-Z0-9]{1,8}$/.test(value)) return null;
  const key = vehicleMatchKey(value);
  return { value, valid: ORDINARY.test(key) || PERSONALISED.test(key) };
}

/** Comparison key for a normalised mark: O→0 and I→1 in the number part of ordinary-looking marks. */
export function vehicleMatchKey(value: string): string {
  const match = ORDINARY_LOOKING.exec(value);
  if (!match) return value;
  return (match[1] ?? '') + (match[2] ?? '').replace(/O/g, '0').replace(/I/g, '1');
}
