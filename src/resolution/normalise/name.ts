// Names of persons and companies, in English romanisation and in Chinese characters.

import { isKnownSurname } from './surnames.ts';
import { isSyllable, segmentSyllables } from './syllables.ts';

export type Script = 'latin' | 'han';

const HAN = /\p{Script=Han}/u;
const HAN_ALL = /\p{Script=Han}/gu;
// Latin letters, including accented and full-width ones.
const LATIN_LETTER = /\p{Script=Latin}/u;

/** True for text written in Chinese characters: some Han and no latin letters. */
export function isHan(s: string): boolean {
  return HAN.test(s) && !LATIN_LETTER.test(s);
}

export interface PersonName {
  /** Upper-case tokens in written order, hyphenated and joined syllables split (Han: the characters). */
  tokens: string[];
  surname?: string;
  given: string[];
  /** Surname + given tokens sorted: equal keys mean the same name whatever the order or spacing. */
  key: string;
  /** Letters without spaces, surname first and surname last (Han: the name). */
  compact: string[];
  script: Script;
  /**
   * Other plausible readings of a romanised name, for comparison only: the surname written last in a
   * name that does not mark it (`TAI MAN CHAN`), or a married woman's own surname after her
   * husband's (`Anson CHAN FANG On-sang` is also FANG On Sang).
   */
  alternatives?: { surname: string; given: string[] }[];
}

const HAN_COMPOUND_SURNAMES = new Set([
  '歐陽', '司徒', '上官', '諸葛', '司馬', '皇甫', '尉遲', '公孫', '慕容', '長孫', '夏侯', '端木',
]);
// Romanised compound surnames. Joined only when the name marks them as the surname (both tokens in
// capitals among mixed case, or both before a comma): unmarked, `Cheung Sun Man` is far more often
// surname Cheung, given Sun Man, than surname Cheung-sun.
const LATIN_COMPOUND_SURNAMES = new Set([
  'AUYEUNG', 'SZETO', 'SHEUNGKOON', 'CHUKOT', 'SZEMA', 'WONGFU', 'WATCHI', 'KUNGSUN', 'MOYUNG',
  'CHEUNGSUN', 'HAHAU', 'TUENMUK',
]);
const TITLES = new Set(['MR', 'MRS', 'MS', 'MISS', 'MDM', 'DR']);

export function normalisePersonName(raw: string): PersonName {
  return isHan(raw) ? hanPersonName(raw) : latinPersonName(raw);
}

function hanPersonName(raw: string): PersonName {
  const name = (raw.match(HAN_ALL) ?? []).join('');
  const tokens = [...name];
  const surnameLength = HAN_COMPOUND_SURNAMES.has(name.slice(0, 2)) && tokens.length > 2 ? 2 : 1;
  const surname = tokens.slice(0, surnameLength).join('');
  return {
    tokens,
    ...(surname ? { surname } : {}),
    given: tokens.slice(surnameLength),
    key: name,
    compact: name ? [name] : [],
    script: 'han',
  };
}

interface RawToken {
  text: string;
  capitals: boolean;
  beforeComma: boolean;
}

function latinPersonName(raw: string): PersonName {
  const words = rawTokens(raw);
  while (words.length > 1 && TITLES.has(words[0]?.text ?? '')) words.shift();
  if (words.length === 0) return { tokens: [], given: [], key: '', compact: [], script: 'latin' };

  const mixedCase = words.some((w) => !w.capitals);
  const hasComma = words.some((w) => w.beforeComma) && words.some((w) => !w.beforeComma);
  // Surname: the capitalised token among mixed case, else the token before a comma, else the first.
  let start = mixedCase ? words.findIndex((w) => w.capitals) : -1;
  let marked: (w: RawToken) => boolean = (w) => w.capitals;
  const unmarked = start < 0 && !hasComma;
  if (start < 0) {
    start = hasComma ? words.findIndex((w) => w.beforeComma) : 0;
    marked = hasComma ? (w) => w.beforeComma : () => false;
  }
  let surname = words[start]?.text ?? '';
  let surnameWords = 1;
  const next = words[start + 1];
  if (next && marked(next) && LATIN_COMPOUND_SURNAMES.has(surname + next.text)) {
    surname += next.text;
    surnameWords = 2;
  }

  const tokens: string[] = [];
  const given: string[] = [];
  words.forEach((w, i) => {
    if (i === start) tokens.push(surname);
    if (i >= start && i < start + surnameWords) return;
    const parts = isSyllable(w.text) ? [w.text] : (segmentSyllables(w.text) ?? [w.text]);
    tokens.push(...parts);
    given.push(...parts);
  });
  const key = [surname, ...[...given].sort()].join(' ');
  const compact = unique([surname + given.join(''), given.join('') + surname]);
  const alternatives: { surname: string; given: string[] }[] = [];
  const last = words.at(-1);
  // Unmarked order (no capitals among mixed case, no comma): the surname may be the last word.
  if (unmarked && words.length > 1 && last && isKnownSurname(last.text)) {
    const rest = words.slice(0, -1).flatMap((w) => (isSyllable(w.text) ? [w.text] : (segmentSyllables(w.text) ?? [w.text])));
    alternatives.push({ surname: last.text, given: rest });
  }
  // Married name: two capitalised surnames in a row, the second her own.
  if (mixedCase && surnameWords === 1 && next && next.capitals && isKnownSurname(next.text) && isKnownSurname(surname)) {
    const own = given.indexOf(next.text);
    const rest = given.filter((_, i) => i !== own);
    alternatives.push({ surname: next.text, given: rest });
    alternatives.push({ surname, given: rest });
  }
  return { tokens, surname, given, key, compact, script: 'latin', ...(alternatives.length > 0 ? { alternatives } : {}) };
}

