// Benchmark sources, run as their own process: 5 node:http servers on 127.0.0.1 (port 0), each answering
// any GET /people?... with the same 50 persons (its own spellings and ids) after a fixed delay, and
// GET /health with 200. Prints {"urls":[...]} once listening; exits on SIGTERM/SIGINT or when stdin closes.
//
//   node bench/sources.ts [--delay MS] [--count N] [--empty]
//
// --empty: every answer is an empty list, to measure what a search costs the hub apart from its records.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { recordsOf, SOURCE_COUNT } from './people.ts';

const { values } = parseArgs({
  options: { delay: { type: 'string', default: '20' }, count: { type: 'string', default: String(SOURCE_COUNT) }, empty: { type: 'boolean', default: false } },
});
const delayMs = Number(values.delay);
const count = Number(values.count);

const servers: Server[] = [];
const urls: string[] = [];
for (let s = 0; s < count; s++) {
  // The body never changes: serialise it once so the sources cost as little CPU as possible.
  const body = Buffer.from(JSON.stringify({ items: values.empty ? [] : recordsOf(s) }));
  const headers = { 'content-type': 'application/json', 'content-length': String(body.length) };
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (req.method === 'GET' && (url === '/people' || url.startsWith('/people?'))) {
      setTimeout(() => {
        res.writeHead(200, headers);
        res.end(body);
      }, delayMs);
    } else if (url === '/health' || url.startsWith('/health?')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"not found"}');
    }
  });
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  await new Promise<void>((r) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, r));
  servers.push(server);
  urls.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
}

process.stdout.write(JSON.stringify({ urls }) + '\n');

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  // Do not wait on stragglers: this process exists only for the benchmark.
  setTimeout(() => process.exit(0), 200).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
