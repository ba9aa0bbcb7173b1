import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import type { SourceDefinition } from './connectors/kinds.ts';
import { parseAuthConfig, type AuthConfig } from './auth/config.ts';
import type { NetworkSettings } from './connectors/network.ts';
import { validateDefinition } from './connectors/validate.ts';

export interface HubConfig {
  /** The file the configuration came from, for messages and the registry's change log. */
  file: string;
  server: {
    host: string;
    port: number;
    bodyLimit: number;
    logLevel: string;
    /** Hub processes sharing the port (one per core); more than one needs a PostgreSQL store. */
    workers: number;
  };
  store: { url: string };
  search: {
    defaultTimeoutMs: number;
    maxTimeoutMs: number;
    defaultLimit: number;
    maxExpansion: number;
    cache: { max: number; ttlMs: number };
  };
  healthCheckIntervalMs: number;
  /** How often a replica looks for source changes made through another replica. */
  registryRefreshMs: number;
  /** The identity provider the hub trusts (OIDC). Required, except in demo mode, which starts its own. */
  auth?: AuthConfig;
  /** Where HTTP sources may point: host names and networks. Absent: anywhere but link-local/metadata. */
  network?: NetworkSettings;
  /** Present when the hub runs its own demo estate (the embedded default). */
  demo?: { traders: number; seed: number; dataDir: string; rocarsPort: number; idpPort: number };
  sources: SourceDefinition[];
}

/** A configuration the hub refuses to start with; the message names the file and the field. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    server: {
      type: 'object',
      additionalProperties: false,
      properties: {
        host: { type: 'string', minLength: 1 },
        port: { type: 'integer', minimum: 0, maximum: 65535 },
        bodyLimit: { type: 'integer', minimum: 1024 },
        logLevel: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
        workers: { oneOf: [{ type: 'integer', minimum: 1, maximum: 256 }, { const: 'auto' }] },
      },
    },
    store: {
      type: 'object',
      additionalProperties: false,
      required: ['url'],
      properties: { url: { type: 'string', minLength: 1 } },
    },
    search: {
      type: 'object',
      additionalProperties: false,
      properties: {
        defaultTimeoutMs: { type: 'integer', minimum: 10 },
        maxTimeoutMs: { type: 'integer', minimum: 10 },
        defaultLimit: { type: 'integer', minimum: 1, maximum: 500 },
        maxExpansion: { type: 'integer', minimum: 0, maximum: 200 },
        cache: {
          type: 'object',
          additionalProperties: false,
          properties: { max: { type: 'integer', minimum: 0 }, ttlMs: { type: 'integer', minimum: 0 } },
        },
      },
    },
    healthCheckIntervalMs: { type: 'integer', minimum: 1000 },
    registryRefreshMs: { type: 'integer', minimum: 500 },
    // Checked in full by parseAuthConfig, which names the field.
    auth: { type: 'object' },
    network: {
      type: 'object',
      additionalProperties: false,
      properties: { allow: { type: 'array', items: { type: 'string', minLength: 1 } } },
    },
    demo: {
      type: 'object',
      additionalProperties: false,
      properties: {
        traders: { type: 'integer', minimum: 10 },
        seed: { type: 'integer' },
        dataDir: { type: 'string' },
        rocarsPort: { type: 'integer', minimum: 0, maximum: 65535 },
        idpPort: { type: 'integer', minimum: 0, maximum: 65535 },
      },
    },
    sources: { type: 'array', items: { type: 'object' } },
    sourcesFile: { type: 'string' },
  },
} as const;

const validate = new Ajv({ allErrors: false, strict: true }).compile(schema);

interface RawConfig {
  server?: Partial<Omit<HubConfig['server'], 'workers'>> & { workers?: number | 'auto' };
  store?: HubConfig['store'];
  search?: Partial<Omit<HubConfig['search'], 'cache'>> & { cache?: Partial<HubConfig['search']['cache']> };
  healthCheckIntervalMs?: number;
  registryRefreshMs?: number;
  auth?: unknown;
  network?: NetworkSettings;
  demo?: Partial<NonNullable<HubConfig['demo']>>;
  sources?: unknown[];
  sourcesFile?: string;
}

/**
 * Reads the hub's YAML configuration. `${NAME}` in any string is replaced from the environment;
 * strings in source definitions may also use what `sourceVars` returns once the rest of the
 * configuration is known (the demo estate publishes its addresses that way). Environment variables
 * HOST, PORT, STORE_URL, LOG_LEVEL and WORKERS override the file.
 */
