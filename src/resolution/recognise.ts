// Free text from the search box → identifiers and/or a name. Patterns run in order from the most
// specific; each match is cut out of the text, and what is left with letters in it is the name.

import type { Identifier } from '../model/record.ts';
import { normaliseIdentifier } from './identifiers.ts';

export interface Recognised {
  identifiers: Identifier[];
  name?: string;
}

// Identifier-like runs must not be part of a longer alphanumeric run.
const B = '(?<![0-9A-Z])';
const E = '(?![0-9A-Z])';

interface Pattern {
  re: RegExp;
  schemes: (match: string) => string[];
}

const PATTERNS: Pattern[] = [
  // BR certificate number 12345678-000-01-24-5 (first 8 digits are the BR number).
  { re: new RegExp(`${B}\\d{8}(?:-[0-9A-Z]{1,3})+${E}`, 'gi'), schemes: () => ['br'] },
  // HKID, brackets and spaces optional: A123456(3), a1234563, CA182361 (1).
  { re: new RegExp(`${B}[A-Z]{1,2}\\s?\\d{6}\\s?(?:\\(\\s?[0-9A]\\s?\\)|[0-9A])${E}`, 'gi'), schemes: () => ['hkid'] },
  // International form: +852 9123 4567, 00852-91234567, +86 138 0013 8000.
  { re: /(?:\+|(?<!\d)00)\d(?:[\s-]?\d){6,15}(?!\d)/g, schemes: () => ['phone'] },
  { re: /(?<!\d)852[\s-]?\d{4}[\s-]?\d{4}(?!\d)/g, schemes: () => ['phone'] },
  // 8 digits: a BR number, and also a Hong Kong phone number when it starts 2–9.
  { re: new RegExp(`${B}\\d{4}[\\s-]?\\d{4}${E}`, 'gi'), schemes: (m) => (/^[2-9]/.test(m) ? ['br', 'phone'] : ['br']) },
  // The certificate number typed without dashes.
  { re: new RegExp(`${B}\\d{16}${E}`, 'gi'), schemes: () => ['br'] },
  { re: new RegExp(`${B}CR\\s?(?:NO\\.?\\s?)?\\d{1,7}${E}`, 'gi'), schemes: () => ['cr'] },
  // Passports: letters then 7+ digits (HK K12345678, Mainland E12345678); short ones may be marks.
  {
    re: new RegExp(`${B}[A-Z]{1,2}\\d{7,10}${E}`, 'gi'),
    schemes: (m) => (m.length <= 8 ? ['vehicle_mark', 'passport'] : ['passport']),
  },
  // Ordinary vehicle marks, with I/O misread for 1/0 tolerated: AB 1234, AB I234.
  { re: new RegExp(`${B}[A-HJ-NPR-Z]{2}\\s?(?=[0-9IO]*\\d)[0-9IO]{1,4}${E}`, 'gi'), schemes: () => ['vehicle_mark'] },
  // Any other run mixing letters and digits: a personalised mark up to 8, a passport up to 12.
  {
    re: new RegExp(`${B}(?=[A-Z]*\\d)(?=\\d*[A-Z])[A-Z0-9]{2,12}${E}`, 'gi'),
    schemes: (m) => (m.length <= 8 ? ['vehicle_mark'] : ['passport']),
  },
];

// Bare short numbers mean something only when they are the whole query: `8` is a mark, `12345` an old
// company number; inside a longer text they are as likely a flat or a year.
const WHOLE_TEXT: Pattern[] = [
  { re: /^[1-9]\d{0,3}$/, schemes: () => ['vehicle_mark'] },
  { re: /^\d{5,7}$/, schemes: () => ['cr'] },
];

export function recognise(text: string): Recognised {
  const trimmed = text.trim();
  const found = new Map<string, Identifier>();
  const add = (scheme: string, raw: string) => {
    const { value } = normaliseIdentifier({ scheme, value: raw });
    found.set(`${scheme}:${value}`, { scheme, value });
  };

  for (const { re, schemes } of WHOLE_TEXT) {
    if (re.test(trimmed)) {
      for (const scheme of schemes(trimmed)) add(scheme, trimmed);
      return { identifiers: [...found.values()] };
    }
  }

  let rest = trimmed;
  for (const { re, schemes } of PATTERNS) {
    rest = rest.replace(re, (match) => {
      for (const scheme of schemes(match)) add(scheme, match);
      return ' ';
    });
  }

  const name = rest.replace(/\s+/g, ' ').replace(/^[\s,;]+|[\s,;]+$/g, '');
  const result: Recognised = { identifiers: [...found.values()] };
  if (/[A-Za-z\p{Script=Han}]/u.test(name)) result.name = name;
  return result;
}
