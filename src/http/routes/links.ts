import type { FastifyInstance } from 'fastify';
import { appendAuditIn } from '../../auth/audit.ts';
import type { Db } from '../../store/db.ts';
import { decisionHistory, recordDecision, type DecidedRecords } from '../../store/link-decisions.ts';
import { principalOf, type Guard } from '../auth.ts';
import type { Contract } from '../contract.ts';
import { ProblemError } from '../problem.ts';

interface DecisionBody {
  recordA: string;
  recordB: string;
  decision: 'confirm' | 'reject';
  reason: string;
}

/**
 * Officers confirm that two records are the same subject, or reject a link: the engine obeys the
 * latest decision on a pair from the next search on, and says so in its explanation.
 */
export function linkRoutes(app: FastifyInstance, contract: Contract, guard: Guard, db: Db, decided: DecidedRecords): void {
  const onRequest = guard('decide-links');
  app.post<{ Body: DecisionBody }>('/v1/links/decisions', { schema: contract.route('decideLink'), onRequest }, async (req, reply) => {
    const { recordA, recordB, decision, reason } = req.body;
    if (recordA === recordB) throw new ProblemError(400, 'validation', 'The request is not valid', 'a record cannot be linked to itself', [{ path: '/body/recordB', message: 'must differ from recordA' }]);
    const by = principalOf(req).userId;
    // The decision and its audit entry commit together, or neither does.
    const stored = await db.transaction(async (tx) => {
      const d = await recordDecision(tx, { a: recordA, b: recordB, decision, reason, by });
      await appendAuditIn(tx, { kind: 'admin', actor: by, action: `link-${decision}`, target: `${d.a} ~ ${d.b}`, detail: { reason } });
      return d;
    });
    decided.noted(stored);
    void reply.status(201);
    return stored;
  });
  app.get<{ Querystring: { record: string } }>('/v1/links/decisions', { schema: contract.route('listLinkDecisions'), onRequest }, async (req) => ({
    decisions: await decisionHistory(db, req.query.record),
  }));
}
