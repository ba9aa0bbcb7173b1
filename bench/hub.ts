// The hub under benchmark, run as its own process: createHub on an in-memory store, silent logs, answer
// cache off, one http source per URL given. Listens on 127.0.0.1:0 and prints {"url":"http://..."}.
// Exits on SIGTERM/SIGINT or when stdin closes.
//
//   node bench/hub.ts --sources http://127.0.0.1:p1,http://127.0.0.1:p2,...   (or BENCH_SOURCES=...)

import { parseArgs } from 'node:util';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import type { HubConfig } from '../src/config.ts';
import type { HttpDefinition } from '../src/connectors/http.ts';
import { createHub } from '../src/hub.ts';

const { values } = parseArgs({ options: { sources: { type: 'string' } } });
const list = (values.sources ?? process.env.BENCH_SOURCES ?? '').split(',').filter(Boolean);
if (list.length === 0) {
  process.stderr.write('bench/hub.ts: give the source URLs with --sources URL,URL,... or BENCH_SOURCES\n');
  process.exit(2);
}

/** Like test/support/sources.ts's peopleSource, sized for load: big pool, high concurrency. */
export function benchSource(id: string, baseUrl: string): HttpDefinition {
  return {
    id,
    kind: 'http',
    baseUrl,
    timeoutMs: 5_000,
    concurrency: 1024,
    connections: 128,
    healthPath: '/health',
    queries: {
      person: {
        by: {
          hkid: { path: '/people', query: { hkid: '{{value}}', limit: '{{limit}}' } },
          name: { path: '/people', query: { name: '{{raw}}', limit: '{{limit}}' } },
        },
        items: 'items',
        mapping: {
          key: '{{id}}',
          names: [{ field: 'name' }],
          identifiers: [{ scheme: 'hkid', field: 'hkid' }],
          attributes: { dateOfBirth: 'dob' },
          fields: ['name', 'hkid', 'dob'],
        },
      },
    },
  };
}

const config: HubConfig = {
  file: 'bench',
  server: { host: '127.0.0.1', port: 0, bodyLimit: 64 * 1024, logLevel: 'silent' },
  store: { url: 'memory:' },
  search: { defaultTimeoutMs: 5_000, maxTimeoutMs: 10_000, defaultLimit: 50, maxExpansion: 20, cache: { max: 0, ttlMs: 0 } },
  healthCheckIntervalMs: 60_000,
  sources: list.map((url, i) => benchSource(`bench-${i + 1}`, url)),
};

const hub = await createHub(config, { log: pino({ level: 'silent' }) });
await hub.app.listen({ host: '127.0.0.1', port: 0 });
const { port } = hub.app.server.address() as AddressInfo;
process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${port}` }) + '\n');

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(0), 2_000).unref();
  hub.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
