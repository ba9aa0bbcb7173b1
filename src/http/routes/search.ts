import type { FastifyInstance } from 'fastify';
import type { SearchInput, SearchService } from '../../federation/search.ts';
import { SearchInputError } from '../../federation/search.ts';
import { principalOf, type Guard } from '../auth.ts';
import type { Contract } from '../contract.ts';
import { ProblemError } from '../problem.ts';

export function searchRoutes(app: FastifyInstance, contract: Contract, guard: Guard, service: SearchService): void {
  app.post<{ Body: SearchInput }>('/v1/search', { schema: contract.route('search'), onRequest: guard('search') }, async (req, reply) => {
    const searchId = req.id;
    try {
      const { result, audited } = await service.search(req.body, principalOf(req), searchId, req.log, req.traceId);
      // Serialised (through the route's response schema) while the audit entry commits; sent only
      // once it has: a search whose entry cannot be written fails.
      const body = reply.serialize(result);
      await audited;
      return reply.type('application/json; charset=utf-8').send(body);
    } catch (err) {
      if (err instanceof SearchInputError) {
        throw new ProblemError(400, err.type, 'The search cannot be run', err.message, [{ path: `/body${err.field}`, message: err.message }]);
      }
      throw err;
    }
  });
}
