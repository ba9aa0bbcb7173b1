import { pino } from 'pino';
import type { HubConfig } from '../../src/config.ts';
import type { SourceDefinition } from '../../src/connectors/kinds.ts';
import { createHub, type Hub } from '../../src/hub.ts';

/** A hub on an in-memory store with the given sources, not listening: tests use app.inject. */
export async function testHub(
  sources: SourceDefinition[],
  overrides: Partial<HubConfig['search']> = {},
  extra: Partial<Pick<HubConfig, 'admin' | 'registryRefreshMs'>> = {},
): Promise<Hub> {
  const config: HubConfig = {
    file: 'test',
    server: { host: '127.0.0.1', port: 0, bodyLimit: 16 * 1024, logLevel: 'silent' },
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
    sources,
    ...extra,
  };
  return createHub(config, { log: pino({ level: 'silent' }) });
}
