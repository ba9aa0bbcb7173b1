import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testHub, type TestHub } from '../support/hub.ts';
import { json, localServer, type LocalServer } from '../support/http-source.ts';
import { chanTaiMan, peopleSource } from '../support/sources.ts';

let hub: TestHub;
let source: LocalServer;

beforeAll(async () => {
  source = await localServer((_req, res) => json(res, 200, { items: [chanTaiMan('p-1')] }));
  hub = await testHub([peopleSource('people', source.url)]);
});
afterAll(async () => {
  await hub.close();
  await source.close();
});

async function post(payload: string, contentType = 'application/json') {
  const res = await hub.inject({ method: 'POST', url: '/v1/search', payload, headers: { 'content-type': contentType } });
  return { status: res.statusCode, type: res.headers['content-type'], body: res.json() as Record<string, unknown>, raw: res.body };
}

function expectProblem(r: Awaited<ReturnType<typeof post>>, status: number, type: string) {
  expect(r.status).toBe(status);
  expect(r.type).toMatch(/^application\/problem\+json/);
  expect(r.body.type).toBe(`https://cirms-hub.dev/problems/${type}`);
  expect(r.body.status).toBe(status);
  expect(r.raw).not.toMatch(/\bat .*\.ts:\d+/);
}

describe('bad input gets a clear problem+json answer', () => {
  it('names an unknown field', async () => {
    const r = await post(JSON.stringify({ query: { name: 'Chan' }, purpose: 'CASE-1', colour: 'red' }));
    expectProblem(r, 400, 'validation');
    expect(r.body.errors).toEqual([{ path: '/body/colour', message: 'is not a known field' }]);
  });

  it('names a field of the wrong type', async () => {
    const r = await post(JSON.stringify({ query: { name: 'Chan' }, purpose: 'CASE-1', limit: '5' }));
    expectProblem(r, 400, 'validation');
    expect((r.body.errors as { path: string }[])[0]!.path).toBe('/body/limit');
  });

  it('names a missing query', async () => {
    const r = await post(JSON.stringify({ types: ['person'], purpose: 'CASE-1' }));
    expectProblem(r, 400, 'validation');
    expect((r.body.errors as { path: string }[])[0]!.path).toBe('/body/query');
  });

  it('refuses a search without a purpose, or with a purpose too short to say anything', async () => {
    const none = await post(JSON.stringify({ query: { name: 'Chan' } }));
    expectProblem(none, 400, 'validation');
    expect(none.body.errors).toEqual([{ path: '/body/purpose', message: 'is required' }]);
    const short = await post(JSON.stringify({ query: { name: 'Chan' }, purpose: 'x' }));
    expectProblem(short, 400, 'validation');
    expect((short.body.errors as { path: string }[])[0]!.path).toBe('/body/purpose');
  });

  it('refuses an empty query', async () => {
    expectProblem(await post(JSON.stringify({ query: {}, purpose: 'CASE-1' })), 400, 'empty-query');
  });

  it('refuses free text that is neither a name nor an identifier', async () => {
    expectProblem(await post(JSON.stringify({ query: { text: '!!!' }, purpose: 'CASE-1' })), 400, 'empty-query');
  });

  it('refuses an unknown source id', async () => {
    const r = await post(JSON.stringify({ query: { name: 'Chan' }, purpose: 'CASE-1', sources: ['nosuch'] }));
    expectProblem(r, 400, 'unknown-source');
    expect(r.body.detail).toMatch(/nosuch/);
  });

  it('refuses malformed JSON', async () => {
    expectProblem(await post('{"query": '), 400, 'malformed-json');
  });

  it('refuses a body over the configured limit with 413', async () => {
    expectProblem(await post(JSON.stringify({ query: { name: 'x'.repeat(20_000) }, purpose: 'CASE-1' })), 413, 'body-too-large');
  });

  it('refuses a body that is not JSON with 415', async () => {
    expectProblem(await post('name=chan', 'application/x-www-form-urlencoded'), 415, 'unsupported-media-type');
  });

  it('answers an unknown route with a problem too', async () => {
    const res = await hub.inject({ method: 'GET', url: '/v1/nothing' });
    expect(res.statusCode).toBe(404);
    expect(res.json().type).toBe('https://cirms-hub.dev/problems/not-found');
  });
});

describe('service endpoints', () => {
  it('lists the sources with what each answers and its health', async () => {
    const res = await hub.inject({ method: 'GET', url: '/v1/sources' });
    expect(res.statusCode).toBe(200);
    const { sources } = res.json() as { sources: { id: string; kind: string; answers: unknown; health: { status: string } }[] };
    expect(sources).toHaveLength(1);
    expect(sources[0]).toMatchObject({ id: 'people', kind: 'http', enabled: true, answers: [{ type: 'person', by: ['hkid', 'name'] }] });
    expect(['up', 'unknown']).toContain(sources[0]!.health.status);
  });

  it('is live and ready once the store is migrated and the registry loaded', async () => {
    expect((await hub.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const ready = await hub.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { store: 'ok', registry: 'ok' } });
  });

  it('serves its OpenAPI document', async () => {
    const res = await hub.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.json().openapi).toBe('3.1.0');
  });
});

describe('sign-on at the edge', () => {
  it('refuses a search without a token, or with a forged one, with 401 and a Bearer challenge', async () => {
    const none = await hub.app.inject({ method: 'POST', url: '/v1/search', payload: { query: { name: 'Chan' }, purpose: 'CASE-1' } });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect(none.headers['content-type']).toMatch(/^application\/problem\+json/);
    const forged = await hub.app.inject({
      method: 'POST',
      url: '/v1/search',
      headers: { authorization: 'Bearer eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0.eyJzdWIiOiJldmUifQ.' },
      payload: { query: { name: 'Chan' }, purpose: 'CASE-1' },
    });
    expect(forged.statusCode).toBe(401);
    expect(forged.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    expect(source.requests).toHaveLength(0);
  });

  it('refuses a search to a role that may not search (an auditor) with 403', async () => {
    const res = await hub.inject({ method: 'POST', url: '/v1/search', payload: { query: { name: 'Chan' } } }, { roles: ['auditor'] });
    expect(res.statusCode).toBe(403);
    expect(res.json().type).toBe('https://cirms-hub.dev/problems/forbidden');
  });
});
