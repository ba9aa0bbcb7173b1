// Where the hub spends its CPU during federated search: runs the benchmark's sources and hub (the hub under
// `node --cpu-prof`), loads it with autocannon at saturation, then prints the top functions by self time
// and by inclusive time in src/ (the profile is kept in bench/results/profile/ for Chrome DevTools).
//
//   node bench/profile.ts [--duration S] [--connections N] [--top N] [--empty]
//
// --empty: the sources answer empty lists (what a search costs apart from its records).

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { HUB_NODE_FLAGS } from './hub-flags.ts';
import { PERSONS } from './people.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '64' },
    top: { type: 'string', default: '25' },
    empty: { type: 'boolean', default: false },
  },
});
const dir = join(here, 'results', 'profile');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const kids: ChildProcessWithoutNullStreams[] = [];
process.on('exit', () => kids.forEach((k) => k.exitCode === null && k.kill('SIGKILL')));
setTimeout(() => process.exit(1), (Number(values.duration) * 3 + 120) * 1000).unref();

function run(args: string[]): Promise<{ proc: ChildProcessWithoutNullStreams; line: any }> {
  const proc = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  kids.push(proc);
  return new Promise((resolve, reject) => {
    proc.once('exit', (c) => reject(new Error(`${args.join(' ')} exited ${c}`)));
    createInterface({ input: proc.stdout }).once('line', (l) => resolve({ proc, line: JSON.parse(l) }));
  });
}

const src = await run([join(here, 'sources.ts'), ...(values.empty ? ['--empty'] : [])]);
const spawnedAt = performance.now();
const hub = await run([...HUB_NODE_FLAGS, '--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '200', join(here, 'hub.ts'), '--sources', src.line.urls.join(',')]);
// Samples before this point are start-up (module loading, migrations): left out of the figures.
const skipMs = performance.now() - spawnedAt + 500;
const body = JSON.stringify({ query: { identifiers: [{ scheme: 'hkid', value: PERSONS[0]!.hkid }] }, purpose: 'benchmark', expand: false });
const result = await autocannon({
  url: `${hub.line.url}/v1/search`,
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${hub.line.token}` },
  body,
  connections: Number(values.connections),
  duration: Number(values.duration),
});
process.stderr.write(`profile: ${(result['2xx'] / result.duration).toFixed(1)} searches/s, non-2xx ${result.non2xx}\n`);
for (const k of kids) {
  k.removeAllListeners('exit');
  k.stdin.end();
  k.kill('SIGTERM');
}
await new Promise<void>((r) => hub.proc.once('exit', () => r()));

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
if (!file) throw new Error('no profile written');
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
// Recount hits from the samples, leaving out start-up.
for (const n of profile.nodes) n.hitCount = 0;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
let t = 0;
profile.samples.forEach((id, i) => {
  t += (profile.timeDeltas[i] ?? 0) / 1000;
  const n = byId.get(id);
  if (n && t >= skipMs) n.hitCount = (n.hitCount ?? 0) + 1;
});
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const totalHits = profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0);
const idle = profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').reduce((s, n) => s + (n.hitCount ?? 0), 0);

const label = (n: Node) => {
  const url = n.callFrame.url.replace(/^file:\/\//, '').replace(process.cwd() + '/', '');
  const short = url.includes('node_modules/') ? url.slice(url.lastIndexOf('node_modules/') + 13) : url;
  return `${n.callFrame.functionName || '(anonymous)'} ${short ? `${short}:${n.callFrame.lineNumber + 1}` : ''}`.trim();
};
const area = (n: Node) => {
  const url = n.callFrame.url;
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  const src = /\/src\/([^/]+(?:\/[^/.]+(?=\/))?)/.exec(url);
  if (src) return `src/${src[1]}`;
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[1];
  return url ? 'other' : n.callFrame.functionName.startsWith('(') ? n.callFrame.functionName : '(native/generated)';
};
const areas = new Map<string, number>();
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
for (const n of profile.nodes) {
  const h = n.hitCount ?? 0;
  if (!h) continue;
  self.set(label(n), (self.get(label(n)) ?? 0) + h);
  // Inclusive: count each distinct frame once per sample path.
  const seenArea = new Set<string>();
  for (let cur: Node | undefined = n; cur; cur = byId.get(parent.get(cur.id) ?? -1)) {
    const a = area(cur);
    if (seenArea.has(a)) continue;
    seenArea.add(a);
    areas.set(a, (areas.get(a) ?? 0) + h);
  }
  const seen = new Set<string>();
  for (let cur: Node | undefined = n; cur; cur = byId.get(parent.get(cur.id) ?? -1)) {
    const l = label(cur);
    if (seen.has(l)) continue;
    seen.add(l);
    inclusive.set(l, (inclusive.get(l) ?? 0) + h);
  }
}
const busy = totalHits - idle;
const pct = (h: number) => ((100 * h) / busy).toFixed(1).padStart(5) + '%';
const top = Number(values.top);
console.log(`\nstart-up (first ${(skipMs / 1000).toFixed(1)} s) left out; busy samples ${busy} of ${totalHits} (${((100 * busy) / totalHits).toFixed(0)}% busy); percentages are of busy time\n`);
console.log('inclusive time by area (a sample counts once for every area on its stack):');
for (const [a, h] of [...areas].filter(([a]) => a !== '(idle)' && a !== '(root)').sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`  ${pct(h)}  ${a}`);
console.log('\nself time:');
for (const [l, h] of [...self].filter(([l]) => !l.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(h)}  ${l}`);
console.log('\ninclusive time, src/ only:');
for (const [l, h] of [...inclusive].filter(([l]) => l.includes('src/')).sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(h)}  ${l}`);
console.log(`\nprofile: ${join(dir, file)}`);
process.exit(0);
