// Batch resolution speed and memory: demo records (hard setting) written as NDJSON, then resolved by
// resolveFile in a fresh process so its peak memory is its own.
// Run: node bench/resolution-speed.ts [--records 10000,100000,1000000] [--dir /tmp/cirms-bench]
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { generateDemo } from '../src/demo/generate.ts';
import { makeHard } from '../src/demo/hard.ts';
import { resolveFile } from '../src/resolution/batch.ts';
import { demoRecords } from '../src/resolution/eval/demo-records.ts';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '10000,100000,1000000' },
    dir: { type: 'string', default: '/tmp/cirms-bench' },
    run: { type: 'string' },
    out: { type: 'string' },
  },
});

if (values.run) {
  // Child: resolve one file, report time and peak memory.
  const t = performance.now();
  const summary = await resolveFile(values.run, values.out ?? `${values.run}.out`, { progress: false });
  const seconds = (performance.now() - t) / 1000;
  console.log(JSON.stringify({ ...summary, total: seconds, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
} else {
  mkdirSync(values.dir, { recursive: true });
  console.log('| records | prepare s | resolve s | write s | total s | peak RSS MB | clusters | links | possible |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const n of values.records.split(',').map(Number)) {
    const file = `${values.dir}/records-${n}.ndjson`;
    if (!existsSync(file) || statSync(file).size === 0) await write(n, file);
    const child = spawnSync(process.execPath, ['--max-old-space-size=4096', import.meta.filename, '--run', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const r = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}');
    console.log(`| ${n.toLocaleString('en')} | ${r.seconds.prepare.toFixed(1)} | ${r.seconds.resolve.toFixed(1)} | ${r.seconds.write.toFixed(1)} | ${r.total.toFixed(1)} | ${r.maxRssMb} | ${r.clusters} | ${r.links} | ${r.possibleMatches} |`);
  }
}

/** About 23 records per trader in the demo estate; generate enough, keep the first n. */
async function write(n: number, file: string): Promise<void> {
  const data = makeHard(generateDemo({ traders: Math.ceil(n / 22) + 10 }), { seed: 2016 });
  const out = createWriteStream(file);
  let k = 0;
  for (const r of demoRecords(data)) {
    if (k++ >= n) break;
    if (!out.write(JSON.stringify(r) + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
