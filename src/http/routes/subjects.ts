import type { FastifyInstance } from 'fastify';
import type { SearchService } from '../../federation/search.ts';
import { principalOf, type Guard } from '../auth.ts';
import type { Contract } from '../contract.ts';
import { ProblemError } from '../problem.ts';

export function subjectRoutes(app: FastifyInstance, contract: Contract, guard: Guard, service: SearchService): void {
  app.get<{ Params: { id: string }; Querystring: { purpose: string } }>(
    '/v1/subjects/:id',
    { schema: contract.route('getSubject'), onRequest: guard('view-subject') },
    async (req) => {
      const view = await service.view(req.params.id, req.query.purpose, principalOf(req), req.id, req.log, req.traceId);
      // One answer for "never existed" and "not yours to see", so the difference cannot be probed.
      if (!view) throw new ProblemError(404, 'not-found', 'No such subject', `no subject ${req.params.id}`);
      return view;
    },
  );
}
