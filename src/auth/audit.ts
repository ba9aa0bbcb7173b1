// The audit trail: append-only and hash-chained. Entry n is stored as the canonical JSON (RFC 8785 style:
// sorted keys, no whitespace) of its content together with its sequence number and the hash of entry
// n-1, and its hash is SHA-256 over exactly those bytes. Changing, removing or reordering any entry
// breaks the hash or the chain from that point on; verifyAudit() says where.
//
// What the chain cannot do alone: someone able to rewrite the table AND recompute every later hash
// produces a consistent chain. Against that, record the head (seq, hash) somewhere the hub cannot write
// (a daily report, a WORM store) and pass it back to verifyAudit() as an anchor.
import { createHash } from 'node:crypto';
import type { Db } from '../store/db.ts';

type Query = Pick<Db, 'query'>;

export type AuditEvent =
  | {
      kind: 'search';
      actor: string;
      searchId: string;
      purpose: string | null;
      query: unknown;
      sources: string[];
      subjects: string[];
      /** `source:key` of every record returned. */
      records: string[];
      withheld: number;
    }
  | { kind: 'subject-view'; actor: string; purpose: string | null; subjectId: string; records: string[]; withheld: number }
  | { kind: 'denial'; actor: string; action: string; resource: string | null; reason: string }
  | { kind: 'admin'; actor: string; action: string; target: string; detail: Record<string, unknown> }
  /** The actor of a rejected token is unknown; `claimedSubject` is what the unverified token said, if readable. */
  | { kind: 'token-rejected'; actor: 'anonymous'; reason: string; claimedSubject: string | null; ip: string | null };

export const GENESIS_HASH = '0'.repeat(64);

/**
 * Appends one entry in its own transaction and returns its place in the chain. Throws when the entry
 * cannot be written; callers let that fail the request, since an unaudited answer must not leave.
 */
export function appendAudit(db: Db, event: AuditEvent): Promise<{ seq: number; hash: string }> {
  return db.transaction((tx) => appendAuditIn(tx, event));
}

/**
 * Appends inside the caller's transaction, so an audited change and its entry commit together. The row
 * lock on the chain head serialises appenders across connections and hub replicas: the second waits
 * for the first to commit, then links to its hash, so the chain never forks.
 */
export async function appendAuditIn(tx: Query, event: AuditEvent): Promise<{ seq: number; hash: string }> {
  return (await appendAuditBatchIn(tx, [event]))[0]!;
}

/**
 * Appends many entries in one transaction, in order, each linked to the one before: one lock on the
 * chain head, and the entries and the head written in one statement.
 */
export async function appendAuditBatchIn(tx: Query, events: readonly AuditEvent[]): Promise<{ seq: number; hash: string }[]> {
  const { params, out, head } = chain(events, await readHead(tx, true));
  await tx.query(`WITH entries AS (${INSERT_ENTRIES}) UPDATE audit_head SET seq = $8, hash = $9 WHERE id`, [...params, head.seq, head.hash]);
  return out;
}

type Head = { seq: number; hash: string };

/** The chain head; `lock` holds it until the caller's transaction ends. */
async function readHead(q: Query, lock: boolean): Promise<Head> {
  const head = (await q.query<{ seq: string | number; hash: string }>(`SELECT seq, hash FROM audit_head WHERE id${lock ? ' FOR UPDATE' : ''}`)).rows[0];
  if (!head) throw new Error('audit_head row is missing: the audit trail cannot be appended to');
  return { seq: Number(head.seq), hash: head.hash };
}

/** Inserts the entries `chain` made: its `params` are $1–$7, one array per column. */
const INSERT_ENTRIES = `INSERT INTO audit_log (seq, at, kind, actor, entry, prev_hash, hash)
  SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])`;

/** `events` as entries linked one after the other from `from`; `head` is where the chain then stands. */
function chain(events: readonly AuditEvent[], from: Head): { params: unknown[][]; out: Head[]; head: Head } {
  let seq = from.seq;
  let prev = from.hash;
  const cols = { seq: [] as number[], at: [] as string[], kind: [] as string[], actor: [] as string[], entry: [] as string[], prev: [] as string[], hash: [] as string[] };
  const out: Head[] = [];
  for (const event of events) {
    seq += 1;
    const at = new Date().toISOString();
    const entry = canonicalJson({ ...event, seq, at, prev });
    const hash = sha256(entry);
    cols.seq.push(seq);
    cols.at.push(at);
    cols.kind.push(event.kind);
    cols.actor.push(event.actor);
    cols.entry.push(entry);
    cols.prev.push(prev);
    cols.hash.push(hash);
    out.push({ seq, hash });
    prev = hash;
  }
  return { params: [cols.seq, cols.at, cols.kind, cols.actor, cols.entry, cols.prev, cols.hash], out, head: { seq, hash: prev } };
}

