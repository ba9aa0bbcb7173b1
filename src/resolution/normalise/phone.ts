// Phone numbers. Hong Kong numbers have 8 digits starting 2–9 and are stored as `+852XXXXXXXX`;
// other international numbers keep `+` and their digits (E.164 allows at most 15).

import type { NormalisedValue } from './hkid.ts';

const HK_PREFIX = /^(?:\+|00)?852(\d*)$/;

/** Null when the text is not a phone number at all (letters, too few digits). */
export function normalisePhone(raw: string): NormalisedValue | null {
  const text = raw.replace(/[\s\-().\u00a0]/g, '');
  if (!/^(?:\+|00)?\d{3,}$/.test(text)) return null;
  const hk = HK_PREFIX.exec(text);
  if (hk && (hk[1] ?? '').length >= 7) return hongKong(hk[1] ?? '');
  if (text.startsWith('+') || text.startsWith('00')) {
    const digits = text.replace(/^(?:\+|00)/, '');
    return { value: '+' + digits, valid: digits.length >= 8 && digits.length <= 15 };
  }
  if (text.length === 8) return hongKong(text);
  return { value: text, valid: false };
}

function hongKong(local: string): NormalisedValue {
  return { value: '+852' + local, valid: /^[2-9]\d{7}$/.test(local) };
}
