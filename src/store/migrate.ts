import { readdirSync, readFileSync } from 'node:fs';
import type { Db } from './db.ts';

const DIR = new URL('./migrations/', import.meta.url);

/**
 * Applies the SQL files in migrations/ in name order, each once and in its own transaction, recording
 * them in schema_migrations. An advisory lock keeps two replicas starting together from racing.
 */
export async function migrate(db: Db): Promise<string[]> {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.sql')).sort();
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied: string[] = [];
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(20160101)');
    const done = new Set((await tx.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
    for (const file of files) {
      if (done.has(file)) continue;
      for (const stmt of splitStatements(readFileSync(new URL(file, DIR), 'utf8'))) await tx.query(stmt);
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
      applied.push(file);
    }
  });
  return applied;
}

// Migrations are plain DDL; statements end with a semicolon at the end of a line. Comment lines are
// dropped so a semicolon inside a comment cannot split a statement.
function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('--'))
    .join('\n')
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
