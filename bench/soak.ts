// Bounded soak: 10,000 searches against three sources — one answering, one that never answers, one
// that flaps (fails in bursts) — and what the hub holds before and after: heap (after a full GC) and
// open handles. Growth here is a leak of sockets, timers or listeners.
//
//   node --expose-gc bench/soak.ts [--searches 10000] [--concurrency 32]
//
// The sources run in a child process so the handle counts are the hub's own.

import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { Pool } from 'undici';
import type { HubConfig } from '../src/config.ts';
import type { HttpDefinition } from '../src/connectors/http.ts';
import { createHub } from '../src/hub.ts';
import { startBenchIdentity } from './identity.ts';
import { PERSONS, recordsOf } from './people.ts';

if (process.argv.includes('--serve-sources')) {
  // Child: the three sources. "flappy" fails for 400 ms out of every second.
  const body = JSON.stringify({ items: recordsOf(0).slice(0, 5) });
  const listen = (handler: Parameters<typeof createServer>[1]) =>
    new Promise<string>((resolve) => {
      const s = createServer(handler);
      s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`));
    });
  const urls = await Promise.all([
    listen((_req, res) => setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(body), 5)),
    listen(() => {}),
    listen((_req, res) => {
      if (Date.now() % 1000 < 400) res.writeHead(503).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    }),
  ]);
  process.stdout.write(JSON.stringify({ urls }) + '\n');
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
} else {
  await soak();
}

async function soak(): Promise<void> {
  const { values } = parseArgs({
    options: { searches: { type: 'string', default: '10000' }, concurrency: { type: 'string', default: '32' } },
    allowPositionals: true,
  });
  const total = Number(values.searches);
  const concurrency = Number(values.concurrency);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) console.error('soak: run with --expose-gc for heap figures after a full collection');

  const child = spawn(process.execPath, [new URL(import.meta.url).pathname, '--serve-sources'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const { urls } = JSON.parse(await new Promise<string>((r) => createInterface({ input: child.stdout! }).once('line', r))) as { urls: string[] };
  const [good, hanging, flappy] = urls as [string, string, string];

  const source = (id: string, baseUrl: string): HttpDefinition => ({
    id,
    kind: 'http',
    baseUrl,
    timeoutMs: 200,
    concurrency: 64,
    resilience: { breaker: { halfOpenAfterMs: 500 } },
    queries: {
      person: {
        by: { hkid: { path: '/people', query: { hkid: '{{value}}' } } },
        items: 'items',
        mapping: { key: '{{id}}', names: [{ field: 'name' }], identifiers: [{ scheme: 'hkid', field: 'hkid' }], fields: ['name'] },
      },
    },
  });
  const identity = await startBenchIdentity();
  const config: HubConfig = {
    file: 'soak',
    auth: identity.auth,
    server: { host: '127.0.0.1', port: 0, bodyLimit: 65536, logLevel: 'silent', workers: 1 },
    store: { url: 'memory:' },
    search: { defaultTimeoutMs: 1_000, maxTimeoutMs: 2_000, defaultLimit: 50, maxExpansion: 0, cache: { max: 0, ttlMs: 0 } },
    healthCheckIntervalMs: 60_000,
    registryRefreshMs: 60_000,
    sources: [source('good', good), source('hanging', hanging), source('flappy', flappy)],
  };
  const hub = await createHub(config, { log: pino({ level: 'silent' }) });
  const address = await hub.app.listen({ host: '127.0.0.1', port: 0 });
  const client = new Pool(address, { connections: concurrency });

  const body = JSON.stringify({ query: { identifiers: [{ scheme: 'hkid', value: PERSONS[0]!.hkid }] }, purpose: 'soak test', expand: false });
  const one = async (): Promise<{ ms: number; statuses: string[] }> => {
    const t = performance.now();
    const res = await client.request({ method: 'POST', path: '/v1/search', headers: { 'content-type': 'application/json', authorization: `Bearer ${identity.token}` }, body });
    const json = (await res.body.json()) as { sources: { id: string; status: string }[] };
    if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
    return { ms: performance.now() - t, statuses: json.sources.map((s) => `${s.id}:${s.status}`) };
  };

  const snapshot = () => {
    gc?.();
    const handles = process.getActiveResourcesInfo().reduce<Record<string, number>>((m, r) => ((m[r] = (m[r] ?? 0) + 1), m), {});
    return { heapMB: Math.round((process.memoryUsage().heapUsed / 1048576) * 10) / 10, handles };
  };

  // Warm up at full concurrency, so both snapshots hold the same idle keep-alive connections.
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = 0; i < 10; i++) await one();
  }));
  await new Promise((r) => setTimeout(r, 300));
  const before = snapshot();
  const latencies: number[] = [];
  const counts: Record<string, number> = {};
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        try {
          const r = await one();
          latencies.push(r.ms);
          for (const s of r.statuses) counts[s] = (counts[s] ?? 0) + 1;
        } catch {
          errors++;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  // Let the last aborted requests' sockets close and timers fire before counting.
  await new Promise((r) => setTimeout(r, 1_000));
  const after = snapshot();

  latencies.sort((a, b) => a - b);
  const q = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]! * 10) / 10;
  const result = {
    searches: latencies.length,
    errors,
    seconds: Math.round(seconds * 10) / 10,
    perSecond: Math.round(latencies.length / seconds),
    latencyMs: { p50: q(0.5), p90: q(0.9), p99: q(0.99), max: q(1) },
    sourceOutcomes: counts,
    before,
    after,
  };
  console.log(JSON.stringify(result, null, 2));
  await client.close();
  await hub.close();
  identity.close();
  child.stdin!.end();
  child.kill();
}
