// How the legacy systems write the same fact differently: name, company-name, address, phone, HKID and
// BR variants. Each function takes the truth value and returns one written form.

import type { Rng } from './random.ts';
import type { Syllable } from './vocab.ts';

export interface PersonName {
  /** Surname in English syllables (`Chan`, or `Au Yeung` for a compound surname). */
  surnameEn: string;
  given: readonly Syllable[];
  /** An adopted Western given name some people write before their Chinese name. */
  western: string | null;
}

export type PersonNameStyle =
  | 'gov' // CHAN Tai Man — the form on the identity card
  | 'hyphen' // CHAN Tai-man
  | 'mixed' // Chan Tai Man
  | 'joined' // Chan Taiman
  | 'upper' // CHAN TAI MAN
  | 'givenFirst' // Tai Man CHAN
  | 'comma' // CHAN, Tai Man
  | 'western' // Peter CHAN Tai-man
  | 'upperGivenFirst' // TAI MAN CHAN
  | 'upperJoined'; // CHAN TAIMAN

/**
 * V8 keeps the result of string concatenation as a rope (a tree of cons cells), several times larger than
 * the flat string; with millions of generated rows that is gigabytes. trim() flattens the rope.
 */
export const flat = (s: string): string => s.trim();

const title = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();

export function personName(name: PersonName, style: PersonNameStyle): string {
  return flat(renderPersonName(name, style));
}

function renderPersonName(name: PersonName, style: PersonNameStyle): string {
  const surUpper = name.surnameEn.toUpperCase();
  const surTitle = name.surnameEn.split(' ').map(title).join(' ');
  const given = name.given.map((s) => s.en);
  const spaced = given.join(' ');
  const hyphenated = given.map((g, i) => (i === 0 ? g : g.toLowerCase())).join('-');
  const joined = title(given.join(''));
  switch (style) {
    case 'gov':
      return `${surUpper} ${spaced}`;
    case 'hyphen':
      return `${surUpper} ${hyphenated}`;
    case 'mixed':
      return `${surTitle} ${spaced}`;
    case 'joined':
      return `${surTitle} ${joined}`;
    case 'upper':
      return `${surUpper} ${spaced.toUpperCase()}`;
    case 'givenFirst':
      return `${spaced} ${surUpper}`;
    case 'comma':
      return `${surUpper}, ${spaced}`;
    case 'western':
      return name.western === null ? `${surUpper} ${hyphenated}` : `${name.western} ${surUpper} ${hyphenated}`;
    case 'upperGivenFirst':
      return `${spaced.toUpperCase()} ${surUpper}`;
    case 'upperJoined':
      return `${surUpper} ${joined.toUpperCase()}`;
  }
}

export type CompanyNameStyle = 'canonical' | 'upper' | 'abbrev' | 'abbrevComma' | 'upperAbbrev' | 'bare';

/** Rewrites a canonical English company name (`… Company Limited`, `… Limited`, `… Co., Ltd.`) in a style. */
export function companyName(canonical: string, style: CompanyNameStyle): string {
  return flat(renderCompanyName(canonical, style));
}

function renderCompanyName(canonical: string, style: CompanyNameStyle): string {
  const abbreviate = (s: string, comma: boolean): string =>
    s
      .replace(/ Co\., Ltd\.$/, comma ? ' Co., Ltd.' : ' Co. Ltd.')
      .replace(/ Company Limited$/, comma ? ' Co., Ltd.' : ' Co. Ltd.')
      .replace(/ Limited$/, ' Ltd.')
      .replace(/ Company$/, ' Co.')
      .replace('(Hong Kong)', '(HK)');
  switch (style) {
    case 'canonical':
      return canonical;
    case 'upper':
      return canonical.toUpperCase();
    case 'abbrev':
      return abbreviate(canonical, false);
    case 'abbrevComma':
      return abbreviate(canonical, true);
    case 'upperAbbrev':
      return abbreviate(canonical, false).replace(/[.,]/g, '').toUpperCase();
    case 'bare':
      return canonical.replace(/ (Co\., Ltd\.|Company Limited|Limited|Company)$/, '');
  }
}

/** Re-types an address the way a clerk might: upper case, abbreviations, a dropped region. */
export function addressVariant(address: string, rng: Rng): string {
  return flat(rewriteAddress(address, rng));
}

function rewriteAddress(address: string, rng: Rng): string {
  switch (rng.int(6)) {
    case 0:
      return address.toUpperCase();
    case 1:
      return address.replace(/ Road\b/g, ' Rd').replace(/ Street\b/g, ' St').replace(/ Building\b/g, ' Bldg');
    case 2:
      return address.replace(/, (N\.T\.|Kowloon|Hong Kong)$/, '');
    case 3:
      return address.replace(/, N\.T\.$/, ', New Territories').replace(/, Hong Kong$/, ', H.K.').replace(/, Kowloon$/, ', Kln');
    default:
      return address;
  }
}

/** Phone as written: `91234567`, `9123 4567`, `+852 9123 4567` or `(852) 91234567`. */
export function phoneVariant(digits: string, rng: Rng): string {
  const spaced = flat(`${digits.slice(0, 4)} ${digits.slice(4)}`);
  switch (rng.int(8)) {
    case 0:
      return flat(`+852 ${spaced}`);
    case 1:
      return flat(`(852) ${digits}`);
    case 2:
    case 3:
      return digits;
    default:
      return spaced;
  }
}

/** HKID from its canonical compact form (`A1234563`) in a written style. */
export function hkidForm(compact: string, style: 'brackets' | 'compact' | 'lower' | 'spaced'): string {
  const body = compact.slice(0, -1);
  const check = compact.slice(-1);
  switch (style) {
    case 'brackets':
      return flat(`${body}(${check})`);
    case 'compact':
      return compact;
    case 'lower':
      return compact.toLowerCase();
    case 'spaced':
      return flat(`${body} (${check})`);
  }
}

/** The same HKID with a wrong check character, as a data-entry slip produces. */
export function mistypeHkid(compact: string, rng: Rng): string {
  const check = compact.slice(-1);
  const others = '0123456789A'.replace(check, '');
  return compact.slice(0, -1) + others.charAt(rng.int(others.length));
}

/** A BR number in the full certificate form `12345678-000-01-24-5` (branch, expiry month/year, check). */
export function brCertificate(br: string, rng: Rng): string {
  const month = String(rng.between(1, 12)).padStart(2, '0');
  const year = String(rng.between(24, 27));
  return flat(`${br}-000-${month}-${year}-${rng.int(10)}`);
}
