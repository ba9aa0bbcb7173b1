// Loads the demo estate's ITD and CIS tables into PostgreSQL (pg.Pool / pg.Client) or PGlite.

import { readFile } from 'node:fs/promises';
import type { DemoData } from './generate.ts';

/** The part of pg.Pool, pg.Client and PGlite the loader needs. */
export interface SqlTarget {
  query(sql: string, params?: unknown[]): Promise<unknown>;
  /** Multi-statement execution (PGlite's `exec`); without it statements are sent one by one. */
  exec?(sql: string): Promise<unknown>;
}

export type DemoSchema = 'itd' | 'cis';

export interface LoadOptions {
  schemas?: DemoSchema[];
  /** Rows per INSERT. Parameters are whole column arrays, so PostgreSQL's 65,535-parameter cap never applies. */
  batchSize?: number;
}

export interface LoadResult {
  rows: Record<string, number>;
  ms: number;
}

interface Column {
  name: string;
  type: string;
}

interface TableSpec {
  table: string;
  columns: Column[];
  rows: (data: DemoData) => readonly object[];
}

const cols = (spec: string): Column[] =>
  spec.split(',').map((c) => {
    const [name, type] = c.trim().split(' ') as [string, string];
    return { name, type };
  });

// Insert order respects the foreign keys.
const TABLES: Record<DemoSchema, TableSpec[]> = {
  itd: [
    {
      table: 'itd.traders',
      columns: cols('trader_id int, br_no text, cr_no text, name_en text, name_zh text, trader_type text, address text, phone text, registered_on date, aeo boolean, updated_at timestamptz'),
      rows: (d) => d.itd.traders,
    },
    {
      table: 'itd.persons',
      columns: cols('person_id int, name_en text, name_zh text, hkid text, dob date, phone text, address text, updated_at timestamptz'),
      rows: (d) => d.itd.persons,
    },
    { table: 'itd.trader_roles', columns: cols('trader_id int, person_id int, role text'), rows: (d) => d.itd.traderRoles },
    { table: 'itd.vehicles', columns: cols('vehicle_id int, trader_id int, mark text, make text, registered_on date'), rows: (d) => d.itd.vehicles },
  ],
  cis: [
    {
      table: 'cis.entities',
      columns: cols('entity_id int, entity_type text, name_en text, name_zh text, hkid text, br_no text, vehicle_mark text, dob date, phone text, address text'),
      rows: (d) => d.cis.entities,
    },
    {
      table: 'cis.reports',
      columns: cols('report_id int, entity_id int, kind text, summary text, security_level smallint, case_no text, informant text, status text, reported_at timestamptz'),
      rows: (d) => d.cis.reports,
    },
    { table: 'cis.entity_links', columns: cols('from_entity int, to_entity int, link_type text'), rows: (d) => d.cis.entityLinks },
  ],
};

/** Statements of a schema file, tables first and indexes separately: indexes are built after the bulk insert. */
async function readSchema(schema: DemoSchema): Promise<{ tables: string[]; indexes: string[] }> {
  const text = await readFile(new URL(`./sql/${schema}.sql`, import.meta.url), 'utf8');
  const statements = text
    .split(/;\s*\n/)
    .map((s) =>
      s
        .split('\n')
        .filter((line) => !line.trimStart().startsWith('--'))
        .join('\n')
        .trim(),
    )
    .filter((s) => s.length > 0);
  const isIndex = (s: string): boolean => /^CREATE\s+(UNIQUE\s+)?INDEX/i.test(s);
  return { tables: statements.filter((s) => !isIndex(s)), indexes: statements.filter(isIndex) };
}

async function run(db: SqlTarget, statements: string[]): Promise<void> {
  if (db.exec !== undefined) {
    await db.exec(statements.map((s) => `${s};`).join('\n'));
    return;
  }
  for (const statement of statements) await db.query(statement);
}

async function insertAll(db: SqlTarget, spec: TableSpec, rows: readonly object[], batchSize: number): Promise<void> {
  const names = spec.columns.map((c) => c.name);
  const sql =
    `INSERT INTO ${spec.table} (${names.join(', ')}) ` +
    `SELECT * FROM unnest(${spec.columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ')})`;
  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = rows.slice(start, start + batchSize) as Record<string, unknown>[];
    const params = names.map((name) => batch.map((row) => row[name] ?? null));
    await db.query(sql, params);
  }
}

/**
 * (Re)creates the demo schemas and fills them. Idempotent: each schema is dropped first. Works with
 * pg.Pool too, as every statement stands alone (no session state, no transaction spanning queries).
 */
export async function loadDemo(db: SqlTarget, data: DemoData, opts: LoadOptions = {}): Promise<LoadResult> {
  const started = performance.now();
  const schemas = opts.schemas ?? ['itd', 'cis'];
  const batchSize = opts.batchSize ?? 20_000;
  const rows: Record<string, number> = {};
  for (const schema of schemas) {
    const ddl = await readSchema(schema);
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await run(db, ddl.tables);
    for (const spec of TABLES[schema]) {
      const tableRows = spec.rows(data);
      await insertAll(db, spec, tableRows, batchSize);
      rows[spec.table] = tableRows.length;
    }
    await run(db, ddl.indexes);
    for (const spec of TABLES[schema]) await db.query(`ANALYZE ${spec.table}`);
  }
  return { rows, ms: performance.now() - started };
}
