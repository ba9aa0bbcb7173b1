import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDatabase, type ScratchDb } from './support/postgres.ts';

// The real entry point (src/main.ts) with `server.workers: 2` on a PostgreSQL store: a primary that
// keeps two hub processes listening on one port.
let db: ScratchDb;
let hub: ChildProcessWithoutNullStreams;
const lines: { msg?: string; pid?: number; workers?: number }[] = [];
const waiters: (() => void)[] = [];
let port = 0;

function until(test: () => boolean, ms = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out; log so far: ${JSON.stringify(lines.map((l) => l.msg))}`)), ms);
    const check = () => {
      if (!test()) return void waiters.push(check);
      clearTimeout(timer);
      resolve();
    };
    check();
  });
}
const ready = () => lines.filter((l) => l.msg === 'cirms-hub ready').map((l) => l.pid!);

beforeAll(async () => {
  db = await scratchDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'cirms-cluster-'));
  const file = join(dir, 'hub.yaml');
  port = 20_000 + Math.floor(Math.random() * 20_000);
  writeFileSync(
    file,
    [
      `server: { host: 127.0.0.1, port: ${port}, workers: 2 }`,
      `store: { url: '${db.url}' }`,
      `auth: { issuer: 'http://127.0.0.1:9/', audience: cirms-hub, algorithms: [RS256] }`,
      'sources: []',
    ].join('\n'),
  );
  hub = spawn(process.execPath, ['src/main.ts'], { env: { ...process.env, HUB_CONFIG: file, LOG_LEVEL: 'info', NODE_NO_WARNINGS: '1' } });
  createInterface({ input: hub.stdout }).on('line', (l) => {
    try {
      lines.push(JSON.parse(l));
    } catch {
      return;
    }
    waiters.splice(0).forEach((w) => w());
  });
}, 60_000);

afterAll(async () => {
  if (hub.exitCode === null) hub.kill('SIGKILL');
  await db.close();
});

describe('server.workers', () => {
  it('starts that many hub processes on one port, and replaces one that dies', async () => {
    await until(() => new Set(ready()).size === 2);
    const [first] = ready();
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    process.kill(first!, 'SIGKILL');
    await until(() => lines.some((l) => l.msg === 'hub worker died; starting another'));
    await until(() => new Set(ready()).size === 3);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
  }, 60_000);

  it('stops every worker on SIGTERM, and exits 0', async () => {
    const pids = [...new Set(ready())].slice(1);
    const exited = new Promise<number | null>((resolve) => hub.once('exit', (code) => resolve(code)));
    hub.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  }, 30_000);
});
