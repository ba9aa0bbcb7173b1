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

/**
 * Scratch for one search's blocking, reused by every search (the engine is synchronous): open-addressing
 * tables in typed arrays, told apart from the previous search's contents by a generation stamp, so a
 * search allocates no Map, Set or list per key.
 */
class SmallScratch {
  generation = 0;
  // Keys: hash → first entry of its list, and how many records share it.
  keyStamp = new Int32Array(8192);
  keyHash = new Uint32Array(8192);
  keyHead = new Int32Array(8192);
  keySize = new Int32Array(8192);
  keySlots = new Int32Array(4096);
  keyCount = 0;
  // Entries: a record in a key's list, newest first.
  entryRecord = new Int32Array(4096);
  entryNext = new Int32Array(4096);
  entryCount = 0;
  // Pairs: a set of packed i * n + j.
  pairStamp = new Int32Array(8192);
  pairValue = new Uint32Array(8192);
  pairs = new Uint32Array(4096);
  pairCount = 0;

  begin(keys: number): void {
    this.generation++;
    if (this.generation >= 0x7fffffff) {
      this.generation = 1;
      this.keyStamp.fill(0);
      this.pairStamp.fill(0);
    }
    let capacity = this.keyStamp.length;
    while (capacity < keys * 2) capacity *= 2;
    if (capacity !== this.keyStamp.length) {
      this.keyStamp = new Int32Array(capacity);
      this.keyHash = new Uint32Array(capacity);
      this.keyHead = new Int32Array(capacity);
      this.keySize = new Int32Array(capacity);
    }
    if (this.keySlots.length < keys) this.keySlots = new Int32Array(capacity);
    if (this.entryRecord.length < keys) {
      this.entryRecord = new Int32Array(capacity);
      this.entryNext = new Int32Array(capacity);
    }
    this.keyCount = 0;
    this.entryCount = 0;
    this.pairCount = 0;
  }

  add(hash: number, record: number): void {
    const mask = this.keyStamp.length - 1;
    let slot = Math.imul(hash, 0x9e3779b1) >>> 0 & mask;
    const g = this.generation;
    while (this.keyStamp[slot] === g && this.keyHash[slot] !== hash) slot = (slot + 1) & mask;
    if (this.keyStamp[slot] !== g) {
      this.keyStamp[slot] = g;
      this.keyHash[slot] = hash;
      this.keyHead[slot] = -1;
      this.keySize[slot] = 0;
      this.keySlots[this.keyCount++] = slot;
    }
    const head = this.keyHead[slot] as number;
    // One record can emit two keys with the same hash; it is listed once.
    if (head >= 0 && this.entryRecord[head] === record) return;
    const e = this.entryCount++;
    this.entryRecord[e] = record;
    this.entryNext[e] = head;
    this.keyHead[slot] = e;
    this.keySize[slot] = (this.keySize[slot] as number) + 1;
  }

  addPair(packed: number): void {
    if (this.pairCount * 2 >= this.pairStamp.length) this.growPairs();
    const mask = this.pairStamp.length - 1;
    let slot = Math.imul(packed, 0x9e3779b1) >>> 0 & mask;
    const g = this.generation;
    while (this.pairStamp[slot] === g) {
      if (this.pairValue[slot] === packed) return;
      slot = (slot + 1) & mask;
    }
    this.pairStamp[slot] = g;
    this.pairValue[slot] = packed;
    if (this.pairCount === this.pairs.length) {
      const bigger = new Uint32Array(this.pairs.length * 2);
      bigger.set(this.pairs);
      this.pairs = bigger;
    }
    this.pairs[this.pairCount++] = packed;
  }

  private growPairs(): void {
    const capacity = this.pairStamp.length * 2;
    this.pairStamp = new Int32Array(capacity);
    this.pairValue = new Uint32Array(capacity);
    const mask = capacity - 1;
    const g = this.generation;
    for (let k = 0; k < this.pairCount; k++) {
      const packed = this.pairs[k] as number;
      let slot = Math.imul(packed, 0x9e3779b1) >>> 0 & mask;
      while (this.pairStamp[slot] === g) slot = (slot + 1) & mask;
      this.pairStamp[slot] = g;
      this.pairValue[slot] = packed;
    }
  }
}
const scratch = new SmallScratch();

/** One search's records (n ≤ 20,000, so i * n + j fits in 32 bits): keys grouped in a hash table. */
function blockPairsSmall(records: readonly Prepared[], maxBlock: number, hashesOf: (p: Prepared) => ArrayLike<number>): { pairs: Float64Array; stats: BlockStats } {
  const n = records.length;
  const hashes: ArrayLike<number>[] = new Array(n);
  let keys = 0;
  for (let i = 0; i < n; i++) {
    const h = hashesOf(records[i] as Prepared);
    hashes[i] = h;
    keys += h.length;
  }
  const t = scratch;
  t.begin(keys);
  for (let i = 0; i < n; i++) {
    const h = hashes[i] as ArrayLike<number>;
    for (let k = 0; k < h.length; k++) t.add(h[k] as number, i);
  }
  let blocks = 0;
  let skipped = 0;
  for (let s = 0; s < t.keyCount; s++) {
    const slot = t.keySlots[s] as number;
    const size = t.keySize[slot] as number;
    if (size < 2) continue;
    if (size > maxBlock) {
      skipped++;
      continue;
    }
    blocks++;
    // Lists are newest first: later entries hold lower record positions.
    for (let x = t.keyHead[slot] as number; x >= 0; x = t.entryNext[x] as number) {
      const j = t.entryRecord[x] as number;
      for (let y = t.entryNext[x] as number; y >= 0; y = t.entryNext[y] as number) t.addPair((t.entryRecord[y] as number) * n + j);
    }
  }
  const sorted = t.pairs.subarray(0, t.pairCount).sort();
  const out = Float64Array.from(sorted);
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
