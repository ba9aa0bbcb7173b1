// Hong Kong Identity Card numbers: one or two letters, six digits and a check character (0-9 or A),
// written `A123456(3)` on the card. Stored without brackets or spaces: `A1234563`, `CA1823611`.

const SHAPE = /^([A-Z]{1,2})(\d{6})\(?([0-9A])\)?$/;
const WEIGHTS = [9, 8, 7, 6, 5, 4, 3, 2] as const;

export interface NormalisedValue {
  value: string;
  valid: boolean;
}

/** Null when the text is not HKID-shaped at all; `valid` is false when only the check character fails. */
export function normaliseHkid(raw: string): NormalisedValue | null {
  const match = SHAPE.exec(raw.replace(/\s+/g, '').toUpperCase());
  if (!match) return null;
  const [, letters = '', digits = '', check = ''] = match;
  return { value: letters + digits + check, valid: hkidCheckCharacter(letters, digits) === check };
}

/** Check character per the published algorithm: a one-letter prefix is padded with a space worth 36. */
export function hkidCheckCharacter(letters: string, digits: string): string {
  const chars = (letters.length === 1 ? ' ' + letters : letters) + digits;
  let sum = 0;
  for (let i = 0; i < WEIGHTS.length; i++) sum += charValue(chars[i] ?? ' ') * (WEIGHTS[i] ?? 0);
  const check = (11 - (sum % 11)) % 11;
  return check === 10 ? 'A' : String(check);
}

function charValue(c: string): number {
  if (c === ' ') return 36;
  if (c >= '0' && c <= '9') return c.charCodeAt(0) - 48;
  return c.charCodeAt(0) - 55; // A = 10 … Z = 35
}
