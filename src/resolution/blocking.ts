// Blocking: candidate pairs from several cheap keys, never all pairs. Every record emits keys —
// identifiers (and an HKID's body, so a mistyped check character still meets its twin), phones, name
// keys with surname spelling families and Cantonese readings of Chinese names, surname + date of
// birth, given name + year of birth, surname + address — and records sharing a key are candidates.
// Keys are hashed to numbers and sorted with the record index packed in, so blocking costs a sort of
// (records × keys) numbers: O(n log n) time and a few bytes per key. A key shared by more than
// `maxBlock` records (a surname alone, a registered-office address) says too little to be worth its
// quadratic pairs and is skipped; the other keys still find the true matches.

import { readingsOf } from './normalise/jyutping.ts';
import { hanSurnameSpellings, surnameFamilyKey } from './normalise/surnames.ts';
import type { NameParse, PersonForm, Prepared } from './prepare.ts';

/** 32-bit FNV-1a. Collisions only add candidate pairs, which the comparators then reject. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The blocking keys of one record, as strings (tests and explanations); blockPairs hashes them. */
export function blockingKeys(p: Prepared): string[] {
  const keys = new Set<string>();
  const t = p.type.charAt(0);
  for (const id of p.ids) {
    keys.add(`${t}i${id.namespace}:${id.value}`);
    if (id.body) keys.add(`${t}b${id.namespace}:${id.body}`);
  }
  for (const phone of p.phones) keys.add(`${t}p${phone}`);
  if (p.type === 'person') {
    const years = p.dobs.map((d) => d.slice(0, 4));
    for (const n of p.names) {
      if (!n.person) continue;
      for (const { families, givens, initial } of nameParts(n.person)) {
        for (const f of families) {
          for (const g of givens) keys.add(`pn${f}|${g}`);
          for (const d of p.dobs) keys.add(`pd${f}|${d}`);
          for (const a of p.addresses) keys.add(`pa${f}|${a}`);
          // A typo in the given name: surname family + the given name's first letter + year of birth.
          if (initial) for (const y of years) keys.add(`py${f}|${initial}|${y}`);
        }
        for (const g of givens) for (const y of years) keys.add(`pg${g}|${y}`);
      }
    }
  } else if (p.type === 'company') {
    for (const n of p.names) if (n.company) keys.add(`cn${n.company.key}`);
    for (const a of p.addresses) keys.add(`ca${a}`);
  }
  return [...keys];
}

interface NameParts {
  families: string[];
  givens: string[];
  initial: string;
}

// Per name form (immutable, shared through the normaliser's cache): its key parts, worked out once.
const partsCache = new WeakMap<PersonForm, NameParts[]>();

function nameParts(form: PersonForm): NameParts[] {
  let parts = partsCache.get(form);
  if (!parts) {
    parts = form.parses.map((parse) =>
      form.script === 'han'
        ? { families: hanFamilies(parse.surname), givens: hanGivenKeys(parse), initial: '' }
        : { families: [surnameFamilyKey(parse.surname)], givens: [[...parse.given].sort().join(' ')], initial: parse.joined.charAt(0) },
    );
    partsCache.set(form, parts);
  }
  return parts;
}

function hanFamilies(surname: string): string[] {
  return [...new Set(hanSurnameSpellings(surname).map(surnameFamilyKey))].slice(0, 4);
}

/** Romanised given-name keys a Chinese given name may stand for: every combination of readings, capped. */
function hanGivenKeys(parse: NameParse): string[] {
  let combos: string[][] = [[]];
  for (const c of parse.given) {
    const readings = readingsOf(c);
    if (readings.length === 0) return [];
    const next: string[][] = [];
    for (const combo of combos) for (const r of readings) if (next.length < 12) next.push([...combo, r]);
    combos = next;
  }
  return combos.map((c) => c.sort().join(' '));
}

/** A growable Float64Array. */
class NumberList {
  data = new Float64Array(1024);
  length = 0;
  push(x: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = x;
  }
  sorted(): Float64Array {
    return this.data.subarray(0, this.length).sort();
  }
}

export interface BlockStats {
  keys: number;
  blocks: number;
  skippedBlocks: number;
  pairs: number;
}

// Key hashes per record content (signature), shared by every search: the same records come back
// search after search, and building key strings costs more than the rest of blocking.
const hashCache = new Map<string, Uint32Array>();
const HASH_CACHE_MAX = 50_000;

