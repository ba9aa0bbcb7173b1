// The benchmark's data: 50 persons with valid HKIDs, each spelt differently by each of 5 sources.
// Shared by bench/sources.ts (which serves them) and bench/run.ts (which picks query HKIDs and checks answers).

export const SOURCE_COUNT = 5;
export const PERSON_COUNT = 50;

export interface Person {
  surname: string;
  given: [string, string];
  /** As printed on the card, e.g. `A123456(3)`. */
  hkid: string;
  dob: string;
}

export interface PersonRecord {
  id: string;
  name: string;
  hkid: string;
  dob: string;
}

const SURNAMES = ['CHAN', 'WONG', 'LEE', 'CHEUNG', 'LAU', 'LAM', 'CHOW', 'LEUNG', 'HO', 'NG'];
const GIVEN = ['Tai', 'Siu', 'Ka', 'Wing', 'Chi', 'Man', 'Ming', 'Kin', 'Yuk', 'Hoi', 'Wai', 'Fung', 'Sze', 'Lok'];

/** Check character per the published algorithm (one-letter prefixes padded with a space worth 36). */
export function hkidCheck(letters: string, digits: string): string {
  const chars = (letters.length === 1 ? ' ' + letters : letters) + digits;
  const weights = [9, 8, 7, 6, 5, 4, 3, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = chars[i]!;
    const v = c === ' ' ? 36 : c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 55;
    sum += v * weights[i]!;
  }
  const check = (11 - (sum % 11)) % 11;
  return check === 10 ? 'A' : String(check);
}

/** The same 50 persons every run (deterministic). The first is the test suite's CHAN Tai Man, A123456(3). */
export const PERSONS: Person[] = Array.from({ length: PERSON_COUNT }, (_, i) => {
  const letters = i === 0 ? 'A' : i % 7 === 3 ? 'X' + String.fromCharCode(65 + (i % 26)) : String.fromCharCode(65 + ((i * 5) % 26));
  const digits = i === 0 ? '123456' : String(100_000 + ((i * 379_721) % 900_000)).padStart(6, '0');
  const surname = i === 0 ? 'CHAN' : SURNAMES[i % SURNAMES.length]!;
  const given: [string, string] = i === 0 ? ['Tai', 'Man'] : [GIVEN[(i * 3) % GIVEN.length]!, GIVEN[(i * 5 + 1) % GIVEN.length]!];
  const month = String(1 + (i % 12)).padStart(2, '0');
  const day = String(1 + ((i * 7) % 28)).padStart(2, '0');
  const dob = i === 0 ? '1975-03-14' : `${1950 + ((i * 13) % 50)}-${month}-${day}`;
  return { surname, given, hkid: `${letters}${digits}(${hkidCheck(letters, digits)})`, dob };
});

/** How source `s` (0-based) spells a name: `CHAN Tai Man`, `Chan Tai-man`, `CHAN TAI MAN`, `Tai Man CHAN`, `chan tai man`. */
export function spell(p: Person, s: number): string {
  const [g1, g2] = p.given;
  const cap = (w: string) => w[0]!.toUpperCase() + w.slice(1).toLowerCase();
  switch (s % SOURCE_COUNT) {
    case 0: return `${p.surname} ${g1} ${g2}`;
    case 1: return `${cap(p.surname)} ${g1}-${g2.toLowerCase()}`;
    case 2: return `${p.surname} ${g1} ${g2}`.toUpperCase();
    case 3: return `${g1} ${g2} ${p.surname}`;
    default: return `${p.surname} ${g1} ${g2}`.toLowerCase();
  }
}

/** Source `s`'s 50 records: ids distinct per source, same HKIDs and dates of birth everywhere. */
export function recordsOf(s: number): PersonRecord[] {
  // HKIDs are spelt a little differently too (with/without brackets) — the hub normalises them.
  return PERSONS.map((p, i) => ({
    id: `s${s + 1}-p${String(i + 1).padStart(3, '0')}`,
    name: spell(p, s),
    hkid: s % 2 === 0 ? p.hkid : p.hkid.replace(/[()]/g, ''),
    dob: p.dob,
  }));
}
