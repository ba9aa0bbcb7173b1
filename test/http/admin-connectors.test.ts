import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testHub, type TestHub } from '../support/hub.ts';
import { json, localServer, type LocalServer } from '../support/http-source.ts';
import { chanTaiMan, peopleSource } from '../support/sources.ts';

const ADMIN = { sub: 'alice', roles: ['connector-admin'], clearance: 'Unrestricted' };
let hub: TestHub;
let first: LocalServer;
let second: LocalServer;

beforeAll(async () => {
  first = await localServer((req, res) => (req.url === '/health' ? json(res, 200, {}) : json(res, 200, { items: [chanTaiMan('a-1')] }, 5)));
  second = await localServer((req, res) => (req.url === '/health' ? json(res, 200, {}) : json(res, 200, { items: [chanTaiMan('b-1', 'Chan Taiman')] }, 5)));
  hub = await testHub([peopleSource('first', first.url)]);
});
afterAll(async () => {
  await hub.close();
  await first.close();
  await second.close();
});

const admin = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
  hub.inject({ method, url, ...(payload ? { payload } : {}) }, ADMIN);

async function searchSources(): Promise<string[]> {
  const res = await hub.inject({ method: 'POST', url: '/v1/search', payload: { query: { text: 'A123456(3)' } } });
  expect(res.statusCode).toBe(200);
  const body = res.json() as { partial: boolean; sources: { id: string; status: string }[] };
  expect(body.partial).toBe(false);
  return body.sources.map((s) => s.id);
}

