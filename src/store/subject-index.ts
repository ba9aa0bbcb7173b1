import { LRUCache } from 'lru-cache';
import type { Identifier, SubjectType } from '../model/record.ts';
import type { Subject } from '../model/subject.ts';
import { STRONG_SCHEMES } from '../resolution/identifiers.ts';
import type { Db } from './db.ts';

/** How a subject is found again: by its strongest valid identifier, else by its name. */
export type SubjectBasis = { identifiers: Identifier[] } | { name: string };

export interface IndexedSubject {
  type: SubjectType;
  basis: SubjectBasis;
}

const PRIORITY = ['hkid', 'br', 'vehicle_mark', 'passport', 'cr'];

export function basisOf(s: Subject): SubjectBasis {
  const strong = s.identifiers
    .filter((i) => i.valid && STRONG_SCHEMES[s.type].includes(i.scheme))
    .sort((a, b) => rank(a.scheme) - rank(b.scheme) || (a.value < b.value ? -1 : 1));
  return strong[0] ? { identifiers: [{ scheme: strong[0].scheme, value: strong[0].value }] } : { name: s.displayName };
}

function rank(scheme: string): number {
  const i = PRIORITY.indexOf(scheme);
  return i === -1 ? PRIORITY.length : i;
}

/**
 * The subject index as a search uses it. A subject remembered within the last `freshMs` on this replica
 * is not written again: the same subjects come back search after search, and an unchanged row is not
 * worth a write on every one.
 */
export class SubjectIndex {
  readonly #db: Pick<Db, 'query'>;
  readonly #recent: LRUCache<string, string>;

  constructor(db: Pick<Db, 'query'>, opts: { max?: number; freshMs?: number } = {}) {
    this.#db = db;
    this.#recent = new LRUCache({ max: opts.max ?? 50_000, ttl: opts.freshMs ?? 10 * 60_000 });
  }

  async remember(subjects: readonly Subject[]): Promise<void> {
    // Only ids and bases from here on: the answer's subjects are not held while the store writes.
    const changed: IndexRow[] = [];
    for (const s of subjects) {
      const basis = JSON.stringify(basisOf(s));
      if (this.#recent.get(s.id) !== basis) changed.push({ id: s.id, type: s.type, basis });
    }
    if (changed.length === 0) return;
    await indexSubjects(this.#db, changed);
    for (const r of changed) this.#recent.set(r.id, r.basis);
  }

  find(id: string): Promise<IndexedSubject | undefined> {
    return lookupSubject(this.#db, id);
  }
}

/** A subject as the index keeps it: its id, type and serialised basis. */
interface IndexRow {
  id: string;
  type: SubjectType;
  basis: string;
}

/** Records (or refreshes) the subjects of one answer, in one statement. */
async function indexSubjects(db: Pick<Db, 'query'>, rows: readonly IndexRow[]): Promise<void> {
  await db.query(
    `INSERT INTO subject_index (subject_id, type, basis)
     SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[])
     ON CONFLICT (subject_id) DO UPDATE SET basis = EXCLUDED.basis, last_seen = now()`,
    [rows.map((r) => r.id), rows.map((r) => r.type), rows.map((r) => r.basis)],
  );
}

export async function lookupSubject(db: Pick<Db, 'query'>, id: string): Promise<IndexedSubject | undefined> {
  const { rows } = await db.query<{ type: SubjectType; basis: SubjectBasis }>('SELECT type, basis FROM subject_index WHERE subject_id = $1', [id]);
  return rows[0];
}
