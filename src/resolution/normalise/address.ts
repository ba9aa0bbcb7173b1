// Addresses, folded just enough that two spellings of one Hong Kong address compare equal.

import { isHan } from './name.ts';

const ABBREVIATIONS: Record<string, string> = {
  RD: 'ROAD',
  ST: 'STREET',
  BLDG: 'BUILDING',
  FLT: 'FLAT',
  FL: 'FLOOR',
  RM: 'ROOM',
  BLK: 'BLOCK',
  AVE: 'AVENUE',
  CTR: 'CENTRE',
  CENTER: 'CENTRE',
  HSE: 'HOUSE',
  IND: 'INDUSTRIAL',
  KLN: 'KOWLOON',
  NT: 'NEW TERRITORIES',
  CTRE: 'CENTRE',
  COMM: 'COMMERCIAL',
};
// Regions a clerk adds or drops at the end; the district before them already places the address.
const REGIONS = [['HONG', 'KONG'], ['HK'], ['KOWLOON'], ['NEW', 'TERRITORIES']];

/** Null for an empty address. Chinese addresses only lose their spaces and punctuation. */
export function normaliseAddress(raw: string): string | null {
  if (isHan(raw)) return raw.replace(/[\s\p{P}]/gu, '') || null;
  const words = (
    raw
      .toUpperCase()
      .replace(/['’.]/g, '')
      // `12/F` and `G/F` are floors.
      .replace(/\/F\b/g, ' FLOOR')
      .match(/[A-Z0-9]+/g) ?? []
  ).flatMap((w) => (ABBREVIATIONS[w] ?? w).split(' '));
  // Every address in the hub is in Hong Kong, so a trailing `Hong Kong` / `HK` carries nothing, and
  // neither does the region after a district (`…, Kwun Tong, Kowloon`).
  for (let dropped = true; dropped && words.length > 3; ) {
    dropped = false;
    for (const region of REGIONS) {
      if (words.length > region.length + 2 && region.every((r, i) => words[words.length - region.length + i] === r)) {
        words.splice(-region.length);
        dropped = true;
      }
    }
  }
  return words.length > 0 ? words.join(' ') : null;
}
