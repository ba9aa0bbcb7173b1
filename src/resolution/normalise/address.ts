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
};

/** Null for an empty address. Chinese addresses only lose their spaces and punctuation. */
export function normaliseAddress(raw: string): string | null {
  if (isHan(raw)) return raw.replace(/[\s\p{P}]/gu, '') || null;
  const words = (
    raw
      .toUpperCase()
      .replace(/['’]/g, '')
      // `12/F` and `G/F` are floors.
      .replace(/\/F\b/g, ' FLOOR')
      .match(/[A-Z0-9]+/g) ?? []
  ).map((w) => ABBREVIATIONS[w] ?? w);
  // Every address in the hub is in Hong Kong, so a trailing `Hong Kong` / `HK` carries nothing.
  if (words.at(-1) === 'HK') words.pop();
  else if (words.at(-2) === 'HONG' && words.at(-1) === 'KONG') words.splice(-2);
  return words.length > 0 ? words.join(' ') : null;
}
