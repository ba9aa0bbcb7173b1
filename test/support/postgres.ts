import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';

export interface ScratchDb {
  /** postgres:// URL of an empty database of its own. */
  url: string;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A fresh database for one test file: on the real PostgreSQL where one is reachable (DATABASE_URL, or
 * the local server), else PGlite served over the wire protocol — either way the code under test talks
 * to it through the real `pg` driver.
 */
export async function scratchDatabase(): Promise<ScratchDb> {
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 1_000 });
  try {
    await admin.connect();
  } catch {
    return pgliteOverSocket();
  }
  const name = `cirms_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: 'postgres',
    async close() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function pgliteOverSocket(db?: PGlite): Promise<ScratchDb> {
  const lite = db ?? (await PGlite.create());
  const server = new PGLiteSocketServer({ db: lite, host: '127.0.0.1', port: 0, maxConnections: 8 });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    kind: 'pglite',
    async close() {
      await server.stop();
      if (!db) await lite.close();
    },
  };
}
