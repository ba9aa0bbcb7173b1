import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from '../connectors/registry.ts';
import type { SearchService } from '../federation/search.ts';
import { adminGuard } from './admin-guard.ts';
import { loadContract, registerSchemas } from './contract.ts';
import type { HubMetrics } from '../observability/metrics.ts';
import { installProblemHandlers } from './problem.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { adminConnectorRoutes } from './routes/admin-connectors.ts';
import { healthRoutes, type Readiness } from './routes/health.ts';
import { searchRoutes } from './routes/search.ts';
import { sourceRoutes } from './routes/sources.ts';
import { installTracing } from './trace.ts';

export interface AppDeps {
  log: Logger;
  bodyLimit: number;
  /** Token guarding the administration API; absent = the API is closed. */
  adminToken?: string;
  registry: Registry;
  search: SearchService;
  metrics: HubMetrics;
  ready: Readiness;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: deps.bodyLimit,
    // Every log line of a request, and the searchId in the answer, carry this id; one line per
    // request is written by the onResponse hook below instead of Fastify's two.
    genReqId: () => randomUUID(),
    logController: new LogController({ requestIdLogLabel: 'searchId', disableRequestLogging: true }),
    ajv: {
      // Unknown fields are an error the caller should hear about, not something to drop silently;
      // types are not coerced, so "limit": "5" is refused rather than guessed at.
      customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false },
    },
  });
  const contract = loadContract();
  registerSchemas(app, contract);
  installProblemHandlers(app);
  installTracing(app);
  app.addHook('onResponse', (req, reply, done) => {
    req.log.info({ method: req.method, url: req.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
    done();
  });
  healthRoutes(app, contract, deps.ready);
  sourceRoutes(app, contract, deps.registry);
  metricsRoutes(app, contract, deps.metrics);
  searchRoutes(app, contract, deps.search);
  adminConnectorRoutes(app, contract, deps.registry, adminGuard(deps.adminToken), deps.log);
  await app.ready();
  return app;
}