describe('administration API: connectors at run time', () => {
  it('is for connector administrators only: 401 without a token, 403 for other roles', async () => {
    const none = await hub.app.inject({ method: 'GET', url: '/v1/admin/connectors' });
    expect(none.statusCode).toBe(401);
    expect(none.json().type).toBe('https://cirms-hub.dev/problems/unauthorized');
    const officer = await hub.inject({ method: 'GET', url: '/v1/admin/connectors' }, { roles: ['officer', 'supervisor'] });
    expect(officer.statusCode).toBe(403);
    expect(officer.json().type).toBe('https://cirms-hub.dev/problems/forbidden');
  });

  it('registers a new source while searches run: none fails, later searches include it; disabling removes it the same way', async () => {
    let stop = false;
    const seen: string[][] = [];
    const failures: unknown[] = [];
    const load = (async () => {
      while (!stop) {
        try {
          seen.push(await searchSources());
        } catch (err) {
          failures.push(err);
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 50));
    const created = await admin('POST', '/v1/admin/connectors', peopleSource('second', second.url));
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ id: 'second', version: 1, live: true, trial: { ok: true } });
    expect(await searchSources()).toEqual(['first', 'second']);

    const disabled = await admin('POST', '/v1/admin/connectors/second/disable');
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect(disabled.json()).toMatchObject({ id: 'second', version: 2, live: false });
    await new Promise((r) => setTimeout(r, 50));
    stop = true;
    await load;
    expect(failures).toEqual([]);
    expect(seen.length).toBeGreaterThan(3);
    const afterDisable = await hub.inject({ method: 'POST', url: '/v1/search', payload: { query: { text: 'A123456(3)' } } });
    expect((afterDisable.json() as { sources: { id: string }[] }).sources.map((s) => s.id)).toEqual(['first']);
    // Before registration searches saw one source, after it two: both shapes occurred, nothing else.
    for (const ids of seen) expect([['first'], ['first', 'second']]).toContainEqual(ids);
  });

  it('keeps every version with who changed it, and never a credential', async () => {
    const res = await admin('GET', '/v1/admin/connectors/second');
    expect(res.statusCode).toBe(200);
    const body = res.json() as { connector: { version: number; enabled: boolean }; versions: { version: number; changedBy: string; enabled: boolean }[] };
    expect(body.connector).toMatchObject({ version: 2, enabled: false });
    expect(body.versions.map((v) => [v.version, v.enabled, v.changedBy])).toEqual([
      [2, false, 'alice'],
      [1, true, 'alice'],
    ]);
    const list = await admin('GET', '/v1/admin/connectors');
    expect((list.json() as { connectors: { id: string }[] }).connectors.map((c) => c.id)).toEqual(['first', 'second']);
    // Every change is in the audit trail too.
    const audit = await hub.inject({ method: 'GET', url: '/v1/audit?kind=admin' }, { roles: ['auditor'] });
    const actions = (audit.json() as { entries: { actor: string; entry: { action: string; target: string } }[] }).entries.map((e) => [e.actor, e.entry.action, e.entry.target]);
    expect(actions).toEqual([
      ['alice', 'connector-disabled', 'second'],
      ['alice', 'connector-registered', 'second'],
    ]);
  });

  it('refuses a bad definition with 400 naming the field, and a credential written into it', async () => {
    const bad = await admin('POST', '/v1/admin/connectors', { ...peopleSource('third', second.url), timeoutMs: 'soon' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ type: 'https://cirms-hub.dev/problems/invalid-definition', errors: [{ path: '/body/timeoutMs' }] });
    const secret = await admin('POST', '/v1/admin/connectors', { ...peopleSource('third', second.url), headers: { Authorization: 'Bearer s3cret' } });
    expect(secret.statusCode).toBe(400);
    expect(secret.json().errors[0].path).toBe('/body/headers/Authorization');
    const unknownKind = await admin('POST', '/v1/admin/connectors', { id: 'third', kind: 'ftp' });
    expect(unknownKind.statusCode).toBe(400);
    expect(unknownKind.json().errors[0].path).toBe('/body/kind');
  });

  it('does not activate a definition whose connection test fails', async () => {
    const gone = await localServer(() => {});
    const url = gone.url;
    await gone.close();
    const res = await admin('POST', '/v1/admin/connectors', peopleSource('third', url));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ type: 'https://cirms-hub.dev/problems/connector-test-failed', trial: { ok: false, steps: [{ step: 'build', ok: true }, { step: 'connect', ok: false }] } });
    expect((await admin('GET', '/v1/admin/connectors/third')).statusCode).toBe(404);
    expect(await searchSources()).toEqual(['first']);
  });

  it('does not activate a definition whose dry-run query fails', async () => {
    const broken = await localServer((req, res) => (req.url === '/health' ? json(res, 200, {}) : json(res, 500, {})));
    const res = await admin('POST', '/v1/admin/connectors', peopleSource('broken', broken.url));
    expect(res.statusCode).toBe(422);
    expect(res.json().trial.steps.at(-1)).toMatchObject({ step: 'dry-run', ok: false, detail: 'HTTP 500' });
    await broken.close();
  });

  it('lets a search in flight finish on the old version while PUT swaps in a new one', async () => {
    const slow = await localServer((req, res) => (req.url === '/health' ? json(res, 200, {}) : json(res, 200, { items: [chanTaiMan('s-1')] }, 400)));
    expect((await admin('POST', '/v1/admin/connectors', peopleSource('slow', slow.url))).statusCode).toBe(201);
    const inFlight = hub.inject({ method: 'POST', url: '/v1/search', payload: { query: { text: 'A123456(3)' }, sources: ['slow'] } });
    await new Promise((r) => setTimeout(r, 100));
    const put = await admin('PUT', '/v1/admin/connectors/slow', peopleSource('slow', slow.url, { timeoutMs: 2_500 }));
    expect(put.statusCode, put.body).toBe(200);
    const answer = (await inFlight).json() as { sources: { id: string; status: string; records: number }[] };
    expect(answer.sources).toEqual([expect.objectContaining({ id: 'slow', status: 'ok', records: 1 })]);
    expect(hub.registry.get('slow')?.version).toBe(2);
    await admin('DELETE', '/v1/admin/connectors/slow');
    await slow.close();
  });

  it('changes a source with PUT (a new version), tests it on demand, and deletes it', async () => {
    const conflict = await admin('POST', '/v1/admin/connectors', peopleSource('first', first.url));
    expect(conflict.statusCode).toBe(409);
    const put = await admin('PUT', '/v1/admin/connectors/first', peopleSource('first', first.url, { timeoutMs: 1500 }));
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ id: 'first', version: 2, live: true });
    expect(hub.registry.get('first')?.timeoutMs).toBe(1500);
    const mismatch = await admin('PUT', '/v1/admin/connectors/first', peopleSource('other', first.url));
    expect(mismatch.statusCode).toBe(400);
    const test = await admin('POST', '/v1/admin/connectors/first/test');
    expect(test.json()).toMatchObject({ ok: true, steps: [{ step: 'build' }, { step: 'connect' }, { step: 'dry-run', ok: true }] });
    const del = await admin('DELETE', '/v1/admin/connectors/second');
    expect(del.json()).toMatchObject({ id: 'second', version: 3, live: false });
    expect((await admin('GET', '/v1/admin/connectors/second')).statusCode).toBe(404);
    expect((await admin('DELETE', '/v1/admin/connectors/nosuch')).statusCode).toBe(404);
  });
});
