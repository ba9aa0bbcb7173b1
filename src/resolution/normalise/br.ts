// Business Registration numbers and old Companies Registry numbers. A BR number is the first 8 digits
// of the certificate number `99999999-&&&-&&-&&-&`; it has no public check digit, so only its shape is
// validated. Companies without one may carry a dummy derived from the old company number
// (CR 12345 → `C0012345`), so that form is accepted as a BR value too; resolution treats the two as
// aliases of one company.

import type { NormalisedValue } from './hkid.ts';

const CERTIFICATE = /^(\d{8})(?:-[0-9A-Z]{1,3})+$/;
const CR_DUMMY = /^C\d{7}$/;

/**
 * Null when the text is not a BR number at all (letters, no digits); `valid` is false for a digit
 * string of the wrong length or the all-zero placeholder some systems store for "unknown".
 */
export function normaliseBr(raw: string): NormalisedValue | null {
  const text = raw.replace(/\s+/g, '').toUpperCase();
  const certificate = CERTIFICATE.exec(text);
  if (certificate?.[1]) return brValue(certificate[1]);
  if (CR_DUMMY.test(text)) return { value: text, valid: !/^C0+$/.test(text) };
  const digits = text.replace(/-/g, '');
  if (!/^\d+$/.test(digits)) return null;
  // 16 digits is the certificate number typed without its dashes.
  if (digits.length === 16) return brValue(digits.slice(0, 8));
  if (digits.length === 8) return brValue(digits);
  return { value: digits, valid: false };
}

function brValue(digits: string): NormalisedValue {
  return { value: digits, valid: digits !== '00000000' };
}

/** Old company numbers (`CR 12345`, `CR No. 12345`, `C0012345`, `12345`) → `C` + 7 digits. */
export function normaliseCr(raw: string): NormalisedValue | null {
  const match = /^(?:CR|C)?(?:NO\.?)?(\d{1,7})$/.exec(raw.replace(/[\s:#-]+/g, '').toUpperCase());
  if (!match?.[1]) return null;
  const value = 'C' + match[1].padStart(7, '0');
  return { value, valid: value !== 'C0000000' };
}
