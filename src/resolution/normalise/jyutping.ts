// Chinese characters → the spellings the Hong Kong government romanisation gives them, through their
// Cantonese readings (to-jyutping). The government system is Cantonese-based and toneless but spells
// differently from Jyutping (j→Y, z/c→CH or TS, gw→KW, aa→A, oeng→EUNG, eoi→UI, jyu→YU, ou→O, si→SZE…)
// and is not one-to-one: 周 is CHOW or CHAU, 李 LEE or LI, 子 TSZ or CHI. So every reading yields the set
// of spellings a clerk could have written, and a romanised syllable "reads" a character when it is in
// that set. Polyphonic characters contribute every candidate reading.

import { getJyutpingCandidates } from 'to-jyutping';

const INITIALS: Record<string, string[]> = {
  b: ['P'], p: ['P'], m: ['M'], f: ['F'], d: ['T'], t: ['T'], n: ['N', 'L'], l: ['L', 'N'],
  g: ['K'], k: ['K'], ng: ['NG', ''], h: ['H'], gw: ['KW'], kw: ['KW'], w: ['W'],
  z: ['CH', 'TS'], c: ['CH', 'TS'], s: ['S', 'SH'], j: ['Y'], '': [''],
};
// Longest first so `gw` wins over `g` and `ng` over `n`.
const INITIAL_KEYS = Object.keys(INITIALS).filter(Boolean).sort((a, b) => b.length - a.length);

const FINALS: Record<string, string[]> = {
  aa: ['A', 'AH'], aai: ['AI'], aau: ['AU'], aam: ['AM'], aan: ['AN'], aang: ['ANG'], aap: ['AP'], aat: ['AT'], aak: ['AK'],
  a: ['A'], ai: ['AI'], au: ['AU', 'OW'], am: ['AM', 'UM'], an: ['AN', 'UN'], ang: ['ANG'], ap: ['AP', 'OP'], at: ['AT'], ak: ['AK'],
  e: ['E'], ei: ['EI', 'EE', 'I'], eu: ['EU'], em: ['EM'], eng: ['ENG'], ep: ['EP'], ek: ['EK'],
  i: ['I', 'EE'], iu: ['IU'], im: ['IM'], in: ['IN'], ing: ['ING'], ip: ['IP'], it: ['IT'], ik: ['IK', 'ICK'],
  o: ['O', 'OR', 'AW', 'OH'], oi: ['OI', 'OY'], ou: ['O', 'OU', 'OW'], on: ['ON'], ong: ['ONG'], ot: ['OT'], ok: ['OK'],
  oe: ['OE'], oeng: ['EUNG', 'EONG'], oek: ['EUK', 'EUK'],
  eoi: ['UI', 'EUI'], eon: ['UN', 'EUN'], eot: ['UT'],
  u: ['U', 'OO'], ui: ['UI', 'OOI'], un: ['UN', 'OON'], ung: ['UNG'], ut: ['UT', 'OOT'], uk: ['UK', 'OOK'],
  yu: ['U', 'UE', 'YU'], yun: ['UEN', 'UN'], yut: ['UET', 'UT'],
  m: ['M'], ng: ['NG'],
};
const FINAL_KEYS = Object.keys(FINALS);

/** Government spellings of one Jyutping syllable (tone digit allowed), e.g. `zoeng1` → CHEUNG, TSEUNG. */
export function governmentSpellings(jyutping: string): string[] {
  const syllable = jyutping.replace(/[1-6]$/, '').toLowerCase();
  // Syllabic m / ng (唔, 吳) stand alone.
  if (syllable === 'ng' || syllable === 'm') return [syllable.toUpperCase()];
  const initial = INITIAL_KEYS.find((i) => syllable.startsWith(i) && FINAL_KEYS.includes(syllable.slice(i.length))) ?? '';
  const final = syllable.slice(initial.length);
  const finals = FINALS[final];
  if (!finals) return [];
  const out = new Set<string>();
  for (const ini of INITIALS[initial] ?? ['']) {
    for (const fin of finals) {
      out.add(special(initial, final, ini, fin) ?? ini + fin);
    }
  }
  // A few spellings the general rules do not produce.
  for (const extra of EXTRA[syllable] ?? []) out.add(extra);
  return [...out].filter(Boolean);
}

/** Where the government system departs from initial + final. */
function special(initial: string, final: string, ini: string, fin: string): string | undefined {
  if (initial === 'j') {
    // jyu → YU, jyun → YUEN, jyut → YUET; ji → YI/YEE; jing → YING.
    if (final.startsWith('yu')) return 'Y' + (fin.startsWith('Y') ? fin.slice(1) : fin);
    if (final === 'i') return fin === 'I' ? 'YI' : 'YEE';
  }
  if (final === 'i' && (initial === 's' || initial === 'z' || initial === 'c')) {
    // si → SZE/SHI; zi, ci → TSZ/CHI/TSZE.
    if (initial === 's') return ini === 'S' ? (fin === 'I' ? 'SZE' : 'SEE') : 'SHI';
    return ini === 'TS' ? (fin === 'I' ? 'TSZ' : 'TSZE') : 'CHI';
  }
  if (final.startsWith('yu') && ini === 'Y') return fin.startsWith('Y') ? fin : 'Y' + fin;
  if (final.startsWith('yu') && fin.startsWith('Y')) return ini + fin.slice(1);
  return undefined;
}

const EXTRA: Record<string, string[]> = {
  lei: ['LEE', 'LI'], hei: ['HEI', 'HEE'], gei: ['KEI', 'KI'], wu: ['WU', 'WOO'], jau: ['YAU', 'YAO'], haa: ['HA', 'HAR'],
  waa: ['WA', 'WAH'], fu: ['FU', 'FOO'], sau: ['SAU', 'SOW'], lou: ['LO', 'LOU', 'LOW'], gwok: ['KWOK', 'KOK'],
};

const cache = new Map<string, readonly string[]>();

/**
 * Every government spelling any Cantonese reading of the character has; empty for characters the
 * dictionary does not know. Cached: names draw on a few thousand characters.
 */
export function readingsOf(char: string): readonly string[] {
  let spellings = cache.get(char);
  if (spellings === undefined) {
    const out = new Set<string>();
    for (const [, candidates] of getJyutpingCandidates(char)) for (const c of candidates) for (const s of governmentSpellings(c)) out.add(s);
    spellings = [...out];
    if (cache.size < 20_000) cache.set(char, spellings);
  }
  return spellings;
}

/** True when the romanised syllable is one way of spelling the character. */
export function reads(char: string, syllable: string): boolean {
  return readingsOf(char).includes(syllable);
}

/** The most usual government spelling of each character (its first reading), for display. */
export function romanise(chars: string): string[] {
  return [...chars].map((c) => readingsOf(c)[0] ?? c);
}
