// The online merge on the federated-search benchmark's answer: 250 records = 50 persons × 5 sources,
// every record with a valid HKID, names spelt differently per source (bench/people.ts), mapped as the
// hub's connectors map them. Times mergeWithMatches (called on every search) after a warm-up.
// Run: node bench/merge-online.ts [--runs 1000] [--warmup 200]
import { parseArgs } from 'node:util';
import type { SourceRecord } from '../src/model/record.ts';
import { compileMapping } from '../src/connectors/mapping.ts';
import { mergeWithMatches } from '../src/resolution/merge.ts';
import { recordsOf } from './people.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '1000' }, warmup: { type: 'string', default: '200' } } });
const map = compileMapping('s', 'person', { key: '{{id}}', names: [{ field: 'name' }], identifiers: [{ scheme: 'hkid', field: 'hkid' }], attributes: { dateOfBirth: 'dob' }, fields: ['name', 'hkid', 'dob'] }, 0);
const recs: SourceRecord[] = [];
for (let s = 0; s < 5; s++) {
  for (const r of recordsOf(s)) {
    const m = map(r as unknown as Record<string, unknown>)!;
    m.source = 'bench-' + (s + 1);
    recs.push(m);
  }
}

const check = mergeWithMatches(recs);
console.log(`${recs.length} records → ${check.subjects.length} subjects, ${check.possibleMatches.size} with possible matches`);

for (let i = 0; i < Number(values.warmup); i++) mergeWithMatches(recs);
const runs = Number(values.runs);
const times = new Float64Array(runs);
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  mergeWithMatches(recs);
  times[i] = performance.now() - t;
}
times.sort();
const mean = times.reduce((a, b) => a + b, 0) / runs;
const q = (p: number) => times[Math.min(runs - 1, Math.floor(p * runs))] ?? 0;
console.log(`mergeWithMatches, ${runs} calls: mean ${mean.toFixed(3)} ms, p50 ${q(0.5).toFixed(3)} ms, p99 ${q(0.99).toFixed(3)} ms`);
