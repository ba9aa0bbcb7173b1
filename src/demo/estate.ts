// The demo estate the embedded default runs: ITD and CIS as PostgreSQL databases (PGlite, persisted,
// served over the wire protocol so the hub reaches them through the real `pg` driver exactly as it
// would a production server) and ROCARS as an HTTP service.

import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { Log } from '../lib/log.ts';
import { readDemo, readManifest, writeDemo, type DemoManifest } from './files.ts';
import { generateDemo, type DemoData } from './generate.ts';
import { loadDemo, type DemoSchema } from './load.ts';
import { startRocars } from './rocars-server.ts';

export interface EstateOptions {
  traders: number;
  seed: number;
  dataDir: string;
  rocarsPort: number;
}

export interface Estate {
  /** Addresses for the source definitions: DEMO_ITD_URL, DEMO_CIS_URL, DEMO_ROCARS_URL. */
  vars: Record<string, string>;
  close(): Promise<void>;
}

/** PGlite multiplexes one session; the demo sources' pools stay within this many connections. */
const MAX_CONNECTIONS = 4;

/**
 * Starts the estate from the data under `dataDir`, generating it first if there is none. Data written
 * by `npm run demo:generate` (any size) is used as it is; the databases are reloaded only when the
 * data under them changed.
 */
export async function startEstate(opts: EstateOptions, log: Log): Promise<Estate> {
  const started = performance.now();
  let data: DemoData | undefined;
  let manifest: DemoManifest;
  if (existsSync(join(opts.dataDir, 'manifest.json'))) {
    manifest = await readManifest(opts.dataDir);
  } else {
    log.info({ traders: opts.traders, seed: opts.seed, dir: opts.dataDir }, 'demo estate: generating data');
    data = generateDemo({ traders: opts.traders, seed: opts.seed });
    manifest = await writeDemo(opts.dataDir, data, { seed: opts.seed, traders: opts.traders });
  }
  const stamp = JSON.stringify({ format: manifest.format, seed: manifest.seed, traders: manifest.traders, counts: manifest.counts });
  const loadData = async () => (data ??= await readDemo(opts.dataDir));

  const closers: (() => Promise<unknown>)[] = [];
  try {
    const vars: Record<string, string> = {};
    for (const schema of ['itd', 'cis'] as const) {
      const db = await openDatabase(opts.dataDir, schema, stamp, loadData, log);
      closers.push(() => db.close());
      const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: MAX_CONNECTIONS });
      await server.start();
      closers.unshift(() => server.stop());
      vars[`DEMO_${schema.toUpperCase()}_URL`] = `postgres://postgres@${server.getServerConn()}/postgres`;
    }
    const rocars = await startRocars({ consignments: (await loadData()).rocars.consignments, port: opts.rocarsPort });
    closers.unshift(() => rocars.close());
    vars.DEMO_ROCARS_URL = rocars.url;
    log.info({ traders: manifest.traders, ms: Math.round(performance.now() - started), ...vars }, 'demo estate ready');
    return {
      vars,
      async close() {
        for (const close of closers) await close().catch(() => {});
      },
    };
  } catch (err) {
    for (const close of closers) await close().catch(() => {});
    throw err;
  }
}

async function openDatabase(
  dataDir: string,
  schema: DemoSchema,
  stamp: string,
  data: () => Promise<DemoData>,
  log: Log,
): Promise<PGlite> {
  const dir = join(dataDir, `${schema}.pglite`);
  const marker = join(dataDir, `${schema}.loaded`);
  const current = existsSync(marker) && (await readFile(marker, 'utf8')) === stamp;
  if (!current) {
    await rm(dir, { recursive: true, force: true });
    await rm(marker, { force: true });
  }
  const db = await PGlite.create(dir);
  if (!current) {
    log.info({ schema }, 'demo estate: loading database');
    await loadDemo(db, await data(), { schemas: [schema] });
    // Written last: a load that stopped half-way is redone at the next start.
    await writeFile(marker, stamp);
  }
  return db;
}
