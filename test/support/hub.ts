import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import type { HubConfig } from '../../src/config.ts';
import type { SourceDefinition } from '../../src/connectors/kinds.ts';
import { createHub, type Hub } from '../../src/hub.ts';
import { testIdentity, type TestUser } from './identity.ts';

export interface TestHub extends Hub {
  /** A signed access token for `user` (default: every role, highest clearance). */
  token(user?: TestUser): Promise<string>;
  /**
   * app.inject as a signed-in user. A search without a purpose gets one, since most tests are not
   * about purposes; tests of sign-on itself use app.inject directly.
   */
  inject(opts: InjectOptions, user?: TestUser): Promise<LightMyRequestResponse>;
}

/** A hub on an in-memory store with the given sources, trusting a test identity provider; not listening. */
export async function testHub(
  sources: SourceDefinition[],
  overrides: Partial<HubConfig['search']> = {},
  extra: Partial<Pick<HubConfig, 'registryRefreshMs' | 'network'>> = {},
): Promise<TestHub> {
  const identity = await testIdentity();
  const config: HubConfig = {
    file: 'test',
    server: { host: '127.0.0.1', port: 0, bodyLimit: 16 * 1024, logLevel: 'silent', workers: 1 },
    store: { url: 'memory:' },
    search: {
      defaultTimeoutMs: 3_000,
      maxTimeoutMs: 10_000,
      defaultLimit: 50,
      maxExpansion: 20,
      cache: { max: 0, ttlMs: 0 },
      ...overrides,
    },
    healthCheckIntervalMs: 60_000,
    registryRefreshMs: 60_000,
    auth: identity.auth,
    sources,
    ...extra,
  };
  const hub = await createHub(config, { log: pino({ level: 'silent' }) });
  return {
    ...hub,
    token: identity.token,
    async inject(opts, user) {
      const payload = opts.payload;
      const isSearch = opts.url === '/v1/search' && opts.method === 'POST' && payload && typeof payload === 'object' && !('purpose' in payload);
      return hub.app.inject({
        ...opts,
        ...(isSearch ? { payload: { ...(payload as object), purpose: 'automated test' } } : {}),
        headers: { ...opts.headers, authorization: `Bearer ${await identity.token(user)}` },
      });
    },
    async close() {
      await hub.close();
      await identity.jwks.close();
    },
  };
}
