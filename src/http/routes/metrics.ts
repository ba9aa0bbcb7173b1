import type { FastifyInstance } from 'fastify';
import type { HubMetrics } from '../../observability/metrics.ts';
import type { Contract } from '../contract.ts';

/** Prometheus exposition; meant for the monitoring network, like /healthz and /readyz. */
export function metricsRoutes(app: FastifyInstance, contract: Contract, metrics: HubMetrics): void {
  app.get('/metrics', { schema: contract.route('metrics') }, async (_req, reply) => {
    void reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
