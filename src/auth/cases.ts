// Case memberships, kept in the hub's store (table case_members). Supervisors change them through the
// API; every change is written together with its audit entry in one transaction, so there is no
// membership change without a record of who made it. Reads go to the store every time (see principal.ts).
import type { Db } from '../store/db.ts';
import { appendAuditIn } from './audit.ts';

export interface CaseMember {
  caseId: string;
  userId: string;
  addedBy: string;
  addedAt: string;
}

/** Puts `userId` on `caseId`. Returns false when the user already was a member (nothing is audited then). */
export async function addCaseMember(db: Db, m: { caseId: string; userId: string }, actor: string): Promise<boolean> {
  requireIds(m);
  return db.transaction(async (tx) => {
    const added = await tx.query('INSERT INTO case_members (case_id, user_id, added_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1', [m.caseId, m.userId, actor]);
    if (added.rows.length === 0) return false;
    await appendAuditIn(tx, { kind: 'admin', actor, action: 'case-member-added', target: m.caseId, detail: { userId: m.userId } });
    return true;
  });
}

/** Takes `userId` off `caseId`, effective for that user's very next request. Returns false when they were not on it. */
export async function removeCaseMember(db: Db, m: { caseId: string; userId: string }, actor: string): Promise<boolean> {
  requireIds(m);
  return db.transaction(async (tx) => {
    const removed = await tx.query('DELETE FROM case_members WHERE case_id = $1 AND user_id = $2 RETURNING 1', [m.caseId, m.userId]);
    if (removed.rows.length === 0) return false;
    await appendAuditIn(tx, { kind: 'admin', actor, action: 'case-member-removed', target: m.caseId, detail: { userId: m.userId } });
    return true;
  });
}

export async function listCaseMembers(db: Pick<Db, 'query'>, caseId: string): Promise<CaseMember[]> {
  const rows = await db.query<{ case_id: string; user_id: string; added_by: string; added_at: Date | string }>(
    'SELECT case_id, user_id, added_by, added_at FROM case_members WHERE case_id = $1 ORDER BY user_id',
    [caseId],
  );
  return rows.rows.map((r) => ({ caseId: r.case_id, userId: r.user_id, addedBy: r.added_by, addedAt: new Date(r.added_at).toISOString() }));
}

/** The cases a user is on right now. */
export async function casesOf(db: Pick<Db, 'query'>, userId: string): Promise<string[]> {
  const rows = await db.query<{ case_id: string }>('SELECT case_id FROM case_members WHERE user_id = $1 ORDER BY case_id', [userId]);
  return rows.rows.map((r) => r.case_id);
}

function requireIds(m: { caseId: string; userId: string }): void {
  if (m.caseId.trim() === '' || m.userId.trim() === '') throw new TypeError('caseId and userId must not be empty');
}
