// The hub under benchmark, run as its own process: createHub on its store (BENCH_STORE_URL, default an
// in-memory PGlite inside the hub process), silent logs, answer cache off, one http source per URL given,
// real sign-on (bench/identity.ts). Listens on 127.0.0.1:0 and prints
// {"url":"http://...","pids":[...],"token":"..."}. Exits on SIGTERM/SIGINT or when stdin closes.
// With --workers N, a node:cluster primary runs N hub processes on one port — the way a deployment runs
// one replica per core (the hub keeps no state in memory that matters).
//
//   node bench/hub.ts --sources http://127.0.0.1:p1,http://127.0.0.1:p2,... [--workers N]

import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import type { HubConfig } from '../src/config.ts';
import type { HttpDefinition } from '../src/connectors/http.ts';
import { createHub } from '../src/hub.ts';
import { peopleSource } from '../test/support/sources.ts';
import { startBenchIdentity } from './identity.ts';

const { values } = parseArgs({ options: { sources: { type: 'string' }, workers: { type: 'string', default: '1' } } });
const workers = Math.max(1, Number(values.workers) || 1);
const list = (values.sources ?? process.env.BENCH_SOURCES ?? '').split(',').filter(Boolean);
if (list.length === 0) {
  process.stderr.write('bench/hub.ts: give the source URLs with --sources URL,URL,... or BENCH_SOURCES\n');
  process.exit(2);
}

/** The tests' people source, sized for load: big pool, high concurrency. */
function benchSource(id: string, baseUrl: string): HttpDefinition {
  return peopleSource(id, baseUrl, { timeoutMs: 5_000, concurrency: 1024, connections: 128 });
}

// The primary owns the identity provider; workers get its settings and the token through the environment.
const identity = cluster.isPrimary ? await startBenchIdentity() : undefined;
const shared = identity ? { auth: identity.auth, token: identity.token } : (JSON.parse(process.env.BENCH_IDENTITY!) as { auth: HubConfig['auth']; token: string });
process.env.BENCH_IDENTITY = JSON.stringify(shared);

const config: HubConfig = {
  file: 'bench',
  server: { host: '127.0.0.1', port: 0, bodyLimit: 64 * 1024, logLevel: 'silent', workers: 1 },
  store: { url: process.env.BENCH_STORE_URL ?? 'memory:' },
  auth: shared.auth!,
  search: { defaultTimeoutMs: 5_000, maxTimeoutMs: 10_000, defaultLimit: 50, maxExpansion: 20, cache: { max: 0, ttlMs: 0 } },
  healthCheckIntervalMs: 60_000,
  registryRefreshMs: 60_000,
  sources: list.map((url, i) => benchSource(`bench-${i + 1}`, url)),
};

if (cluster.isPrimary && workers > 1) {
  // Workers listening on port 0 share the one port the primary picks.
  const urls = await Promise.all(
    Array.from({ length: workers }, () => {
      const w = cluster.fork();
      return new Promise<{ url: string; pid: number }>((resolve, reject) => {
        w.once('message', (m: { url: string }) => resolve({ url: m.url, pid: w.process.pid! }));
        w.once('exit', (code) => reject(new Error(`hub worker exited ${code}`)));
      });
    }),
  );
  process.stdout.write(JSON.stringify({ url: urls[0]!.url, pids: [process.pid, ...urls.map((u) => u.pid)], token: shared.token }) + '\n');
  const stopAll = () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
    setTimeout(() => process.exit(0), 2_500).unref();
    cluster.on('exit', () => Object.keys(cluster.workers ?? {}).length === 0 && process.exit(0));
  };
  process.on('SIGTERM', stopAll);
  process.on('SIGINT', stopAll);
  process.stdin.on('end', stopAll);
  process.stdin.on('close', stopAll);
  process.stdin.resume();
} else {
  await serve();
}

async function serve(): Promise<void> {
  const hub = await createHub(config, { log: pino({ level: 'silent' }) });
  await hub.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = hub.app.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  if (cluster.isWorker) process.send!({ url });
  else process.stdout.write(JSON.stringify({ url, pids: [process.pid], token: shared.token }) + '\n');

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), 2_000).unref();
    identity?.close();
    hub.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (cluster.isPrimary) {
    process.stdin.on('end', stop);
    process.stdin.on('close', stop);
    process.stdin.resume();
  }
}
