// HKID check character (algorithm in docs HK-IDENTIFIERS.md). Kept local to the demo so the demo estate
// does not depend on the hub's normalisers it is meant to test.

const letterValue = (ch: string): number => ch.charCodeAt(0) - 55; // A = 10 … Z = 35

/** Check character for a body like `A123456` or `CA182361` (letters + six digits). */
export function hkidCheck(body: string): string {
  const padded = body.length === 7 ? ` ${body}` : body;
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const ch = padded[i] as string;
    const value = ch === ' ' ? 36 : ch >= 'A' && ch <= 'Z' ? letterValue(ch) : Number(ch);
    sum += value * (9 - i);
  }
  const check = (11 - (sum % 11)) % 11;
  return check === 10 ? 'A' : String(check);
}

/** True when a stored HKID in any common written form (`A123456(3)`, `a1234563`) has a correct check. */
export function isValidHkid(written: string): boolean {
  const compact = written.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const match = /^([A-Z]{1,2}[0-9]{6})([0-9A])$/.exec(compact);
  return match !== null && hkidCheck(match[1] as string) === match[2];
}
