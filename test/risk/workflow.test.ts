import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/auth/audit.ts';
import { ratingsFor } from '../../src/risk/lookup.ts';
import { DEFAULT_RULE_SET } from '../../src/risk/rules.ts';
import { InProcessRunner } from '../../src/risk/runs.ts';
import type { Db } from '../../src/store/db.ts';
import { load, riskApp, riskDb, trader } from './support.ts';

// t:1 clean; t:2 two recent offences, a seizure, and a Secret intelligence report on CASE-9 → very high;
// t:3 twenty clean inspections (so the population rate is 1/21).
const OFFICER = { sub: 'officer-1', roles: ['officer'], clearance: 'Confidential' };
const SENIOR = { sub: 'senior-1', roles: ['officer'], clearance: 'Secret' };
const MANAGER = { sub: 'risk-1', roles: ['risk-manager'], clearance: 'Confidential' };

let db: Db;
let runner: InProcessRunner;
let hub: Awaited<ReturnType<typeof riskApp>>;

beforeAll(async () => {
  db = await riskDb();
  await db.query(`INSERT INTO risk_settings (key, value) VALUES ('asOf', '"2026-01-01"')`);
  await load(db, {
    traders: [trader(1), trader(2), trader(3)],
    offences: [
      { traderId: 2, ref: 'O-1', committedOn: '2025-01-01', kind: 'undeclared goods', level: 0, cases: [] },
      { traderId: 2, ref: 'O-2', committedOn: '2025-06-01', kind: 'undeclared goods', level: 0, cases: [] },
    ],
    inspections: [
      { traderId: 2, shipmentRef: null, inspectedOn: '2025-03-01', result: 'seizure' },
      ...Array.from({ length: 20 }, () => ({ traderId: 3, shipmentRef: null, inspectedOn: '2025-03-01', result: 'clear' as const })),
    ],
    intel: [{ traderId: 2, ref: 'cis:R9', kind: 'investigation', reportedOn: '2025-05-05', level: 3, cases: ['CASE-9'] }],
  });
  await db.query(`INSERT INTO case_members (case_id, user_id, added_by) VALUES ('CASE-9', 'senior-1', 'test')`);
  runner = new InProcessRunner(db, { chunkSize: 2 });
  hub = await riskApp(db, runner);
});

afterAll(async () => {
  await hub.close();
  await db.close();
});

