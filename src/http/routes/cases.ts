import type { FastifyInstance } from 'fastify';
import { addCaseMember, listCaseMembers, removeCaseMember } from '../../auth/cases.ts';
import type { Db } from '../../store/db.ts';
import { principalOf, type Guard } from '../auth.ts';
import type { Contract } from '../contract.ts';
import { ProblemError } from '../problem.ts';

type CaseParams = { Params: { caseId: string } };

/** Supervisors put officers on cases and take them off; the change holds from the next request on. */
export function caseRoutes(app: FastifyInstance, contract: Contract, guard: Guard, db: Db): void {
  const onRequest = guard('manage-cases');
  app.get<CaseParams>('/v1/cases/:caseId/members', { schema: contract.route('listCaseMembers'), onRequest }, async (req) => ({
    caseId: req.params.caseId,
    members: await listCaseMembers(db, req.params.caseId),
  }));
  app.post<CaseParams & { Body: { userId: string } }>('/v1/cases/:caseId/members', { schema: contract.route('addCaseMember'), onRequest }, async (req, reply) => {
    const added = await addCaseMember(db, { caseId: req.params.caseId, userId: req.body.userId }, principalOf(req).userId);
    void reply.status(added ? 201 : 200);
    return { caseId: req.params.caseId, userId: req.body.userId, added };
  });
  app.delete<{ Params: { caseId: string; userId: string } }>(
    '/v1/cases/:caseId/members/:userId',
    { schema: contract.route('removeCaseMember'), onRequest },
    async (req) => {
      const removed = await removeCaseMember(db, { caseId: req.params.caseId, userId: req.params.userId }, principalOf(req).userId);
      if (!removed) throw new ProblemError(404, 'not-found', 'No such case member', `${req.params.userId} is not on ${req.params.caseId}`);
      return { caseId: req.params.caseId, userId: req.params.userId, removed };
    },
  );
}
