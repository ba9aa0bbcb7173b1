import { afterEach, describe, expect, it } from 'vitest';
import { testHub, type TestHub } from '../support/hub.ts';
import { json, localServer, type LocalServer } from '../support/http-source.ts';
import { chanTaiMan, peopleSource } from '../support/sources.ts';

interface SearchBody {
  partial: boolean;
  tookMs: number;
  sources: { id: string; status: string; records: number; reason?: string; latencyMs: number; cached?: boolean }[];
  subjects: { id: string; type: string; records: { source: string }[] }[];
}

const servers: LocalServer[] = [];
let hub: TestHub | undefined;

async function server(handler: Parameters<typeof localServer>[0]): Promise<LocalServer> {
  const s = await localServer(handler);
  servers.push(s);
  return s;
}

afterEach(async () => {
  await hub?.close();
  hub = undefined;
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function search(body: unknown): Promise<SearchBody> {
  const res = await hub!.inject({ method: 'POST', url: '/v1/search', payload: body as object });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as SearchBody;
}

const byHkid = { query: { identifiers: [{ scheme: 'hkid', value: 'A123456(3)' }] } };

describe('fan-out', () => {
  it('asks every source in parallel: sources taking 300, 290 and 10 ms answer in about 300 ms, not 600', async () => {
    const delays = { a: 300, b: 290, c: 10 };
    const defs = await Promise.all(
      Object.entries(delays).map(async ([id, ms]) => {
        const s = await server((_req, res) => json(res, 200, { items: [chanTaiMan(`${id}-1`)] }, ms));
        return peopleSource(id, s.url);
      }),
    );
    hub = await testHub(defs);
    const body = await search(byHkid);
    expect(body.sources.map((s) => s.status)).toEqual(['ok', 'ok', 'ok']);
    expect(body.partial).toBe(false);
    expect(body.tookMs).toBeGreaterThanOrEqual(290);
    expect(body.tookMs).toBeLessThan(550);
    expect(body.subjects).toHaveLength(1);
    expect(body.subjects[0]!.records.map((r) => r.source).sort()).toEqual(['a', 'b', 'c']);
  });

  it('answers by the deadline when a source never answers, reports it as timeout, and leaves no socket or timer behind', async () => {
    const hanging = await server(() => {
      /* never answers */
    });
    const fine = await server((_req, res) => json(res, 200, { items: [chanTaiMan('f-1')] }));
    hub = await testHub([peopleSource('hang', hanging.url), peopleSource('fine', fine.url)]);
    const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const started = performance.now();
    const body = await search({ ...byHkid, timeoutMs: 400 });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(1_500);
    expect(body.partial).toBe(true);
    const hang = body.sources.find((s) => s.id === 'hang')!;
    expect(hang.status).toBe('timeout');
    expect(hang.records).toBe(0);
    expect(body.sources.find((s) => s.id === 'fine')!.status).toBe('ok');
    expect(body.subjects).toHaveLength(1);
    // The aborted request's socket is destroyed, not left open on the hanging server.
    await expect.poll(() => hanging.connections(), { timeout: 2_000 }).toBe(0);
    const timersAfter = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    expect(timersAfter).toBeLessThanOrEqual(timersBefore);
  });

  it('a source’s own timeout is shorter than the search’s: that source times out alone', async () => {
    const slow = await server((_req, res) => json(res, 200, { items: [chanTaiMan('s-1')] }, 600));
    const fine = await server((_req, res) => json(res, 200, { items: [chanTaiMan('f-1')] }));
    hub = await testHub([peopleSource('slow', slow.url, { timeoutMs: 100 }), peopleSource('fine', fine.url)]);
    const body = await search(byHkid);
    const s = body.sources.find((x) => x.id === 'slow')!;
    expect(s.status).toBe('timeout');
    expect(s.latencyMs).toBeLessThan(500);
    expect(body.tookMs).toBeLessThan(500);
  });

  it('reports a 500, malformed JSON and an unreachable source each as its own failure while the others answer', async () => {
    const five = await server((_req, res) => json(res, 500, { error: 'boom' }));
    const bad = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"items": [');
    });
    const fine = await server((_req, res) => json(res, 200, { items: [chanTaiMan('f-1')] }));
    const gone = await localServer(() => {});
    const goneUrl = gone.url;
    await gone.close();
    hub = await testHub([
      peopleSource('five', five.url),
      peopleSource('bad', bad.url),
      peopleSource('fine', fine.url),
      peopleSource('gone', goneUrl),
    ]);
    const body = await search(byHkid);
    const by = Object.fromEntries(body.sources.map((s) => [s.id, s]));
    expect(by.five!.status).toBe('error');
    expect(by.five!.reason).toBe('HTTP 500');
    expect(by.bad!.status).toBe('error');
    expect(by.bad!.reason).toMatch(/JSON/);
    expect(by.gone!.status).toBe('unavailable');
    expect(by.fine!.status).toBe('ok');
    expect(body.partial).toBe(true);
    expect(body.subjects).toHaveLength(1);
  });

  it('skips, with a reason, a source that cannot answer the query, and the answer is not partial for it', async () => {
    const people = await server((_req, res) => json(res, 200, { items: [chanTaiMan('p-1')] }));
    const vehicles = await server((_req, res) => json(res, 200, { items: [] }));
    hub = await testHub([
      peopleSource('people', people.url),
      {
        id: 'vehicles',
        kind: 'http',
        baseUrl: vehicles.url,
        healthPath: '/health',
        queries: {
          vehicle: {
            by: { vehicle_mark: { path: '/v', query: { mark: '{{value}}' } } },
            items: 'items',
            mapping: { key: '{{id}}', identifiers: [{ scheme: 'vehicle_mark', field: 'mark' }] },
          },
        },
      },
    ]);
    const body = await search({ query: { name: 'Chan Tai-man' } });
    const v = body.sources.find((s) => s.id === 'vehicles')!;
    expect(v.status).toBe('skipped');
    expect(v.reason).toMatch(/cannot answer/);
    expect(vehicles.requests).toHaveLength(0);
    expect(body.partial).toBe(false);
  });

  it('serves a repeated search from the short-lived cache without asking the source again', async () => {
    const s = await server((_req, res) => json(res, 200, { items: [chanTaiMan('p-1')] }));
    hub = await testHub([peopleSource('people', s.url)], { cache: { max: 100, ttlMs: 60_000 } });
    const first = await search(byHkid);
    const second = await search({ query: { identifiers: [{ scheme: 'hkid', value: 'a1234563' }] } });
    expect(first.sources[0]!.cached).toBe(false);
    expect(second.sources[0]!.cached).toBe(true);
    expect(s.requests).toHaveLength(1);
  });

  it('asks only the sources named in the request', async () => {
    const a = await server((_req, res) => json(res, 200, { items: [chanTaiMan('a-1')] }));
    const b = await server((_req, res) => json(res, 200, { items: [chanTaiMan('b-1')] }));
    hub = await testHub([peopleSource('a', a.url), peopleSource('b', b.url)]);
    const body = await search({ ...byHkid, sources: ['b'] });
    expect(body.sources.map((x) => x.id)).toEqual(['b']);
    expect(a.requests).toHaveLength(0);
  });
});
