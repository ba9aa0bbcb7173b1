import type { FastifyInstance } from 'fastify';
import type { Contract } from '../contract.ts';
import { ProblemError } from '../problem.ts';

export interface Readiness {
  storeMigrated: () => boolean;
  registryLoaded: () => boolean;
}

export function healthRoutes(app: FastifyInstance, contract: Contract, ready: Readiness): void {
  app.get('/healthz', { schema: contract.route('health') }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: contract.route('ready') }, async () => {
    const checks = { store: ready.storeMigrated() ? 'ok' : 'not migrated', registry: ready.registryLoaded() ? 'ok' : 'not loaded' };
    if (checks.store !== 'ok' || checks.registry !== 'ok') {
      throw new ProblemError(503, 'not-ready', 'Not ready', `store: ${checks.store}; registry: ${checks.registry}`);
    }
    return { status: 'ready', checks };
  });
  app.get('/openapi.json', { schema: contract.route('openapi') }, async () => contract.document);
}
