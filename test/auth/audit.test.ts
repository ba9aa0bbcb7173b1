import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, appendAuditIn, AuditWriter, canonicalJson, recordsShownTo, verifyAudit, type AuditEvent } from '../../src/auth/audit.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { scratchDatabase, type ScratchDb } from '../support/postgres.ts';

const search = (n: number): AuditEvent => ({
  kind: 'search',
  actor: `officer-${n % 3}`,
  searchId: `s-${n}`,
  purpose: 'case work',
  query: { name: 'Chan Tai-man', n },
  sources: ['cis', 'itd'],
  subjects: [`sub_${n}`],
  records: [`itd:P${n}`, `cis:R${n}`],
  withheld: n % 2,
});

/** Runs `sql` as the table owner with the append-only triggers off: what an attacker with owner rights could do. */
async function tamper(db: Db, sql: string, params: unknown[] = []): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
    await tx.query('ALTER TABLE audit_head DISABLE TRIGGER USER');
    await tx.query(sql, params);
    await tx.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
    await tx.query('ALTER TABLE audit_head ENABLE TRIGGER USER');
  });
}

async function fill(db: Db, n: number): Promise<void> {
  for (let i = 1; i <= n; i++) await appendAudit(db, search(i));
}

async function fresh(db: Db): Promise<void> {
  await tamper(db, 'DELETE FROM audit_log');
  await tamper(db, `UPDATE audit_head SET seq = 0, hash = '${'0'.repeat(64)}'`);
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

function auditSuite(label: string, open: () => Promise<{ db: Db; replica: () => Promise<Db>; close(): Promise<void> }>) {
  describe(`audit trail on ${label}`, () => {
    let env: Awaited<ReturnType<typeof open>>;
    let db: Db;
    beforeAll(async () => {
      env = await open();
      db = env.db;
    });
    afterAll(() => env?.close());

    it('chains every entry and verifies', async () => {
      await fresh(db);
      await fill(db, 6);
      const v = await verifyAudit(db);
      expect(v).toMatchObject({ ok: true, entries: 6, problems: [] });
      expect(v.head.seq).toBe(6);
      const row = (await db.query<{ entry: string; hash: string; prev_hash: string }>('SELECT entry, hash, prev_hash FROM audit_log WHERE seq = 2')).rows[0]!;
      const content = JSON.parse(row.entry) as Record<string, unknown>;
      expect(content).toMatchObject({ seq: 2, kind: 'search', actor: 'officer-2', withheld: 0, records: ['itd:P2', 'cis:R2'] });
      expect(content.prev).toBe(row.prev_hash);
      expect(sha256(row.entry)).toBe(row.hash);
      expect(canonicalJson(content)).toBe(row.entry);
    });

    it('tells which records an officer has been shown, from the records listed — not the query', async () => {
      await fresh(db);
      await fill(db, 4); // officer-1: itd:P1, cis:R1, itd:P4, cis:R4
      await appendAudit(db, { kind: 'search', actor: 'officer-1', searchId: 's-x', purpose: 'probe', query: { text: 'itd:P2' }, sources: [], subjects: [], records: [], withheld: 0 });
      await appendAudit(db, { kind: 'admin', actor: 'officer-1', action: 'link-confirm', target: 'itd:P3 ~ cis:R3', detail: { records: ['itd:P3'] } });
      const shown = await recordsShownTo(db, 'officer-1', ['itd:P1', 'cis:R4', 'itd:P2', 'itd:P3', 'itd:P1', 'itd:P'], 30);
      expect([...shown].sort()).toEqual(['cis:R4', 'itd:P1']);
      expect(await recordsShownTo(db, 'officer-2', ['itd:P1'], 30)).toEqual(new Set());
      await tamper(db, "UPDATE audit_log SET at = at - interval '31 days' WHERE actor = 'officer-1'");
      expect(await recordsShownTo(db, 'officer-1', ['itd:P1'], 30)).toEqual(new Set());
    });

    it('refuses UPDATE, DELETE and TRUNCATE, even to the owner', async () => {
      await fresh(db);
      await fill(db, 2);
      await expect(db.query("UPDATE audit_log SET actor = 'x' WHERE seq = 1")).rejects.toThrow(/append-only: UPDATE refused/);
      await expect(db.query('DELETE FROM audit_log WHERE seq = 2')).rejects.toThrow(/append-only: DELETE refused/);
      await expect(db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only: TRUNCATE refused/);
      await expect(db.query('UPDATE audit_head SET seq = 1')).rejects.toThrow(/only moves forward/);
      await expect(db.query('DELETE FROM audit_head')).rejects.toThrow(/append-only/);
      expect((await verifyAudit(db)).ok).toBe(true);
    });

    it('detects an edited entry and says which', async () => {
      await fresh(db);
      await fill(db, 5);
      await tamper(db, `UPDATE audit_log SET entry = replace(entry, '"withheld":1', '"withheld":0') WHERE seq = 3`);
      const v = await verifyAudit(db);
      expect(v.ok).toBe(false);
      expect(v.problems).toEqual([{ seq: 3, problem: 'edited', detail: 'entry 3 does not match its hash' }]);
    });

    it('detects an edited column (actor) that disagrees with the hashed content', async () => {
      await fresh(db);
      await fill(db, 3);
      await tamper(db, `UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2`);
      expect((await verifyAudit(db)).problems).toEqual([{ seq: 2, problem: 'edited', detail: 'entry 2: a column differs from the hashed content' }]);
    });

    it('detects an entry edited with its hash recomputed: the next one no longer follows', async () => {
      await fresh(db);
      await fill(db, 4);
      const row = (await db.query<{ entry: string }>('SELECT entry FROM audit_log WHERE seq = 2')).rows[0]!;
      const forged = canonicalJson({ ...(JSON.parse(row.entry) as object), purpose: 'forged' });
      await tamper(db, 'UPDATE audit_log SET entry = $1, hash = $2 WHERE seq = 2', [forged, sha256(forged)]);
      expect((await verifyAudit(db)).problems).toEqual([{ seq: 3, problem: 'broken-link', detail: 'entry 3 does not follow entry 2' }]);
    });

    it('detects a deleted entry', async () => {
      await fresh(db);
      await fill(db, 5);
      await tamper(db, 'DELETE FROM audit_log WHERE seq = 2');
      expect((await verifyAudit(db)).problems).toEqual([{ seq: 2, problem: 'deleted', detail: 'entry 2 is missing' }]);
    });

    it('detects the newest entries deleted', async () => {
      await fresh(db);
      await fill(db, 5);
      await tamper(db, 'DELETE FROM audit_log WHERE seq >= 4');
      expect((await verifyAudit(db)).problems).toEqual([{ seq: 4, problem: 'truncated', detail: 'the chain head says entry 5 is the last, but the log ends at 3' }]);
    });

    it('detects reordered entries', async () => {
      await fresh(db);
      await fill(db, 5);
      await tamper(db, 'UPDATE audit_log SET seq = 1000 WHERE seq = 2');
      await tamper(db, 'UPDATE audit_log SET seq = 2 WHERE seq = 3');
      await tamper(db, 'UPDATE audit_log SET seq = 3 WHERE seq = 1000');
      expect((await verifyAudit(db)).problems).toEqual([
        { seq: 2, problem: 'reordered', detail: 'entry 2 holds entry 3' },
        { seq: 3, problem: 'reordered', detail: 'entry 3 holds entry 2' },
        { seq: 4, problem: 'broken-link', detail: 'entry 4 does not follow entry 3' },
      ]);
    });

    it('catches a fully rewritten chain against a head anchored elsewhere', async () => {
      await fresh(db);
      await fill(db, 4);
      const anchor = (await verifyAudit(db)).head;
      // Rewrite entry 2 and re-hash every entry after it, head included: the chain is consistent again.
      const rows = (await db.query<{ seq: string; entry: string; hash: string }>('SELECT seq, entry, hash FROM audit_log ORDER BY seq')).rows;
      let prev = rows[0]!.hash;
      for (const r of rows.slice(1)) {
        const content: Record<string, unknown> = { ...(JSON.parse(r.entry) as Record<string, unknown>), prev };
        if (Number(r.seq) === 2) content.purpose = 'forged';
        const entry = canonicalJson(content);
        await tamper(db, 'UPDATE audit_log SET entry = $1, hash = $2, prev_hash = $3 WHERE seq = $4', [entry, sha256(entry), prev, r.seq]);
        prev = sha256(entry);
      }
      await tamper(db, 'UPDATE audit_head SET hash = $1', [prev]);
      expect((await verifyAudit(db)).ok).toBe(true);
      expect((await verifyAudit(db, { anchor })).problems).toEqual([{ seq: 4, problem: 'anchor', detail: 'entry 4 no longer has the anchored hash' }]);
    });

    it('two replicas appending at once keep one chain', async () => {
      await fresh(db);
      const other = await env.replica();
      try {
        await Promise.all([0, 1].flatMap((r) => Array.from({ length: 20 }, (_, i) => appendAudit(r === 0 ? db : other, search(r * 100 + i)))));
      } finally {
        if (other !== db) await other.close();
      }
      const v = await verifyAudit(db);
      expect(v).toMatchObject({ ok: true, entries: 40, head: { seq: 40 } });
    });

    it('group-commit writers on two replicas, and audited changes in transactions between them, keep one chain', async () => {
      await fresh(db);
      const other = await env.replica();
      const writers = [new AuditWriter(db), new AuditWriter(other)];
      try {
        const appended = await Promise.all([
          ...[0, 1].flatMap((r) => Array.from({ length: 30 }, (_, i) => writers[r]!.append(search(r * 100 + i)))),
          // Moves the head behind both writers' backs: each must notice, relink and retry.
          ...Array.from({ length: 5 }, (_, i) => appendAudit(db, search(500 + i))),
        ]);
        expect(new Set(appended.map((a) => a.seq)).size).toBe(65);
        // A writer's next batch starts from wherever the others left the head.
        await appendAudit(other, search(900));
        await expect(writers[0]!.append(search(901))).resolves.toMatchObject({ seq: 67 });
      } finally {
        if (other !== db) await other.close();
      }
      expect(await verifyAudit(db)).toMatchObject({ ok: true, entries: 67, head: { seq: 67 } });
    });

    it('an append that cannot be written throws and leaves the chain intact', async () => {
      await fresh(db);
      await fill(db, 2);
      await expect(appendAudit(db, { ...search(3), query: new Date() } as AuditEvent)).rejects.toThrow(/plain JSON/);
      await tamper(db, 'DELETE FROM audit_head');
      await expect(appendAudit(db, search(4))).rejects.toThrow(/audit_head row is missing/);
      await tamper(db, `INSERT INTO audit_head (id, seq, hash) SELECT true, seq, hash FROM audit_log WHERE seq = 2`);
      expect(await verifyAudit(db)).toMatchObject({ ok: true, entries: 2 });
    });
  });
}

auditSuite('PGlite', async () => {
  const db = await openDb('memory:');
  await migrate(db);
  // PGlite is one connection: a second "replica" is the same database handle.
  return { db, replica: async () => db, close: () => db.close() };
});

let scratch: ScratchDb;
auditSuite('PostgreSQL (real where reachable, else PGlite over the wire)', async () => {
  scratch = await scratchDatabase();
  const db = await openDb(scratch.url);
  await migrate(db);
  return {
    db,
    replica: () => openDb(scratch.url),
    async close() {
      await db.close();
      await scratch.close();
    },
  };
});

// On the real PostgreSQL where reachable, else PGlite over the wire (which checks privileges too).
describe('audit privileges for the hub role', () => {
  const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const role = `cirms_app_test_${process.pid}`;
  let s: ScratchDb;
  let db: Db;
  beforeAll(async () => {
    s = await scratchDatabase();
    db = await openDb(s.url);
    await migrate(db);
    await db.exec(`CREATE ROLE ${role} NOLOGIN`);
    const grants = readFileSync(new URL('../../src/auth/audit-grants.sql', import.meta.url), 'utf8').replaceAll(':"app_role"', `"${role}"`);
    await db.exec(grants);
  });
  afterAll(async () => {
    await db?.close();
    await s?.close();
    if (s?.kind !== 'postgres') return;
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  });
  const asApp = <T,>(fn: (tx: Pick<Db, 'query'>) => Promise<T>) =>
    db.transaction(async (tx) => {
      await tx.query(`SET LOCAL ROLE ${role}`);
      return fn(tx);
    });

  it('may append and read, never change, remove or unprotect', async () => {
    await asApp((tx) => appendAuditIn(tx, search(1)));
    expect(await verifyAudit(db)).toMatchObject({ ok: true, entries: 1 });
    await expect(asApp((tx) => tx.query("UPDATE audit_log SET actor = 'x'"))).rejects.toThrow(/permission denied/);
    await expect(asApp((tx) => tx.query('DELETE FROM audit_log'))).rejects.toThrow(/permission denied/);
    await expect(asApp((tx) => tx.query('TRUNCATE audit_log'))).rejects.toThrow(/permission denied/);
    await expect(asApp((tx) => tx.query('ALTER TABLE audit_log DISABLE TRIGGER USER'))).rejects.toThrow(/must be owner/);
  });
});

describe('group commit (AuditWriter)', () => {
  it('writes entries that arrive together as one batch, each linked to the one before, and the chain verifies', async () => {
    const db = await openDb('memory:');
    await migrate(db);
    const writer = new AuditWriter(db);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => writer.append({ kind: 'denial', actor: `u${i}`, action: 'search', resource: null, reason: 'role' })),
    );
    expect(results.map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(results.map((r) => r.hash)).size).toBe(50);
    const v = await verifyAudit(db);
    expect(v).toMatchObject({ ok: true, entries: 50, head: { seq: 50 } });
    await db.close();
  });

  it('fails every caller of a batch that cannot be written, and recovers for the next', async () => {
    const db = await openDb('memory:');
    await migrate(db);
    const writer = new AuditWriter(db);
    await db.exec('ALTER TABLE audit_log RENAME TO audit_away');
    const failed = await Promise.allSettled([1, 2, 3].map((i) => writer.append({ kind: 'denial', actor: `u${i}`, action: 'x', resource: null, reason: 'r' })));
    expect(failed.every((r) => r.status === 'rejected')).toBe(true);
    await db.exec('ALTER TABLE audit_away RENAME TO audit_log');
    await expect(writer.append({ kind: 'denial', actor: 'u4', action: 'x', resource: null, reason: 'r' })).resolves.toMatchObject({ seq: 1 });
    expect((await verifyAudit(db)).ok).toBe(true);
    await db.close();
  });
});
