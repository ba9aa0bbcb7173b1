// CPU milliseconds the hub spends per search, measured so that two versions can be told apart on a
// noisy shared machine: the hub (bench/hub.ts, with the node flags given) is driven by a closed loop of
// a few concurrent searches well below saturation, and its CPU time (/proc) is read over several short
// windows. The minimum window is the figure to compare: noise only ever adds CPU time.
//
//   node bench/cpu.ts [--windows 8] [--seconds 3] [--concurrency 8] [--node-flags="--flag …"] [--empty]
//
// Without --node-flags the hub runs with the flags it is deployed with (bench/hub-flags.ts). --empty: the
// sources answer nothing, which leaves what a search costs apart from its records (sign-on, five source
// calls, the audit entry, HTTP).

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { HUB_NODE_FLAGS } from './hub-flags.ts';
import { PERSONS } from './people.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    windows: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '8' },
    'node-flags': { type: 'string' },
    empty: { type: 'boolean', default: false },
  },
});

const kids: ChildProcess[] = [];
process.on('exit', () => kids.forEach((k) => k.exitCode === null && k.kill('SIGKILL')));

function run(args: string[]): Promise<{ pid: number; line: { url: string; urls: string[]; token: string } }> {
  const proc = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  kids.push(proc);
  return new Promise((resolve, reject) => {
    proc.once('exit', (c) => reject(new Error(`${args.join(' ')} exited ${c}`)));
    createInterface({ input: proc.stdout }).once('line', (l) => resolve({ pid: proc.pid!, line: JSON.parse(l) }));
  });
}

function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

const flags = values['node-flags'] === undefined ? HUB_NODE_FLAGS : values['node-flags'].split(' ').filter(Boolean);
const src = await run([join(here, 'sources.ts'), ...(values.empty ? ['--empty'] : [])]);
const hub = await run([...flags, join(here, 'hub.ts'), '--sources', src.line.urls.join(',')]);
const client = new Pool(hub.line.url, { connections: Number(values.concurrency) });
const body = JSON.stringify({ query: { identifiers: [{ scheme: 'hkid', value: PERSONS[0]!.hkid }] }, purpose: 'benchmark', expand: false });
const headers = { 'content-type': 'application/json', authorization: `Bearer ${hub.line.token}` };

let done = 0;
let stop = false;
async function loop(): Promise<void> {
  while (!stop) {
    const res = await client.request({ method: 'POST', path: '/v1/search', headers, body });
    const text = await res.body.text();
    if (res.statusCode !== 200 || !text.includes('"partial":false')) throw new Error(`bad answer ${res.statusCode}`);
    done++;
  }
}
const loops = Array.from({ length: Number(values.concurrency) }, loop);
await new Promise((r) => setTimeout(r, 3_000)); // warm-up: JIT, pools, caches
const perSearch: number[] = [];
for (let w = 0; w < Number(values.windows); w++) {
  const c0 = cpuMs(hub.pid);
  const d0 = done;
  await new Promise((r) => setTimeout(r, Number(values.seconds) * 1000));
  perSearch.push((cpuMs(hub.pid) - c0) / (done - d0));
}
stop = true;
await Promise.allSettled(loops);
await client.close();
const sorted = [...perSearch].sort((a, b) => a - b);
process.stdout.write(
  JSON.stringify({ flags, empty: values.empty, windows: perSearch.map((x) => +x.toFixed(2)), minMs: +sorted[0]!.toFixed(2), medianMs: +sorted[Math.floor(sorted.length / 2)]!.toFixed(2) }) + '\n',
);
process.exit(0);
