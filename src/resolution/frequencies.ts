// Term frequencies measured on the records themselves: how many differently named subjects share an
// address or a phone. Agreement on a registered-office address used by forty companies, or on a
// family's landline, is that many times less surprising, and its weight drops by log2 of the count.
// Counted by sorting packed (value hash, name hash) numbers: a few bytes per record, O(n log n).

import { hash32 } from './blocking.ts';
import type { TermFrequencies } from './compare.ts';
import type { Prepared } from './prepare.ts';

const NAME_BITS = 2 ** 21;
const EMPTY = new Float64Array(0);

const ONE = (): number => 1;

export function measureFrequencies(records: Iterable<Prepared>): TermFrequencies {
  const address = new Counter();
  const phone = new Counter();
  for (const p of records) {
    if (p.addresses.length === 0 && p.phones.length === 0) continue;
    const who = hash32(p.type + p.nameKey) % NAME_BITS;
    for (const a of p.addresses) address.add(a, who);
    for (const x of p.phones) phone.add(x, who);
  }
  const a = address.counts();
  const ph = phone.counts();
  // Nothing shared (an answer without addresses or phones, or each used by one name): no look-ups.
  return {
    address: a.size === 0 ? ONE : (v) => a.get(hash32(v)) ?? 1,
    phone: ph.size === 0 ? ONE : (v) => ph.get(hash32(v)) ?? 1,
  };
}

class Counter {
  private data = EMPTY;
  private length = 0;
  add(value: string, who: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(Math.max(256, this.data.length * 2));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = hash32(value) * NAME_BITS + who;
  }
  /** value hash → number of distinct names, only where more than one. */
  counts(): Map<number, number> {
    const sorted = this.data.subarray(0, this.length).sort();
    const out = new Map<number, number>();
    let i = 0;
    while (i < sorted.length) {
      const v = Math.floor((sorted[i] ?? 0) / NAME_BITS);
      let distinct = 0;
      let last = -1;
      for (; i < sorted.length && Math.floor((sorted[i] ?? 0) / NAME_BITS) === v; i++) {
        const who = (sorted[i] ?? 0) % NAME_BITS;
        if (who !== last) distinct++;
        last = who;
      }
      if (distinct > 1) out.set(v, distinct);
    }
    return out;
  }
}