export async function loadConfig(
  file: string,
  opts: {
    env?: Record<string, string | undefined>;
    sourceVars?: (config: HubConfig) => Promise<Record<string, string>>;
    /** Leave the sources out (operator commands that only need the store). */
    withoutSources?: boolean;
  } = {},
): Promise<HubConfig> {
  const env = opts.env ?? process.env;
  const path = resolve(file);
  const { sources: rawSources, ...rest } = (readYaml(path) ?? {}) as RawConfig;
  const raw = interpolate(rest, env, path) as RawConfig;
  if (rawSources !== undefined) raw.sources = rawSources;
  if (!validate(raw)) {
    const e = validate.errors![0]!;
    const where = e.keyword === 'additionalProperties' ? `${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}` : e.instancePath;
    throw new ConfigError(`${path}: ${where || '/'} ${e.keyword === 'additionalProperties' ? 'is not a known setting' : e.message}`);
  }

  const port = env.PORT !== undefined ? Number(env.PORT) : raw.server?.port;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new ConfigError(`PORT: ${env.PORT} is not a port number`);
  const config: HubConfig = {
    file: path,
    server: {
      host: env.HOST ?? raw.server?.host ?? '127.0.0.1',
      port: port ?? 8080,
      bodyLimit: raw.server?.bodyLimit ?? 64 * 1024,
      logLevel: env.LOG_LEVEL ?? raw.server?.logLevel ?? 'info',
      workers: workersOf(env.WORKERS ?? raw.server?.workers),
    },
    store: { url: env.STORE_URL ?? raw.store?.url ?? 'pglite:./data/store' },
    search: {
      defaultTimeoutMs: raw.search?.defaultTimeoutMs ?? 3_000,
      maxTimeoutMs: raw.search?.maxTimeoutMs ?? 10_000,
      defaultLimit: raw.search?.defaultLimit ?? 50,
      maxExpansion: raw.search?.maxExpansion ?? 20,
      cache: { max: raw.search?.cache?.max ?? 10_000, ttlMs: raw.search?.cache?.ttlMs ?? 30_000 },
    },
    healthCheckIntervalMs: raw.healthCheckIntervalMs ?? 30_000,
    registryRefreshMs: raw.registryRefreshMs ?? 5_000,
    sources: [],
  };
  if (raw.auth !== undefined) config.auth = parseAuthConfig(raw.auth, path);
  if (raw.network !== undefined) config.network = raw.network;
  if (raw.demo) {
    config.demo = {
      traders: raw.demo.traders ?? 3_000,
      seed: raw.demo.seed ?? 2016,
      dataDir: resolve(dirname(path), raw.demo.dataDir ?? '../data/demo'),
      rocarsPort: raw.demo.rocarsPort ?? 0,
      idpPort: raw.demo.idpPort ?? 9090,
    };
  }

  if (config.server.workers > 1) {
    // Every process opens the store itself: an embedded PGlite database belongs to one process, and the
    // demo estate (with its identity provider) runs inside the one that starts it.
    if (!/^postgres(ql)?:\/\//.test(config.store.url)) {
      throw new ConfigError(`${path}: /server/workers ${config.server.workers} needs a PostgreSQL store (store.url postgres://…); ${config.store.url} belongs to one process`);
    }
    if (config.demo) throw new ConfigError(`${path}: /server/workers must be 1 in demo mode (the demo estate runs inside the hub's process)`);
  }

  if (opts.withoutSources) return config;
  const vars = { ...env, ...(opts.sourceVars ? await opts.sourceVars(config) : {}) };
  let sourcesFile = path;
  let sources = (interpolate(raw.sources ?? [], vars, path) as unknown[]);
  if (raw.sourcesFile !== undefined) {
    sourcesFile = resolve(dirname(path), raw.sourcesFile);
    const list = interpolate(readYaml(sourcesFile), vars, sourcesFile);
    if (!Array.isArray(list)) throw new ConfigError(`${sourcesFile}: must be a list of source definitions`);
    sources = sources.concat(list);
  }
  const seen = new Set<string>();
  sources.forEach((def, i) => {
    const id = (def as { id?: unknown } | null)?.id;
    const label = typeof id === 'string' ? `source ${JSON.stringify(id)}` : `source #${i + 1}`;
    const errors = validateDefinition(def);
    if (errors.length > 0) {
      const e = errors[0]!;
      throw new ConfigError(`${sourcesFile}: ${label}: field ${e.path || '/'} ${e.message}`);
    }
    if (seen.has(id as string)) throw new ConfigError(`${sourcesFile}: ${label}: id is used twice`);
    seen.add(id as string);
  });
  config.sources = sources as SourceDefinition[];
  return config;
}

/** `auto`: one per core the process may use. */
function workersOf(v: number | string | undefined): number {
  if (v === undefined) return 1;
  if (v === 'auto') return availableParallelism();
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new ConfigError(`WORKERS: ${v} is not a number of processes (1–256) or auto`);
  return n;
}

function readYaml(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new ConfigError(`${path}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  return doc;
}

function interpolate(v: unknown, vars: Record<string, string | undefined>, path: string): unknown {
  if (typeof v === 'string') {
    return v.replace(/\$\{([A-Z_][A-Z0-9_]*)\}/g, (_m, name: string) => {
      const val = vars[name];
      if (val === undefined) throw new ConfigError(`${path}: \${${name}} is used but not set`);
      return val;
    });
  }
  if (Array.isArray(v)) return v.map((x) => interpolate(x, vars, path));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, interpolate(x, vars, path)]));
  return v;
}