/**
 * Group commit for the audit trail. Every search must be audited before it answers, and the chain makes
 * appends strictly sequential; one transaction per entry would make the chain head's lock the hub's
 * throughput limit. Entries that arrive while a batch is being written wait for the next one, which
 * writes them all at once — under load batches grow, so the cost per entry falls. Each caller's promise
 * settles when its own entry is committed (or fails with the batch).
 */
export class AuditWriter {
  readonly #db: Db;
  readonly #maxBatch: number;
  #queue: { event: AuditEvent; resolve: (r: { seq: number; hash: string }) => void; reject: (e: unknown) => void }[] = [];
  #writing = false;
  /** Where this writer last saw the chain head; undefined until read, or after another writer moved it. */
  #head: Head | undefined;

  constructor(db: Db, maxBatch = 500) {
    this.#db = db;
    this.#maxBatch = maxBatch;
  }

  append(event: AuditEvent): Promise<{ seq: number; hash: string }> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ event, resolve, reject });
      if (!this.#writing) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, this.#maxBatch);
        try {
          const written = await this.#write(batch.map((b) => b.event));
          batch.forEach((b, i) => b.resolve(written[i]!));
        } catch (err) {
          this.#head = undefined;
          for (const b of batch) b.reject(err);
        }
      }
    } finally {
      this.#writing = false;
    }
  }

  /**
   * One statement, committed on its own: the head moves from where this writer last left it, and the
   * entries go in, only if nobody else moved it meanwhile (another replica, or an audited change in a
   * transaction of this one). Otherwise nothing is written; the head is read again under its lock and
   * the batch relinked to it. A single writer — the usual case — pays one round trip per batch
   * instead of four (begin, lock, write, commit), and the chain can still never fork.
   */
  async #write(events: readonly AuditEvent[]): Promise<Head[]> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const from = (this.#head ??= await readHead(this.#db, false));
      const { params, out, head } = chain(events, from);
      const { rows: moved } = await this.#db.query<{ n: number }>(
        `WITH head AS (UPDATE audit_head SET seq = $8, hash = $9 WHERE id AND seq = $10 AND hash = $11 RETURNING 1),
              entries AS (${INSERT_ENTRIES} WHERE EXISTS (SELECT 1 FROM head))
         SELECT count(*)::int AS n FROM head`,
        [...params, head.seq, head.hash, from.seq, from.hash],
      );
      if (moved[0]?.n === 1) {
        this.#head = head;
        return out;
      }
      this.#head = undefined;
    }
    // Five writers overtaking this one in a row: fall back to waiting for the lock.
    const written = await this.#db.transaction((tx) => appendAuditBatchIn(tx, events));
    this.#head = written.at(-1);
    return written;
  }
}

export type AuditProblemKind = 'edited' | 'deleted' | 'reordered' | 'broken-link' | 'truncated' | 'anchor';

export interface AuditProblem {
  /** The sequence number where the chain stops holding. */
  seq: number;
  problem: AuditProblemKind;
  detail: string;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  head: { seq: number; hash: string };
  problems: AuditProblem[];
}

interface Row {
  seq: string | number;
  at: Date | string;
  kind: string;
  actor: string;
  entry: string;
  prev_hash: string;
  hash: string;
}

const PAGE = 1000;

/**
 * Walks the whole chain in sequence order and reports every place it does not hold. `anchor` is a head
 * recorded earlier outside the hub's reach: the entry at that seq must still carry that hash.
 */
export async function verifyAudit(db: Query, opts: { anchor?: { seq: number; hash: string } } = {}): Promise<AuditVerification> {
  const problems: AuditProblem[] = [];
  let expected = 1;
  let prev = GENESIS_HASH;
  let entries = 0;
  let anchorSeen = false;
  for (;;) {
    const rows = (
      await db.query<Row>('SELECT seq, at, kind, actor, entry, prev_hash, hash FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2', [expected, PAGE])
    ).rows;
    for (const row of rows) {
      const seq = Number(row.seq);
      entries++;
      problems.push(...checkRow(row, seq, expected, prev));
      if (opts.anchor && opts.anchor.seq === seq) {
        anchorSeen = true;
        if (row.hash !== opts.anchor.hash) problems.push({ seq, problem: 'anchor', detail: `entry ${seq} no longer has the anchored hash` });
      }
      prev = row.hash;
      expected = seq + 1;
    }
    if (rows.length < PAGE) break;
  }
  const last = expected - 1;
  const head = (await db.query<{ seq: string | number; hash: string }>('SELECT seq, hash FROM audit_head WHERE id')).rows[0];
  if (!head || Number(head.seq) !== last || head.hash !== prev) {
    problems.push({
      seq: last + 1,
      problem: 'truncated',
      detail: head ? `the chain head says entry ${head.seq} is the last, but the log ends at ${last}` : 'the chain head row is missing',
    });
  }
  if (opts.anchor && !anchorSeen) problems.push({ seq: opts.anchor.seq, problem: 'anchor', detail: `anchored entry ${opts.anchor.seq} is missing` });
  return { ok: problems.length === 0, entries, head: { seq: last, hash: prev }, problems };
}

