import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/**
 * The hub's own store: PostgreSQL in production, PGlite (PostgreSQL compiled to WebAssembly) as the
 * embedded default — one SQL dialect for both, so every query and migration runs unchanged on either.
 */
export interface Db {
  readonly kind: 'postgres' | 'pglite';
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  /** Runs several statements (migrations); no parameters. */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in one transaction on one connection; rolls back when it throws. */
  transaction<T>(fn: (tx: Pick<Db, 'query'>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * `postgres://…` opens a pool; `pglite:PATH` a PGlite database persisted under PATH; `memory:` an
 * in-memory PGlite (tests).
 */
export async function openDb(url: string): Promise<Db> {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgres(url);
  if (url === 'memory:') return wrapPglite(await PGlite.create());
  if (url.startsWith('pglite:')) {
    const dir = url.slice('pglite:'.length);
    mkdirSync(dir, { recursive: true });
    return wrapPglite(await PGlite.create(dir));
  }
  throw new Error(`store url must start with postgres://, pglite: or be memory: (got ${JSON.stringify(url)})`);
}

function openPostgres(url: string): Db {
  const pool = new pg.Pool({ connectionString: url, max: 10, application_name: 'cirms-hub' });
  pool.on('error', () => {});
  return {
    kind: 'postgres',
    query: async <T,>(sql: string, params?: unknown[]) => (await pool.query(sql, params)) as unknown as { rows: T[] },
    exec: async (sql) => {
      await pool.query(sql);
    },
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn({ query: async <T,>(sql: string, params?: unknown[]) => (await client.query(sql, params)) as unknown as { rows: T[] } });
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

function wrapPglite(db: PGlite): Db {
  return {
    kind: 'pglite',
    query: (sql, params) => db.query(sql, params),
    exec: async (sql) => {
      await db.exec(sql);
    },
    transaction: (fn) => db.transaction((tx) => fn({ query: (sql, params) => tx.query(sql, params) })),
    close: () => db.close(),
  };
}
