import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from '../connectors/registry.ts';
import type { SearchService } from '../federation/search.ts';
import type { AuditEvent } from '../auth/audit.ts';
import type { Authenticator } from '../auth/authenticate.ts';
import type { Db } from '../store/db.ts';
import type { DecidedRecords } from '../store/link-decisions.ts';
import { createGuard } from './auth.ts';
import { loadContract, registerSchemas, sharedSchemas } from './contract.ts';
import type { HubMetrics } from '../observability/metrics.ts';
import { installProblemHandlers } from './problem.ts';
import { linkRoutes } from './routes/links.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { riskRoutes } from './routes/risk.ts';
import { adminConnectorRoutes } from './routes/admin-connectors.ts';
import type { RiskRunner } from '../risk/runs.ts';
import { auditRoutes } from './routes/audit.ts';
import { caseRoutes } from './routes/cases.ts';
import { healthRoutes, type Readiness } from './routes/health.ts';
import { searchRoutes } from './routes/search.ts';
import { bufferSerializerFactory } from './serializer.ts';
import { sourceRoutes } from './routes/sources.ts';
import { subjectRoutes } from './routes/subjects.ts';
import { installTracing } from './trace.ts';
import { installValidation } from './validation.ts';

export interface AppDeps {
  log: Logger;
  bodyLimit: number;
  db: Db;
  /** Appends to the audit trail; throws when the entry cannot be written. */
  audit: (e: AuditEvent) => Promise<unknown>;
  authenticator: Authenticator;
  registry: Registry;
  search: SearchService;
  metrics: HubMetrics;
  riskRunner: RiskRunner;
  /** Told of every link decision committed here, so the next search obeys it. */
  decided: DecidedRecords;
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
    schemaController: { compilersFactory: { buildSerializer: bufferSerializerFactory() } },
  });
  const contract = loadContract();
  registerSchemas(app, contract);
  installValidation(app, sharedSchemas(contract));
  installProblemHandlers(app);
  installTracing(app);
  app.addHook('onResponse', (req, reply, done) => {
    req.log.info({ method: req.method, url: req.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
    done();
  });
  const guard = createGuard(deps.authenticator, deps.audit);
  healthRoutes(app, contract, deps.ready);
  metricsRoutes(app, contract, deps.metrics);
  sourceRoutes(app, contract, guard, deps.registry);
  searchRoutes(app, contract, guard, deps.search);
  subjectRoutes(app, contract, guard, deps.search);
  linkRoutes(app, contract, guard, deps.db, deps.decided);
  adminConnectorRoutes(app, contract, deps.registry, guard, deps.audit, deps.log);
  caseRoutes(app, contract, guard, deps.db);
  auditRoutes(app, contract, guard, deps.db);
  riskRoutes(app, contract, guard, deps.db, deps.riskRunner);
  await app.ready();
  return app;
}