/** Words as written, each split on hyphens, with whether it was in capitals and before a comma. */
function rawTokens(raw: string): RawToken[] {
  const text = stripDiacritics(raw).replace(/['’.]/g, '');
  const commaAt = text.indexOf(',');
  const out: RawToken[] = [];
  for (const m of text.matchAll(/[A-Za-z]+/g)) {
    const word = m[0];
    out.push({
      text: word.toUpperCase(),
      // A single capital is an initial, not a surname marker.
      capitals: word.length > 1 && word === word.toUpperCase(),
      beforeComma: commaAt >= 0 && (m.index ?? 0) < commaAt,
    });
  }
  return out;
}

export interface CompanyName {
  tokens: string[];
  /** Tokens left after legal forms and generic words are dropped; what two names are compared on. */
  distinctive: string[];
  key: string;
  compact: string[];
  script: Script;
}

// Dropped: legal forms, the place, and generic trade words that traders add or omit at will (the
// same trader files as `ABC Trading Co Ltd` and `ABC Ltd`). Kept as distinctive: HOLDINGS and
// INTERNATIONAL (and 集團/國際), because `XYZ Holdings Ltd` / `XYZ International Ltd` are usually a
// different legal entity of the same group than `XYZ Ltd`, sharing its address and phone — dropping
// them would let the name-and-attribute rule merge group companies.
const COMPANY_NOISE = new Set([
  'LIMITED', 'LTD', 'CO', 'COMPANY', 'CORP', 'CORPORATION', 'INC', 'INCORPORATED', 'LLC', 'HK',
  'HONGKONG', 'TRADING', 'ENTERPRISE', 'ENTERPRISES', 'THE',
]);
const HAN_COMPANY_NOISE = /有限公司|有限|公司|香港|貿易|贸易|商行/g;

export function normaliseCompanyName(raw: string): CompanyName {
  if (isHan(raw)) {
    const name = (raw.match(HAN_ALL) ?? []).join('');
    // A name that is nothing but noise (香港貿易有限公司) keeps its own characters.
    const core = name.replace(HAN_COMPANY_NOISE, '') || name;
    return { tokens: name ? [name] : [], distinctive: core ? [core] : [], key: core, compact: core ? [core] : [], script: 'han' };
  }
  const tokens = stripDiacritics(raw)
    .toUpperCase()
    .replace(/&/g, ' AND ')
    .replace(/['’.]/g, '')
    .replace(/HONG\s+KONG/g, 'HONGKONG')
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
  const core = tokens.filter((t) => !COMPANY_NOISE.has(t));
  const distinctive = core.length > 0 ? core : tokens;
  return {
    tokens,
    distinctive,
    key: distinctive.join(' '),
    compact: distinctive.length > 0 ? [distinctive.join('')] : [],
    script: 'latin',
  };
}

/** Folds accents and full-width letters to ASCII; plain ASCII (nearly every name) is returned as is. */
function stripDiacritics(s: string): string {
  return /^[\x00-\x7f]*$/.test(s) ? s : s.normalize('NFKD').replace(/\p{M}/gu, '');
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter(Boolean))];
}
