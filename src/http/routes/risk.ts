import type { FastifyInstance } from 'fastify';
import type { Db } from '../../store/db.ts';
import { backtest, BacktestError } from '../../risk/backtest.ts';
import { recordInspection, recordShipment } from '../../risk/engine.ts';
import { traderRisk } from '../../risk/lookup.ts';
import { decideReview, getReview, listReviews, ReviewError, type Decision, type ReviewStatus } from '../../risk/reviews.ts';
import { RuleSetInvalidError } from '../../risk/rules.ts';
import { activateRuleSet, createRuleSet, getRuleSet, listRuleSets, RuleSetStateError, updateRuleSet } from '../../risk/rulesets.ts';
import { createRun, getRun, InProcessRunner, listRuns, RunRequestError, type RiskRunner } from '../../risk/runs.ts';
import { recommendSelection } from '../../risk/selection.ts';
import { principalOf, type Guard } from '../auth.ts';
import type { Contract } from '../contract.ts';
import { ProblemError } from '../problem.ts';

type Version = { Params: { version: number } };

/** Domain errors with a status become problems; anything else stays a 500. */
function problem(err: unknown): never {
  if (err instanceof RuleSetInvalidError) throw new ProblemError(400, 'validation', 'The rule set is not valid', err.message, err.errors.map((e) => ({ path: `/body${e.path}`, message: e.message })));
  if (err instanceof RuleSetStateError || err instanceof RunRequestError || err instanceof ReviewError || err instanceof BacktestError) {
    const type = err.status === 404 ? 'not-found' : err.status === 409 ? 'conflict' : 'validation';
    throw new ProblemError(err.status, type, err.status === 404 ? 'Not found' : err.status === 409 ? 'Conflict' : 'The request is not valid', err.message);
  }
  throw err;
}

const guarded = <T>(p: Promise<T>): Promise<T> => p.catch(problem);

/**
 * Trader risk rating (issue 6). Rule sets, runs, backtests and events need the risk-manager role
 * ('manage-risk'); the queue, the trader view and selections are for officers ('view-subject'), whose
 * reasons are filtered by their clearance. Without a runner, runs execute in this process.
 */
