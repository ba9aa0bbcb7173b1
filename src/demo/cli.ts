#!/usr/bin/env node
// Generates the demo estate and writes it to disk; optionally loads ITD and CIS into PGlite or PostgreSQL.
//   node src/demo/cli.ts --traders 400000 [--seed 2016] [--out data/demo] [--pglite data/demo/pg] [--pg postgres://…]

import { parseArgs } from 'node:util';
import { DEFAULT_SEED, generateDemo, type DemoData } from './generate.ts';
import { writeDemo } from './files.ts';
import { loadDemo, type SqlTarget } from './load.ts';

const { values } = parseArgs({
  options: {
    traders: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string', default: 'data/demo' },
    pglite: { type: 'string' },
    pg: { type: 'string' },
  },
});

const traders = Number(values.traders);
const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);
if (!Number.isInteger(traders) || traders < 2 || !Number.isInteger(seed)) {
  console.error('usage: node src/demo/cli.ts --traders N [--seed S] [--out DIR] [--pglite DIR] [--pg URL]');
  process.exit(2);
}

const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(1)} s`;

let t = performance.now();
const data: DemoData = generateDemo({ traders, seed });
console.log(`generated ${traders} traders (seed ${seed}) in ${seconds(t)}`);

t = performance.now();
const manifest = await writeDemo(values.out, data, { seed, traders });
console.log(`wrote ${values.out} in ${seconds(t)}`);
for (const [table, count] of Object.entries(manifest.counts)) console.log(`  ${table.padEnd(22)} ${count.toLocaleString('en')}`);

async function load(name: string, db: SqlTarget, close: () => Promise<void>): Promise<void> {
  const result = await loadDemo(db, data);
  await close();
  console.log(`loaded itd + cis into ${name} in ${(result.ms / 1000).toFixed(1)} s`);
}

if (values.pglite !== undefined) {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(values.pglite);
  await load(`PGlite ${values.pglite}`, db, () => db.close());
}
if (values.pg !== undefined) {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: values.pg });
  await load('PostgreSQL', pool, () => pool.end());
}
