import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { NetworkPolicy } from './connectors/network.ts';
import { Registry } from './connectors/registry.ts';
import { AuditWriter, type AuditEvent } from './auth/audit.ts';
import { ratingsFor } from './risk/lookup.ts';
import { ensureDefaultRuleSet } from './risk/rulesets.ts';
import { createRunner, type RiskRunner } from './risk/runs.ts';
import { createAuthenticator, type Authenticator } from './auth/authenticate.ts';
import { ConfigError, type HubConfig } from './config.ts';
import { AnswerCache } from './federation/cache.ts';
import { SearchService } from './federation/search.ts';
import { buildApp } from './http/app.ts';
import { openDb, type Db } from './store/db.ts';
import { HubMetrics } from './observability/metrics.ts';
import { migrate } from './store/migrate.ts';
import { DecidedRecords } from './store/link-decisions.ts';
import { ActiveModelCache } from './store/match-models.ts';
import { SubjectIndex } from './store/subject-index.ts';

export interface Hub {
  app: FastifyInstance;
  db: Db;
  registry: Registry;
  /** Runs risk re-rating jobs: on pg-boss when the store is PostgreSQL, in process on PGlite. */
  riskRunner: RiskRunner;
  log: Logger;
  close(): Promise<void>;
}

/** Wires the hub together from its configuration: store, registry, search, HTTP. Does not listen. */
export async function createHub(config: HubConfig, opts: { log?: Logger; authenticator?: Authenticator } = {}): Promise<Hub> {
  const auth = config.auth;
  if (!auth) throw new ConfigError(`${config.file}: auth is required (the identity provider the hub trusts); see README.md`);
  const log = opts.log ?? pino({ level: config.server.logLevel, base: { service: 'cirms-hub' } });
  const db = await openDb(config.store.url);
  let migrated = false;
  const registry = new Registry(db, log, { network: new NetworkPolicy(config.network) });
  let riskRunner: RiskRunner | undefined;
  try {
    await migrate(db);
    migrated = true;
    await ensureDefaultRuleSet(db);
    riskRunner = await createRunner(db, config.store.url);
    await registry.syncConfig(config.sources, config.file);
    await registry.load();
  } catch (err) {
    await riskRunner?.close();
    await registry.close();
    await db.close();
    throw err;
  }
  // The first round of health checks runs in the background: a slow source must not delay start-up.
  void registry.startHealthChecks(config.healthCheckIntervalMs);
  registry.startRefresh(config.registryRefreshMs);
  const auditWriter = new AuditWriter(db);
  const audit = (e: AuditEvent) => auditWriter.append(e);
  const cache = new AnswerCache(config.search.cache);
  const subjectIndex = new SubjectIndex(db);
  // The active stored match model, re-read at most every 30 s: activating a version reaches every replica.
  const models = new ActiveModelCache(db);
  // Which records officers have decided on: most searches then skip the store for decisions.
  const decided = new DecidedRecords(db);
  const metrics = new HubMetrics(registry, cache);
  const search = new SearchService(
    registry,
    cache,
    config.search,
    {
      sensitiveFields: auth.sensitiveFields,
      audit,
      ratings: async (brs, principal) => {
        const found = await ratingsFor(db, brs, principal, { top: 3 });
        // A search shows the rating and the reasons the officer may see (ratingsFor already left the
        // others out); review state and internal keys stay in the risk API.
        return new Map([...found].map(([br, r]) => [br, { level: r.level, score: r.score, decided: r.decided, ruleSetVersion: r.ruleSetVersion, ratedAt: r.ratedAt, reasons: r.reasons }]));
      },
    },
    {
      remember: (s) => subjectIndex.remember(s),
      find: (id) => subjectIndex.find(id),
      decisionsFor: (refs) => decided.decisionsFor(refs),
      matchModel: () => models.get(),
    },
    metrics,
  );
  const app = await buildApp({
    log,
    bodyLimit: config.server.bodyLimit,
    db,
    audit,
    authenticator: opts.authenticator ?? createAuthenticator({ config: auth, db, audit }),
    registry,
    search,
    metrics,
    riskRunner,
    decided,
    ready: { storeMigrated: () => migrated, registryLoaded: () => registry.loaded },
  });
  return {
    app,
    db,
    registry,
    riskRunner,
    log,
    async close() {
      await app.close();
      await riskRunner.close();
      await registry.close();
      await db.close();
    },
  };
}
