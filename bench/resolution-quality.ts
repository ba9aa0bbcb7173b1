// Matching quality on labelled data: the demo estate (optionally made hard by src/demo/hard.ts) turned
// into canonical records, resolved by the engine as in batch, scored against the generator's truth.
// Run: node bench/resolution-quality.ts [--traders 3000] [--seed 2016] [--hard] [--errors 10] [--model m.json]
//        [--estimate] [--compare] [--save-model m.json]
// --compare resolves with the start model (defaults or --model) and with the EM estimate, one line each.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateDemo } from '../src/demo/generate.ts';
import { makeHard } from '../src/demo/hard.ts';
import { resolvePrepared } from '../src/resolution/engine.ts';
import { demoRecords, truthIndex } from '../src/resolution/eval/demo-records.ts';
import { measureQuality } from '../src/resolution/eval/metrics.ts';
import { estimateModel } from '../src/resolution/em.ts';
import { DEFAULT_MODEL, parseModel, weightsOf, type MatchModel } from '../src/resolution/model.ts';
import { Normaliser, prepare, type Prepared } from '../src/resolution/prepare.ts';
import { compare } from '../src/resolution/util.ts';

const { values } = parseArgs({
  options: {
    traders: { type: 'string', default: '3000' },
    seed: { type: 'string', default: '2016' },
    hard: { type: 'boolean', default: false },
    errors: { type: 'string', default: '0' },
    model: { type: 'string' },
    estimate: { type: 'boolean', default: false },
    compare: { type: 'boolean', default: false },
    'save-model': { type: 'string' },
  },
});

const t0 = performance.now();
let data = generateDemo({ traders: Number(values.traders), seed: Number(values.seed) });
if (values.hard) data = makeHard(data, { seed: Number(values.seed) });
const truth = truthIndex(data);
const normaliser = new Normaliser(1_000_000);
const records = [...demoRecords(data)].sort((x, y) => compare(x.source, y.source) || compare(x.key, y.key));
const prepared = records.map((r) => prepare(r, normaliser));
const t1 = performance.now();
let model = values.model ? parseModel(JSON.parse(readFileSync(values.model, 'utf8'))) : undefined;
const startModel = model ?? DEFAULT_MODEL;
if (values.estimate || values.compare) {
  const te = performance.now();
  const est = estimateModel(prepared, model ? { start: model } : {});
  model = est.model;
  console.log(`EM: ${est.model.trainedOn} in ${((performance.now() - te) / 1000).toFixed(1)} s; version ${est.model.version}`);
  if (est.pinned.length > 0) console.log(`  kept from ${startModel.version}: ${est.pinned.join(', ')}`);
  if (values['save-model']) writeFileSync(values['save-model'], JSON.stringify(model, null, 2) + '\n');
  const w = weightsOf(model).w;
  for (const f of ['surname', 'given', 'dateOfBirth', 'phone', 'address', 'companyName'] as const) {
    console.log(`  ${f}: exact ${w[f].exact.toFixed(2)} close ${w[f].close.toFixed(2)} different ${w[f].different.toFixed(2)}  (m ${JSON.stringify(model.fields[f])})`);
  }
}
if (values.compare) {
  const labels = prepared.map((p) => truth.get(p.ref) ?? `?${p.ref}`);
  console.log('| model | pairwise P | pairwise R | pairwise F1 | wrong pairs | B³ P | B³ R | B³ F1 |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const m of [startModel, model as MatchModel]) {
    const q = measureQuality(resolvePrepared(prepared, { model: m, possibles: false, explain: false }).root, labels);
    const p2 = (x: number) => `${(100 * x).toFixed(2)} %`;
    console.log(`| ${m.version} | ${p2(q.pairwise.precision)} | ${p2(q.pairwise.recall)} | ${p2(q.pairwise.f1)} | ${q.pairwise.predictedPairs - q.pairwise.correctPairs} | ${p2(q.bcubed.precision)} | ${p2(q.bcubed.recall)} | ${p2(q.bcubed.f1)} |`);
  }
  process.exit(0);
}
const res = resolvePrepared(prepared, { ...(model ? { model } : {}), possibles: true });
const t2 = performance.now();
const labels = prepared.map((p) => truth.get(p.ref) ?? `?${p.ref}`);
const q = measureQuality(res.root, labels);
const pct = (x: number) => (100 * x).toFixed(2);
console.log(`records ${q.records}, true subjects ${q.trueClusters}, predicted ${q.predictedClusters}; prepared in ${((t1 - t0) / 1000).toFixed(1)} s, resolved in ${((t2 - t1) / 1000).toFixed(1)} s`);
console.log(`pairwise: precision ${pct(q.pairwise.precision)} %, recall ${pct(q.pairwise.recall)} %, F1 ${pct(q.pairwise.f1)} % (pairs: true ${q.pairwise.truePairs}, predicted ${q.pairwise.predictedPairs}, correct ${q.pairwise.correctPairs})`);
console.log(`B-cubed:  precision ${pct(q.bcubed.precision)} %, recall ${pct(q.bcubed.recall)} %, F1 ${pct(q.bcubed.f1)} %`);
console.log(`possible matches: ${res.possible.length} (of them true: ${res.possible.filter((m) => labels[m.a] === labels[m.b]).length}); stats ${JSON.stringify(res.stats)}`);
for (const type of ['person', 'company', 'vehicle']) {
  const idx = prepared.flatMap((p, i) => (p.type === type ? [i] : []));
  const qt = measureQuality(idx.map((i) => res.root[i] as number), idx.map((i) => labels[i] as string));
  console.log(`  ${type}: records ${idx.length}, pairwise P ${pct(qt.pairwise.precision)} R ${pct(qt.pairwise.recall)} F1 ${pct(qt.pairwise.f1)}; B-cubed P ${pct(qt.bcubed.precision)} R ${pct(qt.bcubed.recall)} F1 ${pct(qt.bcubed.f1)}`);
}

const show = Number(values.errors);
if (show > 0) {
  const describe = (p: Prepared) => `${p.ref} [${labels[prepared.indexOf(p)]}] ${p.names.map((n) => n.original).join(' / ')} | ${p.ids.map((i) => `${i.scheme}:${i.value}${i.valid ? '' : '!'}`).join(',')} | dob ${p.dobs.join(',')} | ph ${p.phones.join(',')} | ${p.addresses.join(' ; ')}`;
  // False merges: clusters holding several truth subjects (the edge that joined them).
  console.log('\n--- false links');
  let shown = 0;
  for (const e of res.edges) {
    if (labels[e.a] === labels[e.b]) continue;
    console.log(`${e.score} ${e.rule}\n  ${describe(prepared[e.a] as Prepared)}\n  ${describe(prepared[e.b] as Prepared)}\n  ${e.evidence.map((x) => `${x.detail} ${x.weight}`).join('; ')}`);
    if (++shown >= show) break;
  }
  // Missed: truth subjects split in several clusters; show one record of each of two parts.
  console.log('\n--- missed links');
  const byTruth = new Map<string, Map<number, number>>();
  labels.forEach((l, i) => {
    const m = byTruth.get(l) ?? byTruth.set(l, new Map()).get(l)!;
    const r = res.root[i] as number;
    if (!m.has(r)) m.set(r, i);
  });
  shown = 0;
  for (const [l, parts] of byTruth) {
    if (parts.size < 2) continue;
    const [a, b] = [...parts.values()];
    console.log(`${l}: ${parts.size} parts\n  ${describe(prepared[a!] as Prepared)}\n  ${describe(prepared[b!] as Prepared)}`);
    if (++shown >= show) break;
  }
}