function checkRow(row: Row, seq: number, expected: number, prev: string): AuditProblem[] {
  const out: AuditProblem[] = [];
  if (seq > expected) {
    const gap = seq - expected === 1 ? `entry ${expected} is` : `entries ${expected}–${seq - 1} are`;
    out.push({ seq: expected, problem: 'deleted', detail: `${gap} missing` });
  }
  let content: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(row.entry);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && canonicalJson(parsed) === row.entry) content = parsed as Record<string, unknown>;
  } catch {
    // unparsable content is reported as edited below
  }
  if (!content || sha256(row.entry) !== row.hash) {
    out.push({ seq, problem: 'edited', detail: `entry ${seq} does not match its hash` });
    return out;
  }
  if (content.seq !== seq) {
    out.push({ seq, problem: 'reordered', detail: `entry ${seq} holds entry ${String(content.seq)}` });
    return out;
  }
  const at = row.at instanceof Date ? row.at.toISOString() : new Date(row.at).toISOString();
  if (content.kind !== row.kind || content.actor !== row.actor || content.at !== at || content.prev !== row.prev_hash) {
    out.push({ seq, problem: 'edited', detail: `entry ${seq}: a column differs from the hashed content` });
  } else if (seq === expected && row.prev_hash !== prev) {
    out.push({ seq, problem: 'broken-link', detail: `entry ${seq} does not follow entry ${seq - 1}` });
  }
  return out;
}

/** JSON with object keys sorted (UTF-16 order) and no whitespace: equal content, equal bytes. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TypeError('audit entries hold finite numbers only');
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonicalJson(x))).join(',')}]`;
  if (typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  // Dates, Maps, class instances would serialise ambiguously; the caller converts them first.
  throw new TypeError(`audit entries hold plain JSON data only (got ${Object.prototype.toString.call(v)})`);
}

function sha256(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

export interface AuditEntry {
  seq: number;
  at: string;
  kind: AuditEvent['kind'];
  actor: string;
  /** The entry as it was hashed (its event fields, seq, at and prev). */
  entry: Record<string, unknown>;
  hash: string;
}

export interface AuditFilter {
  actor?: string;
  /** A subject id that appears in the entry (a search that returned it, a view of it). */
  subject?: string;
  kind?: AuditEvent['kind'];
  from?: string;
  to?: string;
  /** Entries before this sequence number (paging backwards from the newest). */
  before?: number;
  limit: number;
}

/** Entries newest first, filtered; every filter value is a bound parameter. */
export async function listAudit(db: Query, f: AuditFilter): Promise<AuditEntry[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.actor !== undefined) add('actor = ?', f.actor);
  if (f.kind !== undefined) add('kind = ?', f.kind);
  if (f.from !== undefined) add('at >= ?', f.from);
  if (f.to !== undefined) add('at < ?', f.to);
  if (f.before !== undefined) add('seq < ?', f.before);
  // Subject ids are quoted strings inside the canonical JSON; matching the quoted form avoids prefixes.
  if (f.subject !== undefined) add('strpos(entry, ?) > 0', JSON.stringify(f.subject));
  params.push(f.limit);
  const { rows } = await db.query<{ seq: string | number; at: Date | string; kind: AuditEvent['kind']; actor: string; entry: string; hash: string }>(
    `SELECT seq, at, kind, actor, entry, hash FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    at: r.at instanceof Date ? r.at.toISOString() : new Date(r.at).toISOString(),
    kind: r.kind,
    actor: r.actor,
    entry: JSON.parse(r.entry) as Record<string, unknown>,
    hash: r.hash,
  }));
}

/**
 * Which of `refs` (`source:key`) the hub has shown `actor` — listed in one of their search or
 * subject-view entries in the last `days` days. The audit trail is the record of what each officer
 * was shown, so it answers "may this officer speak of, or read about, this record" without asking the
 * sources again. Membership is read from the entry's `records` list only, never from its text: a
 * search *for* "cis:R2" does not make cis:R2 shown.
 *
 * One query per record, newest entry first, stopping at the first that lists it: a record shown
 * recently (an officer deciding on what they just saw) is found in the first few entries of the
 * actor's index; one never shown costs a scan of that officer's entries of the period.
 */
export async function recordsShownTo(db: Query, actor: string, refs: readonly string[], days: number): Promise<Set<string>> {
  const distinct = [...new Set(refs)];
  const found = await Promise.all(
    distinct.map(async (ref) => {
      const { rows } = await db.query(
        `SELECT 1 FROM audit_log
          WHERE actor = $1 AND kind IN ('search', 'subject-view') AND at >= now() - make_interval(days => $2)
            AND strpos(entry, $3) > 0 AND (entry::jsonb -> 'records') ? $4
          ORDER BY at DESC LIMIT 1`,
        // The text test is a cheap filter (the canonical entry holds the ref quoted); the jsonb test decides.
        [actor, days, JSON.stringify(ref), ref],
      );
      return rows.length > 0 ? ref : undefined;
    }),
  );
  return new Set(found.filter((r): r is string => r !== undefined));
}
