// Chinese surnames: their romanised spelling families and how common they are in Hong Kong.
// One surname has many spellings (陳: CHAN in Hong Kong, CHEN in pinyin, TAN in Hokkien), and two
// surnames may share one spelling (黃 and 王 are both WONG). Two romanised surnames are "related" when
// some Chinese surname can be spelled both ways.

import { readingsOf } from './jyutping.ts';

/** Han surname → romanised spellings (government/Cantonese first, then Mandarin and dialect forms). */
const SPELLINGS: Record<string, string[]> = {
  陳: ['CHAN', 'CHEN', 'TAN', 'CHIN'],
  黃: ['WONG', 'HUANG', 'WANG', 'VONG', 'NG'],
  王: ['WONG', 'WANG', 'VONG'],
  李: ['LEE', 'LI', 'LEI', 'LY'],
  張: ['CHEUNG', 'ZHANG', 'CHANG', 'CHEONG'],
  梁: ['LEUNG', 'LIANG', 'LEONG'],
  林: ['LAM', 'LIN', 'LUM', 'LIM'],
  劉: ['LAU', 'LIU', 'LAO', 'LOW'],
  吳: ['NG', 'WU', 'GO', 'NGO', 'NGAN'],
  何: ['HO', 'HE', 'HOR'],
  鄧: ['TANG', 'DENG'],
  鄭: ['CHENG', 'ZHENG', 'CHEANG', 'TAY'],
  楊: ['YEUNG', 'YANG', 'YEONG', 'IONG'],
  郭: ['KWOK', 'GUO', 'KUOK', 'KOK'],
  周: ['CHOW', 'ZHOU', 'CHAU', 'CHOU'],
  麥: ['MAK', 'MAI', 'MAC'],
  曾: ['TSANG', 'ZENG', 'TSENG', 'CHANG'],
  譚: ['TAM', 'TAN', 'TAAM'],
  蔡: ['CHOI', 'CAI', 'TSOI', 'CHOY', 'CHUA'],
  羅: ['LAW', 'LUO', 'LO', 'LOH'],
  馮: ['FUNG', 'FENG', 'FONG'],
  謝: ['TSE', 'XIE', 'CHE', 'SEAH'],
  葉: ['YIP', 'YE', 'IP', 'YAP'],
  朱: ['CHU', 'ZHU', 'CHOO'],
  蕭: ['SIU', 'XIAO', 'SIEW'],
  許: ['HUI', 'XU', 'HSU', 'HOI'],
  潘: ['POON', 'PAN', 'PUN'],
  盧: ['LO', 'LU', 'LOU', 'LOO'],
  余: ['YU', 'YUE', 'YEE'],
  胡: ['WU', 'HU', 'WOO'],
  鍾: ['CHUNG', 'ZHONG'],
  袁: ['YUEN', 'YUAN'],
  徐: ['TSUI', 'XU', 'CHUI'],
  黎: ['LAI', 'LI'],
  彭: ['PANG', 'PENG'],
  莫: ['MOK', 'MO'],
  江: ['KONG', 'JIANG'],
  姚: ['YIU', 'YAO'],
  呂: ['LUI', 'LU', 'LUE'],
  杜: ['TO', 'DU', 'TOU'],
  文: ['MAN', 'WEN'],
  石: ['SHEK', 'SHI', 'SEK'],
  甘: ['KAM', 'GAN'],
  方: ['FONG', 'FANG'],
  孔: ['HUNG', 'KONG'],
  范: ['FAN'],
  韋: ['WAI', 'WEI'],
  邱: ['YAU', 'QIU', 'YAO'],
  邵: ['SHIU', 'SHAO'],
  霍: ['FOK', 'HUO'],
  顏: ['NGAN', 'YAN'],
  伍: ['NG', 'WU'],
  湯: ['TONG', 'TANG'],
  唐: ['TONG', 'TANG'],
  賴: ['LAI'],
  龍: ['LUNG', 'LONG'],
  廖: ['LIU', 'LIAO'],
  萬: ['MAN', 'WAN'],
  戴: ['TAI', 'DAI'],
  雷: ['LUI', 'LEI'],
  侯: ['HAU', 'HOU'],
  孫: ['SUEN', 'SUN'],
  程: ['CHING', 'CHENG'],
  丁: ['TING', 'DING'],
  高: ['KO', 'GAO'],
  關: ['KWAN', 'GUAN'],
  宋: ['SUNG', 'SONG'],
  利: ['LEE', 'LI'],
  歐陽: ['AUYEUNG', 'OUYANG', 'AUYOUNG'],
  司徒: ['SZETO', 'SITU', 'SEETO'],
  上官: ['SHEUNGKOON', 'SHANGGUAN'],
  諸葛: ['CHUKOT', 'ZHUGE'],
  司馬: ['SZEMA', 'SIMA'],
};

