import type { FastifyInstance } from 'fastify';
import { listAudit, verifyAudit, type AuditFilter } from '../../auth/audit.ts';
import type { Db } from '../../store/db.ts';
import type { Guard } from '../auth.ts';
import type { Contract } from '../contract.ts';

/** The audit trail, for auditors only: read it, and check that nothing in it was changed. */
export function auditRoutes(app: FastifyInstance, contract: Contract, guard: Guard, db: Db): void {
  const onRequest = guard('read-audit');
  app.get<{ Querystring: Partial<Omit<AuditFilter, 'limit'>> & { limit?: number } }>(
    '/v1/audit',
    { schema: contract.route('listAudit'), onRequest },
    async (req) => ({ entries: await listAudit(db, { ...req.query, limit: req.query.limit ?? 100 }) }),
  );
  app.get('/v1/audit/verify', { schema: contract.route('verifyAudit'), onRequest }, async () => verifyAudit(db));
}
