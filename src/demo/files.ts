// The demo estate on disk: one NDJSON file per table (a single JSON document of 400,000 traders would
// exceed V8's maximum string length), plus a manifest.

import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Consignment, DemoData, RocarsDriver, RocarsParty } from './generate.ts';

export interface DemoManifest {
  format: 1;
  seed: number;
  traders: number;
  counts: Record<string, number>;
}

type Tables = Record<string, (d: DemoData) => readonly unknown[]>;

const TABLES: Tables = {
  'itd.traders': (d) => d.itd.traders,
  'itd.persons': (d) => d.itd.persons,
  'itd.trader_roles': (d) => d.itd.traderRoles,
  'itd.vehicles': (d) => d.itd.vehicles,
  'cis.entities': (d) => d.cis.entities,
  'cis.reports': (d) => d.cis.reports,
  'cis.entity_links': (d) => d.cis.entityLinks,
  'rocars.consignments': (d) => d.rocars.consignments,
  truth: (d) => d.truth,
};

export async function writeDemo(dir: string, data: DemoData, meta: { seed: number; traders: number }): Promise<DemoManifest> {
  await mkdir(dir, { recursive: true });
  const counts: Record<string, number> = {};
  for (const [name, rowsOf] of Object.entries(TABLES)) {
    const rows = rowsOf(data);
    counts[name] = rows.length;
    const file = await open(join(dir, `${name}.ndjson`), 'w');
    try {
      // Lines are written in chunks: one write per row is slow, one string per table too large.
      for (let start = 0; start < rows.length; start += 10_000) {
        let chunk = '';
        for (const row of rows.slice(start, start + 10_000)) chunk += `${JSON.stringify(row)}\n`;
        await file.write(chunk);
      }
    } finally {
      await file.close();
    }
  }
  const manifest: DemoManifest = { format: 1, seed: meta.seed, traders: meta.traders, counts };
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

async function readLines<T>(path: string, each: (row: T) => void): Promise<void> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) if (line.length > 0) each(JSON.parse(line) as T);
}

async function readTable<T>(dir: string, name: string): Promise<T[]> {
  const rows: T[] = [];
  await readLines<T>(join(dir, `${name}.ndjson`), (row) => rows.push(row));
  return rows;
}

export async function readManifest(dir: string): Promise<DemoManifest> {
  return JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as DemoManifest;
}

/** Reads an estate written by writeDemo. */
export async function readDemo(dir: string): Promise<DemoData> {
  // Manifests name the same driver and party objects on thousands of consignments; sharing them again
  // after parsing keeps a 2,000,000-consignment estate within memory.
  const drivers = new Map<string, RocarsDriver>();
  const parties = new Map<string, RocarsParty>();
  const shared = <T>(map: Map<string, T>, key: string, value: T): T => {
    const known = map.get(key);
    if (known !== undefined) return known;
    map.set(key, value);
    return value;
  };
  const consignments: Consignment[] = [];
  await readLines<Consignment>(join(dir, 'rocars.consignments.ndjson'), (c) => {
    c.driver = shared(drivers, `${c.driver.name}\u0000${c.driver.hkid}\u0000${c.driver.phone}`, c.driver);
    c.shipper = shared(parties, `${c.shipper.name}\u0000${c.shipper.br}`, c.shipper);
    c.consignee = shared(parties, `${c.consignee.name}\u0000${c.consignee.br}`, c.consignee);
    consignments.push(c);
  });
  return {
    itd: {
      traders: await readTable(dir, 'itd.traders'),
      persons: await readTable(dir, 'itd.persons'),
      traderRoles: await readTable(dir, 'itd.trader_roles'),
      vehicles: await readTable(dir, 'itd.vehicles'),
    },
    cis: {
      entities: await readTable(dir, 'cis.entities'),
      reports: await readTable(dir, 'cis.reports'),
      entityLinks: await readTable(dir, 'cis.entity_links'),
    },
    rocars: { consignments },
    truth: await readTable(dir, 'truth'),
  };
}