/** Share of Hong Kong residents with each romanised surname (rough, from public rankings). */
const FREQUENCY: Record<string, number> = {
  CHAN: 0.08, WONG: 0.075, LEE: 0.05, CHEUNG: 0.04, LEUNG: 0.038, LAM: 0.032, LAU: 0.03, NG: 0.026,
  HO: 0.025, TANG: 0.02, CHENG: 0.02, YEUNG: 0.02, KWOK: 0.016, CHOW: 0.016, MAK: 0.015, TSANG: 0.015,
  TAM: 0.014, CHOI: 0.013, LAW: 0.013, FUNG: 0.012, TSE: 0.011, YIP: 0.011, CHU: 0.009, SIU: 0.008,
  HUI: 0.008, POON: 0.008, LO: 0.008, YU: 0.007, WU: 0.007, CHUNG: 0.007, YUEN: 0.007, TSUI: 0.007,
  LAI: 0.006, PANG: 0.006, MOK: 0.006, KONG: 0.005, LI: 0.005, YIU: 0.004, LUI: 0.004, TO: 0.004,
  MAN: 0.004, SHEK: 0.003, KAM: 0.003, AUYEUNG: 0.005, SZETO: 0.005, CHAU: 0.004,
};
/** Frequency assumed for a surname the table does not list. */
export const RARE_SURNAME_FREQUENCY = 0.005;

const FAMILIES = new Map<string, Set<string>>();
for (const [han, spellings] of Object.entries(SPELLINGS)) {
  for (const s of spellings) {
    let set = FAMILIES.get(s);
    if (!set) FAMILIES.set(s, (set = new Set()));
    set.add(han);
  }
}

/** Known romanised surname spellings. */
export function isKnownSurname(latin: string): boolean {
  return FAMILIES.has(latin) || latin in FREQUENCY;
}

/** True when two romanised surnames can be spellings of one Chinese surname (CHAN/CHEN, WONG/HUANG). */
export function sameSurnameFamily(a: string, b: string): boolean {
  if (a === b) return true;
  const x = FAMILIES.get(a);
  const y = FAMILIES.get(b);
  if (!x || !y) return false;
  for (const h of x) if (y.has(h)) return true;
  return false;
}

/**
 * The blocking key of a romanised surname: its first Chinese surname's Cantonese spelling, so CHEN and
 * CHAN share one; unknown spellings are their own key.
 */
export function surnameFamilyKey(latin: string): string {
  const hans = FAMILIES.get(latin);
  if (!hans) return latin;
  let best: string | undefined;
  for (const h of hans) if (best === undefined || h < best) best = h;
  return SPELLINGS[best ?? '']?.[0] ?? latin;
}

/** True when the romanised surname spells the Chinese surname (table first, then Cantonese readings). */
export function spellsHanSurname(han: string, latin: string): boolean {
  if (SPELLINGS[han]?.includes(latin)) return true;
  if (han.length === 1) return readingsOf(han).includes(latin);
  // Compound surname without a table entry: readings joined (歐陽 → AU + YEUNG).
  const [a = '', b = ''] = [...han];
  return readingsOf(a).some((x) => latin.startsWith(x) && readingsOf(b).includes(latin.slice(x.length)));
}

/** The romanised spellings of a Chinese surname, for blocking keys: the table's, else its readings. */
export function hanSurnameSpellings(han: string): readonly string[] {
  const listed = SPELLINGS[han];
  if (listed) return listed;
  if ([...han].length === 1) return readingsOf(han);
  const [a = '', b = ''] = [...han];
  return readingsOf(a).flatMap((x) => readingsOf(b).map((y) => x + y));
}

/** Population frequency of a romanised surname (unknown → RARE_SURNAME_FREQUENCY). */
export function surnameFrequency(latin: string): number {
  return FREQUENCY[latin] || RARE_SURNAME_FREQUENCY;
}

/** Population frequency of a Chinese surname: that of its usual Hong Kong spelling. */
export function hanSurnameFrequency(han: string): number {
  const first = SPELLINGS[han]?.[0];
  if (first === undefined) return RARE_SURNAME_FREQUENCY;
  // 黃 and 王 share WONG; the spelling's share is split between them roughly by the table order.
  return han === '王' ? 0.02 : han === '黃' ? 0.055 : surnameFrequency(first);
}
