// Merge speed on the hot path of a search: 5 sources × 50 records about 50 people (the shape of the
// federated-search bench), and 500 records for issue 3's "one search's 500 records" figure.
// Run: node bench/merge.ts
import type { SourceRecord } from '../src/model/record.ts';
import { mergeRecords } from '../src/resolution/merge.ts';

function records(n: number): SourceRecord[] {
  const out: SourceRecord[] = [];
  const people = n / 5;
  for (let i = 0; i < n; i++) {
    const person = i % people;
    out.push({
      source: ['itd', 'cis', 'rocars', 'tdec', 'seizures'][i % 5]!,
      key: `K-${i}`,
      type: 'person',
      names: [{ value: i % 2 ? `CHAN Tai Man ${person}` : `Chan Taiman ${person}` }, { value: '陳大文' }],
      identifiers: i % 3 ? [{ scheme: 'hkid', value: `A${String(100000 + person)}(${i % 11 === 10 ? 'A' : i % 11})` }] : [],
      attributes: { dateOfBirth: `19${50 + (person % 40)}-01-01`, phone: `9${String(1000000 + person)}`, address: `${person} Nathan Rd` },
      links: [{ type: 'director_of', target: { type: 'company', identifiers: [{ scheme: 'br', value: String(10000000 + person) }] } }],
      level: 0,
      cases: [],
      fields: {},
    });
  }
  return out;
}

function measure(n: number, runs: number): { n: number; p50: number; p99: number; mean: number } {
  const input = records(n);
  for (let i = 0; i < 50; i++) mergeRecords(input);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    mergeRecords(input);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
  return { n, p50: q(0.5), p99: q(0.99), mean: times.reduce((a, b) => a + b, 0) / times.length };
}

console.log('| records | p50 ms | p99 ms | mean ms |');
console.log('|---:|---:|---:|---:|');
for (const n of [250, 500]) {
  const r = measure(n, 500);
  console.log(`| ${r.n} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.mean.toFixed(2)} |`);
}
