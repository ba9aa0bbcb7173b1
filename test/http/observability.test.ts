import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traceIdOf } from '../../src/http/trace.ts';
import { testHub, type TestHub } from '../support/hub.ts';
import { json, localServer, type LocalServer } from '../support/http-source.ts';
import { chanTaiMan, peopleSource } from '../support/sources.ts';

let hub: TestHub;
let source: LocalServer;
const traceparents: string[] = [];

beforeAll(async () => {
  source = await localServer((req, res) => {
    if (req.headers.traceparent) traceparents.push(String(req.headers.traceparent));
    json(res, 200, { items: [chanTaiMan('p-1')] });
  });
  hub = await testHub([peopleSource('people', source.url)], { cache: { max: 10, ttlMs: 60_000 } });
});
afterAll(async () => {
  await hub.close();
  await source.close();
});

describe('observability', () => {
  it('passes the caller’s W3C trace id on to HTTP sources, with a fresh span id', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await hub.inject({
      method: 'POST',
      url: '/v1/search',
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      payload: { query: { text: 'A123456(3)' } },
    });
    expect(traceparents).toHaveLength(1);
    expect(traceparents[0]).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(traceparents[0]).not.toContain('00f067aa0ba902b7');
  });

  it('starts a new trace when the caller sent none or an invalid one', () => {
    expect(traceIdOf(undefined)).toMatch(/^[0-9a-f]{32}$/);
    expect(traceIdOf('00-00000000000000000000000000000000-00f067aa0ba902b7-01')).not.toBe('0'.repeat(32));
    expect(traceIdOf('garbage')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('exposes Prometheus metrics: per-source latency by outcome, circuits, searches, cache hits', async () => {
    await hub.inject({ method: 'POST', url: '/v1/search', payload: { query: { text: 'A123456(3)' } } });
    const res = await hub.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.body;
    expect(text).toMatch(/cirms_source_request_duration_seconds_count\{source="people",status="ok"\} 2/);
    expect(text).toMatch(/cirms_source_circuit_state\{source="people"\} 0/);
    expect(text).toMatch(/cirms_search_duration_seconds_count\{partial="false"\} 2/);
    expect(text).toMatch(/cirms_answer_cache_lookups_total\{result="hit"\} 1/);
    expect(text).toMatch(/cirms_answer_cache_lookups_total\{result="miss"\} 1/);
    expect(text).toMatch(/cirms_searches_in_flight 0/);
    expect(text).toMatch(/cirms_process_cpu_seconds_total/);
  });
});