describe('trader risk rating through the API', () => {
  let reviewId: number;

  it('a batch run rates every trader, chunk by chunk, and reports its progress', async () => {
    expect((await hub.inject({ method: 'POST', url: '/v1/risk/runs', payload: {} }, OFFICER)).statusCode).toBe(403);
    const res = await hub.inject({ method: 'POST', url: '/v1/risk/runs', payload: {} }, MANAGER);
    expect(res.statusCode).toBe(202);
    const run = res.json();
    expect(run).toMatchObject({ ruleSetVersion: 1, asOf: '2026-01-01', status: 'queued' });
    await runner.idle();
    const done = (await hub.inject({ method: 'GET', url: `/v1/risk/runs/${run.runId}` }, MANAGER)).json();
    expect(done).toMatchObject({ status: 'done', chunksTotal: 2, chunksDone: 2, tradersTotal: 3, tradersDone: 3, ratingsChanged: 3, reviewsOpened: 1, progress: 1 });
  });

  it('the queue holds the trader who entered high, with the reasons the officer may see', async () => {
    const list = (await hub.inject({ method: 'GET', url: '/v1/risk/reviews' }, OFFICER)).json().reviews;
    expect(list).toHaveLength(1);
    const review = list[0];
    reviewId = review.reviewId;
    expect(review).toMatchObject({ traderKey: 't:2', fromLevel: null, toLevel: 'very-high', trigger: 'entered-high', status: 'pending', score: 50 });
    // The reason this officer may not see leaves no trace, not even a count.
    expect(review).not.toHaveProperty('reasonsWithheld');
    expect(review.reasons.map((r: { code: string }) => r.code)).toEqual(['PRIOR_OFFENCE', 'PRIOR_SEIZURE', 'RECENT_OFFENCE']);
    expect(review.reasons[0]).toEqual({ code: 'PRIOR_OFFENCE', text: '2 prior offence(s) on record', feature: 'offences', value: 2, op: '>=', threshold: 1, points: 15, evidence: ['O-2', 'O-1'] });
    // Secret and on CASE-9: the intelligence reason too
    const senior = (await hub.inject({ method: 'GET', url: `/v1/risk/reviews/${reviewId}` }, SENIOR)).json();
    expect(senior.reasons.map((r: { code: string }) => r.code)).toContain('INTELLIGENCE');
  });

  it('ratingsFor (for the search) by trader key or BR, reasons filtered and cut', async () => {
    const who = { level: 2, cases: new Set<string>() };
    const map = await ratingsFor(db, ['t:2', '20000002', '20000002-000-01-24-5', 'nobody'], who, { top: 2 });
    expect([...map.keys()]).toEqual(['t:2', '20000002', '20000002-000-01-24-5']);
    expect(map.get('t:2')).toMatchObject({ level: 'very-high', computedLevel: 'very-high', decided: false, pendingReview: reviewId });
    expect(map.get('t:2')?.reasons).toHaveLength(2);
  });

  it('an override needs a justification, sets the effective level, is audited, and cannot be decided twice', async () => {
    const bad = await hub.inject({ method: 'POST', url: `/v1/risk/reviews/${reviewId}`, payload: { decision: 'override', level: 'medium' } }, OFFICER);
    expect(bad.statusCode).toBe(400);
    const noLevel = await hub.inject({ method: 'POST', url: `/v1/risk/reviews/${reviewId}`, payload: { decision: 'override', justification: 'seizure was a paperwork slip' } }, OFFICER);
    expect(noLevel.statusCode).toBe(400);
    const res = await hub.inject(
      { method: 'POST', url: `/v1/risk/reviews/${reviewId}`, payload: { decision: 'override', level: 'high', justification: 'seizure was minor; offences settled' } },
      OFFICER,
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'overridden', decidedBy: 'officer-1', decidedLevel: 'high', justification: 'seizure was minor; offences settled' });
    const again = await hub.inject({ method: 'POST', url: `/v1/risk/reviews/${reviewId}`, payload: { decision: 'confirm', justification: 'again' } }, OFFICER);
    expect(again.statusCode).toBe(409);
    const trader = (await hub.inject({ method: 'GET', url: '/v1/risk/traders/t:2' }, OFFICER)).json();
    expect(trader.current).toMatchObject({ level: 'high', computedLevel: 'very-high', decided: true, pendingReview: null });
    expect(trader.history).toHaveLength(1);
    const audit = await db.query<{ entry: string }>(`SELECT entry FROM audit_log WHERE kind = 'admin'`);
    expect(audit.rows.map((r) => JSON.parse(r.entry).action)).toContain('risk-review-override');
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('a new event re-rates its trader at once; the decision holds while the computed level stands', async () => {
    const res = await hub.inject(
      { method: 'POST', url: '/v1/risk/traders/t:2/events', payload: { type: 'inspection', inspectedOn: '2025-12-01', result: 'clear' } },
      MANAGER,
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().current).toMatchObject({ level: 'high', computedLevel: 'very-high', decided: true });
    expect((await hub.inject({ method: 'GET', url: '/v1/risk/reviews' }, OFFICER)).json().reviews).toHaveLength(0);
  });

  it('seizures arriving for a clean trader put it in the queue (entered high), then a confirmation holds', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await hub.inject({ method: 'POST', url: '/v1/risk/traders/t:1/events', payload: { type: 'inspection', inspectedOn: '2025-11-0' + (i + 1), result: 'seizure' } }, MANAGER);
      expect(r.statusCode).toBe(200);
    }
    const missing = await hub.inject({ method: 'POST', url: '/v1/risk/traders/t:1/events', payload: { type: 'shipment', ref: 'X' } }, MANAGER);
    expect(missing.statusCode).toBe(400);
    const reviews = (await hub.inject({ method: 'GET', url: '/v1/risk/reviews?traderKey=t:1' }, OFFICER)).json().reviews;
    expect(reviews).toHaveLength(1);
    // the first seizure made it medium (a rise: reviewed), the second high: that review supersedes the first
    expect(reviews[0]).toMatchObject({ fromLevel: 'medium', toLevel: 'high', trigger: 'entered-high' });
    const superseded = (await hub.inject({ method: 'GET', url: '/v1/risk/reviews?traderKey=t:1&status=superseded' }, OFFICER)).json().reviews;
    expect(superseded.map((r: { fromLevel: string; toLevel: string; trigger: string }) => [r.fromLevel, r.toLevel, r.trigger])).toEqual([['low', 'medium', 'rose']]);
    const ok = await hub.inject({ method: 'POST', url: `/v1/risk/reviews/${reviews[0].reviewId}`, payload: { decision: 'confirm', justification: 'three seizures' } }, OFFICER);
    expect(ok.json()).toMatchObject({ status: 'confirmed', decidedLevel: 'high' });
    const t1 = (await hub.inject({ method: 'GET', url: '/v1/risk/traders/t:1' }, OFFICER)).json();
    expect(t1.current).toMatchObject({ level: 'high', decided: true });
    expect(t1.history.length).toBeGreaterThanOrEqual(2);
    const decided = (await hub.inject({ method: 'GET', url: '/v1/risk/reviews?status=confirmed' }, OFFICER)).json().reviews;
    expect(decided.map((r: { traderKey: string }) => r.traderKey)).toEqual(['t:1']);
  });

  it('only the risk manager edits rule sets: draft → active, and the old version retires', async () => {
    const doc = { ...DEFAULT_RULE_SET, name: 'stricter', thresholds: { medium: 10, high: 20, veryHigh: 40 } };
    expect((await hub.inject({ method: 'POST', url: '/v1/risk/rule-sets', payload: doc }, OFFICER)).statusCode).toBe(403);
    const invalid = await hub.inject({ method: 'POST', url: '/v1/risk/rule-sets', payload: { ...doc, thresholds: { medium: 30, high: 20, veryHigh: 40 } } }, MANAGER);
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().errors[0].path).toBe('/body/thresholds');
    const created = await hub.inject({ method: 'POST', url: '/v1/risk/rule-sets', payload: doc }, MANAGER);
    expect(created.statusCode).toBe(201);
    const v = created.json().version;
    expect(created.json()).toMatchObject({ status: 'draft', name: 'stricter', createdBy: 'risk-1' });
    const edited = await hub.inject({ method: 'PUT', url: `/v1/risk/rule-sets/${v}`, payload: { ...doc, name: 'stricter still' } }, MANAGER);
    expect(edited.json()).toMatchObject({ name: 'stricter still', status: 'draft' });
    // a draft cannot rate; a backtest can try it
    const activated = await hub.inject({ method: 'POST', url: `/v1/risk/rule-sets/${v}/activate` }, MANAGER);
    expect(activated.json()).toMatchObject({ status: 'active', activatedBy: 'risk-1' });
    expect((await hub.inject({ method: 'PUT', url: `/v1/risk/rule-sets/${v}`, payload: doc }, MANAGER)).statusCode).toBe(409);
    const list = (await hub.inject({ method: 'GET', url: '/v1/risk/rule-sets' }, OFFICER)).json().ruleSets;
    expect(list.map((r: { version: number; status: string }) => [r.version, r.status])).toEqual([
      [1, 'retired'],
      [v, 'active'],
    ]);
    // the next run records the new version
    const run = (await hub.inject({ method: 'POST', url: '/v1/risk/runs', payload: {} }, MANAGER)).json();
    await runner.idle();
    expect((await hub.inject({ method: 'GET', url: `/v1/risk/runs/${run.runId}` }, MANAGER)).json()).toMatchObject({ status: 'done', ruleSetVersion: v, ratingsChanged: 3 });
    const t3 = (await hub.inject({ method: 'GET', url: '/v1/risk/traders/t:3' }, OFFICER)).json();
    expect(t3.current.ruleSetVersion).toBe(v);
    expect(t3.history.map((h: { ruleSetVersion: number }) => h.ruleSetVersion)).toEqual([v, 1]);
  });

  it('backtest and selection through the API', async () => {
    const bt = await hub.inject({ method: 'POST', url: '/v1/risk/backtest', payload: { ruleSetVersion: 1, from: '2025-01-01', to: '2026-01-01' } }, MANAGER);
    expect(bt.statusCode).toBe(200);
    expect(bt.json()).toMatchObject({ ruleSetVersion: 1, evaluated: 3, active: { ruleSetVersion: 2 } });
    const sel = (await hub.inject({ method: 'GET', url: '/v1/risk/selection?count=2&randomShare=0.5&seed=1' }, OFFICER)).json();
    expect(sel.randomShare).toBe(0.5);
    expect(sel.picks.map((p: { why: string }) => p.why)).toEqual(['risk', 'random']);
    expect(sel.picks[0].traderKey).not.toBe(sel.picks[1].traderKey);
  });
});