export function riskRoutes(app: FastifyInstance, contract: Contract, guard: Guard, db: Db, runner?: RiskRunner): void {
  const manage = guard('manage-risk');
  const officer = guard('view-subject');
  let own: RiskRunner | undefined;
  const theRunner = (): RiskRunner => runner ?? (own ??= new InProcessRunner(db));
  app.addHook('onClose', async () => {
    await own?.close();
  });

  app.get('/v1/risk/rule-sets', { schema: contract.route('listRiskRuleSets'), onRequest: officer }, async () => ({ ruleSets: await listRuleSets(db) }));
  app.post<{ Body: unknown }>('/v1/risk/rule-sets', { schema: contract.route('createRiskRuleSet'), onRequest: manage }, async (req, reply) => {
    const created = await guarded(createRuleSet(db, req.body, principalOf(req).userId));
    void reply.status(201);
    return created;
  });
  app.get<Version>('/v1/risk/rule-sets/:version', { schema: contract.route('getRiskRuleSet'), onRequest: officer }, async (req) => {
    const found = await getRuleSet(db, req.params.version);
    if (!found) throw new ProblemError(404, 'not-found', 'Not found', `rule set version ${req.params.version} does not exist`);
    return found;
  });
  app.put<Version & { Body: unknown }>('/v1/risk/rule-sets/:version', { schema: contract.route('updateRiskRuleSet'), onRequest: manage }, async (req) =>
    guarded(updateRuleSet(db, req.params.version, req.body, principalOf(req).userId)),
  );
  app.post<Version>('/v1/risk/rule-sets/:version/activate', { schema: contract.route('activateRiskRuleSet'), onRequest: manage }, async (req) =>
    guarded(activateRuleSet(db, req.params.version, principalOf(req).userId)),
  );

  app.get('/v1/risk/runs', { schema: contract.route('listRiskRuns'), onRequest: manage }, async () => ({ runs: await listRuns(db) }));
  app.post<{ Body: { asOf?: string } | undefined }>('/v1/risk/runs', { schema: contract.route('startRiskRun'), onRequest: manage }, async (req, reply) => {
    const run = await guarded(createRun(db, { requestedBy: principalOf(req).userId, ...(req.body?.asOf ? { asOf: req.body.asOf } : {}) }));
    await theRunner().submit(run.runId);
    void reply.status(202);
    return run;
  });
  app.get<{ Params: { runId: number } }>('/v1/risk/runs/:runId', { schema: contract.route('getRiskRun'), onRequest: manage }, async (req) => {
    const run = await getRun(db, req.params.runId);
    if (!run) throw new ProblemError(404, 'not-found', 'Not found', `run ${req.params.runId} does not exist`);
    return run;
  });

  app.get<{ Querystring: { status?: ReviewStatus; traderKey?: string; limit?: number } }>(
    '/v1/risk/reviews',
    { schema: contract.route('listRiskReviews'), onRequest: officer },
    async (req) => ({ reviews: await listReviews(db, principalOf(req), req.query) }),
  );
  app.get<{ Params: { reviewId: number } }>('/v1/risk/reviews/:reviewId', { schema: contract.route('getRiskReview'), onRequest: officer }, async (req) => {
    const review = await getReview(db, principalOf(req), req.params.reviewId);
    if (!review) throw new ProblemError(404, 'not-found', 'Not found', `review ${req.params.reviewId} does not exist`);
    return review;
  });
  app.post<{ Params: { reviewId: number }; Body: Decision }>('/v1/risk/reviews/:reviewId', { schema: contract.route('decideRiskReview'), onRequest: officer }, async (req) =>
    guarded(decideReview(db, principalOf(req), req.params.reviewId, req.body)),
  );

  const traderView = async (traderKey: string, who: ReturnType<typeof principalOf>) => {
    const found = await traderRisk(db, traderKey, who);
    if (!found) throw new ProblemError(404, 'not-found', 'Not found', `trader ${traderKey} is not known to the risk engine`);
    return { traderKey, ...found };
  };
  app.get<{ Params: { traderKey: string } }>('/v1/risk/traders/:traderKey', { schema: contract.route('getTraderRisk'), onRequest: officer }, async (req) =>
    traderView(req.params.traderKey, principalOf(req)),
  );
  app.post<{ Params: { traderKey: string }; Body: Record<string, unknown> & { type: 'shipment' | 'inspection' } }>(
    '/v1/risk/traders/:traderKey/events',
    { schema: contract.route('recordTraderRiskEvent'), onRequest: manage },
    async (req) => {
      const trader = (await db.query<{ trader_id: string | number }>('SELECT trader_id FROM risk_traders WHERE trader_key = $1', [req.params.traderKey])).rows[0];
      if (!trader) throw new ProblemError(404, 'not-found', 'Not found', `trader ${req.params.traderKey} is not known to the risk engine`);
      const b = req.body;
      const missing = (b.type === 'shipment' ? ['ref', 'shippedOn', 'hsCode', 'valueHkd'] : ['inspectedOn', 'result']).filter((f) => b[f] === undefined);
      if (missing.length > 0) {
        throw new ProblemError(400, 'validation', 'The request is not valid', `a ${b.type} needs ${missing.join(', ')}`, missing.map((f) => ({ path: `/body/${f}`, message: 'is required' })));
      }
      const traderId = Number(trader.trader_id);
      if (b.type === 'shipment') {
        await recordShipment(db, {
          traderId,
          ref: b.ref as string,
          shippedOn: b.shippedOn as string,
          hsCode: b.hsCode as string,
          valueHkd: b.valueHkd as number,
          quantity: (b.quantity as number | undefined) ?? null,
          origin: (b.origin as string | undefined) ?? null,
          route: (b.route as string | undefined) ?? null,
        });
      } else {
        await recordInspection(db, {
          traderId,
          inspectedOn: b.inspectedOn as string,
          result: b.result as 'clear' | 'irregularity' | 'seizure',
          shipmentRef: (b.shipmentRef as string | undefined) ?? null,
        });
      }
      return traderView(req.params.traderKey, principalOf(req));
    },
  );

  app.post<{ Body: { ruleSetVersion: number; from: string; to: string; budgets?: number[] } }>(
    '/v1/risk/backtest',
    { schema: contract.route('backtestRiskRuleSet'), onRequest: manage },
    async (req) => guarded(backtest(db, req.body)),
  );
  app.get<{ Querystring: { count: number; randomShare?: number; seed?: number } }>(
    '/v1/risk/selection',
    { schema: contract.route('recommendRiskSelection'), onRequest: officer },
    async (req) => recommendSelection(db, req.query),
  );
}
