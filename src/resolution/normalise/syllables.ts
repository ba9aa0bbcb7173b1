// Syllables of the Hong Kong government (Cantonese-based, toneless) romanisation as they appear in
// names on identity cards and company records. Used only to split joined given names
// (`Taiman` → TAI MAN); a token is split only when all of it segments into these.

const SYLLABLES = `
  AH AI AK AM AN ANG AP AT AU
  CHA CHAI CHAK CHAM CHAN CHANG CHAP CHAT CHAU CHE CHEE CHEK CHENG CHEONG CHERK CHEUK CHEUNG CHI
  CHIK CHIM CHIN CHING CHIP CHIT CHIU CHO CHOI CHOK CHONG CHOR CHOW CHU CHUEN CHUI CHUK CHUM CHUN
  CHUNG CHUT
  FA FAI FAN FANG FAT FAU FEI FO FOK FONG FOO FOOK FOON FOR FU FUI FUK FUN FUNG
  HA HAI HAK HAM HAN HANG HAP HAU HEI HEUNG HIM HIN HING HIP HIU HO HOI HOK HON HONG HOO HOR HOU
  HUEN HUI HUNG
  KA KAI KAK KAM KAN KANG KAP KAT KAU KEI KEUNG KIM KIN KING KIT KIU KO KOI KOK KON KONG KOO KOON
  KOT KU KUEN KUI KUK KUN KUNG KWAI KWAN KWAT KWOK KWONG KWUN
  LAI LAK LAM LAN LANG LAP LAU LAW LEE LEI LEUK LEUNG LI LIK LIM LIN LING LIP LIT LIU LO LOI LOK
  LONG LOO LOOK LOON LOR LOU LUEN LUET LUI LUK LUM LUN LUNG
  MA MAI MAK MAN MANG MAT MAU MEI MIK MIN MING MIT MIU MO MOK MON MONG MOON MOOK MOU MUI MUK MUN
  MUNG
  NA NAI NAM NAN NANG NAU NEI NG NGA NGAI NGAN NGAU NGO NGOI NGOK NGON NIK NIM NIN NING NIP NIU
  NOK NUEN NUI NUK NUNG
  OI OK ON OR OU
  PAK PAN PANG PAT PAU PEI PIK PIN PING PIT PIU PO POK PONG POO POON PUI PUK PUN PUT
  SAI SAK SAM SAN SANG SAP SAT SAU SE SEE SEI SEK SENG SEUNG SHAN SHE SHEK SHEUNG SHING SHIU SHU
  SHUE SHUEN SHUI SHUK SHUN SIK SIM SIN SING SIP SIT SIU SO SOI SUEN SUET SUI SUK SUM SUN SUNG SZE
  TAI TAK TAM TAN TANG TAT TAU TEI TEK TENG TIK TIM TIN TING TIP TIT TIU TO TOI TOK TONG TSAI TSAM
  TSAN TSANG TSAU TSE TSEK TSENG TSEUNG TSIN TSING TSO TSOI TSONG TSUEN TSUI TSUN TSUNG TSZ TUEN
  TUI TUK TUN TUNG
  UN
  WA WAH WAI WAN WANG WAT WING WO WOK WONG WOO WOON WU WUI WUN
  YAM YAN YAT YAU YEE YEUK YEUNG YI YICK YIK YIM YIN YING YIP YIT YIU YU YUE YUEN YUET YUI YUK YUNG
`;

const KNOWN = new Set(SYLLABLES.split(/\s+/).filter(Boolean));
const LONGEST = Math.max(...[...KNOWN].map((s) => s.length));

export function isSyllable(token: string): boolean {
  return KNOWN.has(token);
}

/**
 * Splits an upper-case token into known syllables, or returns null when it does not segment entirely.
 * Among segmentations it prefers the fewest syllables, then the fewest starting with a vowel, because
 * vowel-initial syllables (AN, ON, OI…) are rare in names: KAMAN → KA MAN rather than KAM AN.
 */
export function segmentSyllables(token: string): string[] | null {
  const n = token.length;
  // best[i] = cheapest segmentation of token[i..]; cost compares [syllables, vowel-initial syllables].
  const best: ({ parts: string[]; count: number; vowels: number } | null)[] = new Array(n + 1).fill(null);
  best[n] = { parts: [], count: 0, vowels: 0 };
  for (let i = n - 1; i >= 0; i--) {
    for (let len = 1; len <= LONGEST && i + len <= n; len++) {
      const rest = best[i + len];
      const piece = token.slice(i, i + len);
      if (!rest || !KNOWN.has(piece)) continue;
      const count = rest.count + 1;
      const vowels = rest.vowels + (/^[AEIOU]/.test(piece) ? 1 : 0);
      const current = best[i];
      if (!current || count < current.count || (count === current.count && vowels < current.vowels)) {
        best[i] = { parts: [piece, ...rest.parts], count, vowels };
      }
    }
  }
  return best[0]?.parts ?? null;
}
