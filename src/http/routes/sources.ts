import type { FastifyInstance } from 'fastify';
import type { Registry } from '../../connectors/registry.ts';
import type { Guard } from '../auth.ts';
import type { Contract } from '../contract.ts';

export function sourceRoutes(app: FastifyInstance, contract: Contract, guard: Guard, registry: Registry): void {
  app.get('/v1/sources', { schema: contract.route('listSources'), onRequest: guard('search') }, async () => ({
    sources: registry.snapshot().map((e) => ({
      id: e.id,
      kind: e.definition.kind,
      ...(e.definition.description ? { description: e.definition.description } : {}),
      enabled: e.enabled,
      answers: Object.entries(e.definition.queries).map(([type, spec]) => ({ type, by: Object.keys(spec?.by ?? {}) })),
      circuit: e.policy.circuit,
      health: e.health,
    })),
  }));
}