/** The hashed blocking keys of a record, cached by its content signature. */
export function blockingHashes(p: Prepared): Uint32Array {
  let hashes = hashCache.get(p.signature);
  if (!hashes) {
    hashes = Uint32Array.from(blockingKeys(p), hash32);
    if (hashCache.size >= HASH_CACHE_MAX) hashCache.clear();
    hashCache.set(p.signature, hashes);
  }
  return hashes;
}

/**
 * Unique candidate pairs (i < j) among `records`, packed as i * n + j in a sorted Float64Array.
 * Small inputs (one search) group keys in a Map; large ones (batch) sort packed numbers, which needs
 * no per-key object.
 */
export function blockPairs(
  records: readonly Prepared[],
  maxBlock: number,
  hashesOf: (p: Prepared) => ArrayLike<number> = blockingHashes,
): { pairs: Float64Array; stats: BlockStats } {
  return records.length <= 20_000 ? blockPairsSmall(records, maxBlock, hashesOf) : blockPairsLarge(records, maxBlock, hashesOf);
}

function blockPairsSmall(records: readonly Prepared[], maxBlock: number, hashesOf: (p: Prepared) => ArrayLike<number>): { pairs: Float64Array; stats: BlockStats } {
  const n = records.length;
  const groups = new Map<number, number[]>();
  let keys = 0;
  for (let i = 0; i < n; i++) {
    const hashes = hashesOf(records[i] as Prepared);
    keys += hashes.length;
    for (let k = 0; k < hashes.length; k++) {
      const h = hashes[k] as number;
      const g = groups.get(h);
      if (!g) groups.set(h, [i]);
      else if (g[g.length - 1] !== i) g.push(i);
    }
  }
  const seen = new Set<number>();
  const pairs: number[] = [];
  let blocks = 0;
  let skipped = 0;
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    if (g.length > maxBlock) {
      skipped++;
      continue;
    }
    blocks++;
    for (let x = 0; x < g.length; x++) {
      const i = g[x] as number;
      for (let y = x + 1; y < g.length; y++) {
        const packed = i * n + (g[y] as number);
        if (!seen.has(packed)) {
          seen.add(packed);
          pairs.push(packed);
        }
      }
    }
  }
  const out = Float64Array.from(pairs).sort();
  return { pairs: out, stats: { keys, blocks, skippedBlocks: skipped, pairs: out.length } };
}

function blockPairsLarge(records: readonly Prepared[], maxBlock: number, hashesOf: (p: Prepared) => ArrayLike<number>): { pairs: Float64Array; stats: BlockStats } {
  const n = records.length;
  const indexBits = Math.max(1, Math.ceil(Math.log2(n + 1)));
  const hashSpace = 2 ** Math.min(32, 53 - indexBits);
  const scale = 2 ** indexBits;
  const entries = new NumberList();
  for (let i = 0; i < n; i++) {
    const hashes = hashesOf(records[i] as Prepared);
    for (let k = 0; k < hashes.length; k++) entries.push(((hashes[k] as number) % hashSpace) * scale + i);
  }
  const sorted = entries.sorted();
  const pairs = new NumberList();
  let blocks = 0;
  let skipped = 0;
  for (let start = 0; start < sorted.length; ) {
    const h = Math.floor((sorted[start] ?? 0) / scale);
    let end = start + 1;
    while (end < sorted.length && Math.floor((sorted[end] ?? 0) / scale) === h) end++;
    const size = end - start;
    if (size >= 2) {
      if (size > maxBlock) skipped++;
      else {
        blocks++;
        for (let x = start; x < end; x++) {
          const i = (sorted[x] ?? 0) % scale;
          for (let y = x + 1; y < end; y++) {
            const j = (sorted[y] ?? 0) % scale;
            // One record can emit two keys with the same hash; it is never its own candidate.
            if (i !== j) pairs.push(i < j ? i * n + j : j * n + i);
          }
        }
      }
    }
    start = end;
  }
  const all = pairs.sorted();
  // Unique in place.
  let u = 0;
  for (let k = 0; k < all.length; k++) if (k === 0 || all[k] !== all[u - 1]) all[u++] = all[k] ?? 0;
  return { pairs: all.subarray(0, u), stats: { keys: sorted.length, blocks, skippedBlocks: skipped, pairs: u } };
}
