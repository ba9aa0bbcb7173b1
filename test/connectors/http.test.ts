import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpConnector } from '../../src/connectors/http.ts';
import { NetworkPolicy } from '../../src/connectors/network.ts';
import { identifierParams } from '../../src/federation/plan.ts';
import { deadline } from '../../src/lib/abort.ts';
import { testHub, type TestHub } from '../support/hub.ts';
import { json, localServer, type LocalServer } from '../support/http-source.ts';
import { chanTaiMan, peopleSource } from '../support/sources.ts';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const seen: { url: string; headers: Record<string, unknown> }[] = [];
let source: LocalServer;
let redirecting: LocalServer;

beforeAll(async () => {
  source = await localServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    json(res, 200, { items: [chanTaiMan('p-1')] });
  });
  redirecting = await localServer((_req, res) => {
    res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
    res.end();
  });
});
afterAll(async () => {
  await source.close();
  await redirecting.close();
});

async function searchWith(connector: HttpConnector, userId?: string) {
  const d = deadline(2_000);
  try {
    return await connector.search(
      { type: 'person', by: 'hkid', params: identifierParams('hkid', 'A123456(3)', 5) },
      { signal: d.signal, searchId: 's', log: silent, ...(userId ? { userId } : {}) },
    );
  } finally {
    d.clear();
  }
}

describe('http connector', () => {
  it('signs in with basic auth from a secret reference and forwards the officer’s identity when told to', async () => {
    process.env.CIRMS_TEST_BASIC = 'pa55';
    const c = new HttpConnector(
      peopleSource('s', source.url, { auth: { type: 'basic', username: 'hub', password: { env: 'CIRMS_TEST_BASIC' } }, forwardIdentity: { header: 'X-Officer' } }),
      new NetworkPolicy(),
    );
    expect(await searchWith(c, 'investigator')).toHaveLength(1);
    const last = seen.at(-1)!;
    expect(last.headers.authorization).toBe(`Basic ${Buffer.from('hub:pa55').toString('base64')}`);
    expect(last.headers['x-officer']).toBe('investigator');
    await c.close();
  });

  it('does not follow redirects: a 3xx is the source’s error, never a hop elsewhere', async () => {
    const c = new HttpConnector(peopleSource('r', redirecting.url), new NetworkPolicy());
    await expect(searchWith(c)).rejects.toThrow('HTTP 302');
    await c.close();
  });
});

describe('SSRF guard', () => {
  it('always refuses link-local and metadata addresses', () => {
    const open = new NetworkPolicy();
    expect(open.refuseUrl('http://169.254.169.254')).toMatch(/link-local or a metadata/);
    expect(open.refuseUrl('http://[fe80::1]:8080')).toMatch(/link-local/);
    expect(open.refuseUrl('http://100.100.100.200')).toMatch(/metadata/);
    expect(open.refuseUrl('http://127.0.0.1:8080')).toBeUndefined();
    expect(() => new HttpConnector(peopleSource('m', 'http://169.254.169.254'), open)).toThrow(/baseUrl refused/);
  });

  it('with an allow-list, refuses hosts and networks not on it', () => {
    const policy = new NetworkPolicy({ allow: ['rocars.internal', '*.customs.internal', '10.20.0.0/16'] });
    expect(policy.refuseUrl('https://rocars.internal:8443')).toBeUndefined();
    expect(policy.refuseUrl('https://itd.customs.internal')).toBeUndefined();
    expect(policy.refuseUrl('http://10.20.3.4')).toBeUndefined();
    expect(policy.refuseUrl('http://10.21.3.4')).toMatch(/not in network.allow/);
    expect(policy.refuseUrl('https://evil.example')).toMatch(/not in network.allow/);
  });

  it('checks what a host name resolves to at connection time', async () => {
    // "localhost" is allowed by name here, but it resolves to loopback, outside the allowed network
    // — unless the name itself is on the list.
    const byNetwork = new NetworkPolicy({ allow: ['10.0.0.0/8', '*.localhost'] });
    const refused = await new Promise<Error | null>((r) => byNetwork.lookup()('localhost', { all: true }, (e) => r(e)));
    expect(refused?.message).toMatch(/resolves only to addresses sources may not use/);
    const byName = new NetworkPolicy({ allow: ['localhost'] });
    const ok = await new Promise<Error | null>((r) => byName.lookup()('localhost', { all: true }, (e) => r(e)));
    expect(ok).toBeNull();
  });

  describe('through the administration API', () => {
    let hub: TestHub;
    beforeAll(async () => {
      hub = await testHub([], {}, { network: { allow: ['127.0.0.1/32'] } });
    });
    afterAll(() => hub.close());

    it('does not activate a source pointing outside network.allow', async () => {
      const res = await hub.inject({ method: 'POST', url: '/v1/admin/connectors', payload: peopleSource('out', 'http://10.1.2.3:80') });
      expect(res.statusCode).toBe(422);
      expect(res.json().detail).toMatch(/build: baseUrl refused: address 10.1.2.3 is not in network.allow/);
      const ok = await hub.inject({ method: 'POST', url: '/v1/admin/connectors', payload: peopleSource('in', source.url) });
      expect(ok.statusCode, ok.body).toBe(201);
    });
  });
});
