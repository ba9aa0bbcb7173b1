import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify';
import { appendAudit } from '../../src/auth/audit.ts';
import { createAuthenticator } from '../../src/auth/authenticate.ts';
import { createGuard } from '../../src/http/auth.ts';
import { loadContract, registerSchemas, sharedSchemas } from '../../src/http/contract.ts';
import { installProblemHandlers } from '../../src/http/problem.ts';
import { riskRoutes } from '../../src/http/routes/risk.ts';
import { installValidation } from '../../src/http/validation.ts';
import type { FeatureParameters } from '../../src/risk/features.ts';
import { loadRiskEstate, type RiskEstate, type RiskTrader } from '../../src/risk/load.ts';
import { DEFAULT_RULE_SET } from '../../src/risk/rules.ts';
import { ensureDefaultRuleSet } from '../../src/risk/rulesets.ts';
import type { RiskRunner } from '../../src/risk/runs.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { testIdentity, type TestUser } from '../support/identity.ts';

/** An in-memory store, migrated, with the default rule set active (version 1). */
export async function riskDb(url = 'memory:'): Promise<Db> {
  const db = await openDb(url);
  await migrate(db);
  await ensureDefaultRuleSet(db);
  return db;
}

export const AS_OF = '2026-01-01';

export const PARAMS: FeatureParameters = {
  ...DEFAULT_RULE_SET.parameters,
  highRiskChapters: [24, 22],
  riskyOrigins: ['Narnia'],
  riskyRoutes: ['Back Road'],
  minBandSample: 5,
};

export function trader(id: number, over: Partial<RiskTrader> = {}): RiskTrader {
  return {
    traderId: id,
    traderKey: `t:${id}`,
    br: String(20_000_000 + id),
    name: `Trader ${id}`,
    traderType: 'company',
    registeredOn: '2010-01-01',
    addressNorm: `ADDRESS ${id}`,
    aeo: false,
    businessChapters: [],
    ...over,
  };
}

export async function load(db: Db, estate: Partial<RiskEstate>): Promise<void> {
  await loadRiskEstate(db, estate);
}

/** The routes of src/http/routes/risk.ts on a Fastify app of their own, behind real tokens. */
export async function riskApp(db: Db, runner?: RiskRunner): Promise<{
  app: FastifyInstance;
  inject(opts: InjectOptions, user?: TestUser): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}> {
  const identity = await testIdentity();
  const app = Fastify({ logger: process.env.RISK_TEST_LOG ? { level: 'error' } : false });
  const contract = loadContract();
  registerSchemas(app, contract);
  installValidation(app, sharedSchemas(contract));
  installProblemHandlers(app);
  const guard = createGuard(createAuthenticator({ config: identity.auth, db }), (e) => appendAudit(db, e));
  riskRoutes(app, contract, guard, db, runner);
  await app.ready();
  return {
    app,
    inject: async (opts, user) => app.inject({ ...opts, headers: { ...opts.headers, authorization: `Bearer ${await identity.token(user)}` } }),
    async close() {
      await app.close();
      await identity.jwks.close();
    },
  };
}
