import { afterEach, describe, expect, it } from 'vitest';
import { testHub, type TestHub } from '../support/hub.ts';
import { json, localServer, type LocalServer } from '../support/http-source.ts';
import { chanTaiMan, peopleSource } from '../support/sources.ts';

let hub: TestHub | undefined;
const servers: LocalServer[] = [];
afterEach(async () => {
  await hub?.close();
  hub = undefined;
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(handler: Parameters<typeof localServer>[0]) {
  const s = await localServer(handler);
  servers.push(s);
  return s;
}

async function search(): Promise<{ tookMs: number; sources: { id: string; status: string; reason?: string }[] }> {
  const res = await hub!.inject({ method: 'POST', url: '/v1/search', payload: { query: { text: 'A123456(3)' } } });
  expect(res.statusCode).toBe(200);
  return res.json();
}

async function circuitOf(id: string): Promise<string> {
  const res = await hub!.inject({ method: 'GET', url: '/v1/sources' });
  return (res.json() as { sources: { id: string; circuit: string }[] }).sources.find((s) => s.id === id)!.circuit;
}

describe('per-source resilience', () => {
  it('a flapping source opens its circuit; searches then answer at once with it unavailable; a good probe closes it', async () => {
    let healthy = false;
    const flaky = await server((req, res) => {
      if (healthy) json(res, 200, { items: [chanTaiMan('f-1')] });
      else setTimeout(() => res.destroy(), 5); // drops the connection: no answer at all
    });
    const fine = await server((_req, res) => json(res, 200, { items: [chanTaiMan('ok-1')] }));
    hub = await testHub([
      peopleSource('flaky', flaky.url, {
        timeoutMs: 300,
        resilience: { breaker: { threshold: 0.5, windowMs: 2_000, minimumRps: 1, halfOpenAfterMs: 300 }, retry: { maxRetries: 0 } },
      }),
      peopleSource('fine', fine.url),
    ]);
    for (let i = 0; i < 4 && (await circuitOf('flaky')) !== 'open'; i++) await search();
    expect(await circuitOf('flaky')).toBe('open');

    const requestsBefore = flaky.requests.length;
    const open = await search();
    const flakyStatus = open.sources.find((s) => s.id === 'flaky')!;
    expect(flakyStatus.status).toBe('unavailable');
    expect(flakyStatus.reason).toMatch(/circuit open/);
    expect(open.sources.find((s) => s.id === 'fine')!.status).toBe('ok');
    expect(flaky.requests.length).toBe(requestsBefore); // refused without asking the source

    healthy = true;
    await new Promise((r) => setTimeout(r, 350));
    const probe = await search();
    expect(probe.sources.find((s) => s.id === 'flaky')!.status).toBe('ok');
    expect(await circuitOf('flaky')).toBe('closed');
  });

  it('retries a 503 once, waiting what the source’s Retry-After asks, within the deadline', async () => {
    let calls = 0;
    const busy = await server((_req, res) => {
      calls++;
      if (calls === 1) {
        res.writeHead(503, { 'retry-after': '0' });
        res.end();
      } else json(res, 200, { items: [chanTaiMan('b-1')] });
    });
    hub = await testHub([peopleSource('busy', busy.url, { resilience: { retry: { maxRetries: 1, initialDelayMs: 5_000 } } })]);
    const a = await search();
    expect(a.sources[0]!.status).toBe('ok');
    expect(calls).toBe(2);
    // Retry-After: 0 was honoured instead of the 5-second backoff.
    expect(a.tookMs).toBeLessThan(2_000);
  });

  it('does not retry an answer that will not change (HTTP 500), nor past the deadline', async () => {
    const broken = await server((_req, res) => json(res, 500, {}));
    const slowRetry = await server((_req, res) => {
      res.writeHead(503, { 'retry-after': '30' });
      res.end();
    });
    hub = await testHub([
      peopleSource('broken', broken.url, { resilience: { retry: { maxRetries: 2 } } }),
      peopleSource('later', slowRetry.url, { timeoutMs: 300, resilience: { retry: { maxRetries: 2, maxDelayMs: 60_000 } } }),
    ]);
    const a = await search();
    expect(a.sources.find((s) => s.id === 'broken')!.status).toBe('error');
    expect(broken.requests).toHaveLength(1);
    expect(a.sources.find((s) => s.id === 'later')!.status).toBe('timeout');
    expect(slowRetry.requests).toHaveLength(1);
  });

  it('refuses at once, as unavailable, what does not fit in a source’s bulkhead', async () => {
    const slow = await server((_req, res) => json(res, 200, { items: [] }, 300));
    hub = await testHub([peopleSource('slow', slow.url, { concurrency: 1, resilience: { queue: 0, retry: { maxRetries: 0 } } })]);
    const answers = await Promise.all([search(), search(), search()]);
    const statuses = answers.map((a) => a.sources[0]!.status).sort();
    expect(statuses).toEqual(['ok', 'unavailable', 'unavailable']);
    expect(answers.flatMap((a) => a.sources).find((s) => s.status === 'unavailable')!.reason).toMatch(/too many requests/);
  });
});

describe('a source broken at start-up', () => {
  it('never stops the hub: it is registered, reported unavailable, and joins once it can be built', async () => {
    delete process.env.CIRMS_TEST_LATE_TOKEN;
    const s = await server((_req, res) => json(res, 200, { items: [chanTaiMan('l-1')] }));
    hub = await testHub([peopleSource('late', s.url, { auth: { type: 'bearer', token: { env: 'CIRMS_TEST_LATE_TOKEN' } } })]);
    const before = await search();
    expect(before.sources[0]).toMatchObject({ id: 'late', status: 'unavailable' });
    expect(before.sources[0]!.reason).toMatch(/CIRMS_TEST_LATE_TOKEN/);

    process.env.CIRMS_TEST_LATE_TOKEN = 'now-mounted';
    await hub.registry.startHealthChecks(60_000);
    expect((await search()).sources[0]!.status).toBe('ok');
    delete process.env.CIRMS_TEST_LATE_TOKEN;
  });
});
