import type { FastifyInstance } from 'fastify';
import { appendAuditIn, recordsShownTo } from '../../auth/audit.ts';
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
 * Need-to-know holds for decisions too: an officer decides on, and reads the decisions and reasons
 * about, only records the hub has shown them (a search or subject view within this many days, as the
 * audit trail records). A record never shown — hidden or nonexistent alike — gets the same refusal, or
 * an empty history.
 */
const SHOWN_WITHIN_DAYS = 30;

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
    const shown = await recordsShownTo(db, by, [recordA, recordB], SHOWN_WITHIN_DAYS);
    const unseen = (['recordA', 'recordB'] as const).filter((f) => !shown.has(req.body[f]));
    if (unseen.length > 0) {
      throw new ProblemError(
        422,
        'record-not-shown',
        'The decision names a record you have not been shown',
        `a decision is taken on records the hub has shown you in a search or a subject view in the last ${SHOWN_WITHIN_DAYS} days`,
        unseen.map((f) => ({ path: `/body/${f}`, message: 'not shown to you' })),
      );
    }
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
  app.get<{ Querystring: { record: string } }>('/v1/links/decisions', { schema: contract.route('listLinkDecisions'), onRequest }, async (req) => {
    const history = await decisionHistory(db, req.query.record);
    const shown = await recordsShownTo(db, principalOf(req).userId, [req.query.record, ...history.flatMap((d) => [d.a, d.b])], SHOWN_WITHIN_DAYS);
    // Only decisions on pairs the officer has been shown both sides of: a reason speaks of both records.
    return { decisions: shown.has(req.query.record) ? history.filter((d) => shown.has(d.a) && shown.has(d.b)) : [] };
  });
}
