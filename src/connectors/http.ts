import { readFileSync } from 'node:fs';
import { Pool } from 'undici';
import type { BoundQuery } from '../model/query.ts';
import type { SourceRecord, SubjectType } from '../model/record.ts';
import {
  baseDefinitionProperties,
  queriesSchema,
  type Capability,
  type Connector,
  type QuerySpecBase,
  type SearchContext,
  type SourceDefinitionBase,
} from './connector.ts';
import { compilePath, compileMapping, compileTemplate, mapRows, type RowMapper } from './mapping.ts';
import type { NetworkPolicy } from './network.ts';
import { readSecret, secretRefSchema, type SecretRef } from './secret.ts';
import { randomHex } from '../lib/random-hex.ts';

export interface HttpDefinition extends SourceDefinitionBase {
  kind: 'http';
  /** Origin of the source, e.g. https://rocars.internal:8443 (a path prefix goes in each request). */
  baseUrl: string;
  /** Keep-alive connections in the pool. */
  connections?: number;
  headers?: Record<string, string>;
  auth?:
    | { type: 'bearer'; token: SecretRef }
    | { type: 'basic'; username: string; password: SecretRef }
    | { type: 'header'; name: string; value: SecretRef };
  /** Client certificate (mutual TLS) and the CA that signed the source's certificate. */
  tls?: { cert: { file: string }; key: SecretRef; ca?: { file: string } };
  /** Send the signed-on officer's user id to the source in this header (for its own audit). */
  forwardIdentity?: { header: string };
  /** Path answered with 2xx when the source is up; default `/`. */
  healthPath?: string;
  /** Largest response body accepted, in bytes. */
  maxResponseBytes?: number;
  queries: Partial<Record<SubjectType, HttpQuerySpec>>;
}

export interface HttpRequestSpec {
  method?: 'GET' | 'POST';
  /** Path with optional {{param}} templates, e.g. /api/v1/vehicles/{{value}}. */
  path: string;
  /** Query-string parameters; values are templates over the bound query ({{value}}, {{raw}}, {{limit}}). */
  query?: Record<string, string>;
  /** JSON body for POST; string leaves are templates, a leaf that is exactly {{param}} keeps its type. */
  body?: unknown;
}

export interface HttpQuerySpec extends QuerySpecBase {
  by: Record<string, HttpRequestSpec>;
  /** Path to the array of items in the response body; empty when the body is the array. */
  items?: string;
}

const requestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: {
    method: { enum: ['GET', 'POST'] },
    path: { type: 'string', pattern: '^/' },
    query: { type: 'object', additionalProperties: { type: 'string' } },
    body: {},
  },
} as const;

export const httpDefinitionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'kind', 'baseUrl', 'queries'],
  properties: {
    ...baseDefinitionProperties,
    kind: { const: 'http' },
    baseUrl: { type: 'string', pattern: '^https?://[^/?#]+$' },
    connections: { type: 'integer', minimum: 1, maximum: 1024 },
    headers: { type: 'object', additionalProperties: { type: 'string' } },
    auth: {
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['type', 'token'],
          properties: { type: { const: 'bearer' }, token: secretRefSchema },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['type', 'username', 'password'],
          properties: { type: { const: 'basic' }, username: { type: 'string', minLength: 1 }, password: secretRefSchema },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['type', 'name', 'value'],
          properties: { type: { const: 'header' }, name: { type: 'string', minLength: 1 }, value: secretRefSchema },
        },
      ],
    },
    tls: {
      type: 'object',
      additionalProperties: false,
      required: ['cert', 'key'],
      properties: {
        cert: { type: 'object', additionalProperties: false, required: ['file'], properties: { file: { type: 'string', minLength: 1 } } },
        key: secretRefSchema,
        ca: { type: 'object', additionalProperties: false, required: ['file'], properties: { file: { type: 'string', minLength: 1 } } },
      },
    },
    forwardIdentity: {
      type: 'object',
      additionalProperties: false,
      required: ['header'],
      properties: { header: { type: 'string', pattern: '^[A-Za-z0-9-]{1,64}$' } },
    },
    healthPath: { type: 'string', pattern: '^/' },
    maxResponseBytes: { type: 'integer', minimum: 1024 },
    queries: queriesSchema(requestSchema, { items: { type: 'string' } }),
  },
} as const;

interface PreparedRequest {
  method: 'GET' | 'POST';
  path: (params: unknown) => string | undefined;
  query: [string, (params: unknown) => string | undefined][];
  body: ((params: unknown) => unknown) | undefined;
  items: (body: unknown) => unknown;
  map: RowMapper;
}

/**
 * A source answered, but not with what the definition promised: reported as `error`. Overload and
 * gateway answers (429, 502, 503, 504) are marked transient, with the source's Retry-After, so the
 * source's policy may try once more within the deadline.
 */
export class SourceResponseError extends Error {
  override readonly name = 'SourceResponseError';
  readonly transient: boolean;
  readonly retryAfterMs: number | undefined;
  constructor(message: string, status?: number, retryAfter?: string | string[]) {
    super(message);
    this.transient = status !== undefined && TRANSIENT_STATUS.has(status);
    this.retryAfterMs = parseRetryAfter(retryAfter);
  }
}

const TRANSIENT_STATUS = new Set([429, 502, 503, 504]);

/** Retry-After is seconds or an HTTP date (RFC 9110 §10.2.3). */
function parseRetryAfter(v: string | string[] | undefined): number | undefined {
  const text = Array.isArray(v) ? v[0] : v;
  if (!text) return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export class HttpConnector implements Connector {
  readonly id: string;
  readonly kind = 'http';
  readonly capabilities: readonly Capability[];
  readonly #pool: Pool;
  readonly #headers: Record<string, string>;
  readonly #healthPath: string;
  readonly #forwardIdentity: string | undefined;
  readonly #requests = new Map<string, PreparedRequest>();

  constructor(def: HttpDefinition, network: NetworkPolicy) {
    const refused = network.refuseUrl(def.baseUrl);
    if (refused) throw new Error(`baseUrl refused: ${refused}`);
    this.id = def.id;
    const caps: Capability[] = [];
    for (const [type, spec] of Object.entries(def.queries) as [SubjectType, HttpQuerySpec][]) {
      const map = compileMapping(def.id, type, spec.mapping, def.defaultLevel ?? 0);
      const items = spec.items ? compilePath(spec.items) : (b: unknown) => b;
      for (const [by, req] of Object.entries(spec.by)) {
        this.#requests.set(`${type}/${by}`, {
          method: req.method ?? 'GET',
          path: compileTemplate(req.path),
          query: Object.entries(req.query ?? {}).map(([k, v]) => [k, compileTemplate(v)]),
          body: req.body === undefined ? undefined : compileBody(req.body),
          items,
          map,
        });
      }
      caps.push({ type, by: Object.keys(spec.by) });
    }
    this.capabilities = caps;
    this.#headers = { accept: 'application/json', 'user-agent': 'cirms-hub', ...def.headers };
    if (def.auth?.type === 'bearer') this.#headers.authorization = `Bearer ${readSecret(def.auth.token)}`;
    if (def.auth?.type === 'basic') {
      this.#headers.authorization = `Basic ${Buffer.from(`${def.auth.username}:${readSecret(def.auth.password)}`).toString('base64')}`;
    }
    if (def.auth?.type === 'header') this.#headers[def.auth.name.toLowerCase()] = readSecret(def.auth.value);
    this.#healthPath = def.healthPath ?? '/';
    this.#forwardIdentity = def.forwardIdentity?.header.toLowerCase();
    this.#pool = new Pool(def.baseUrl, {
      connections: def.connections ?? 16,
      maxResponseSize: def.maxResponseBytes ?? 16 * 1024 * 1024,
      // Every connection resolves through the network policy, so a host that later resolves to a
      // forbidden address is refused then too. Redirects are never followed (no redirect interceptor):
      // a 3xx is an error, so a source cannot bounce the hub elsewhere.
      connect: {
        lookup: network.lookup(),
        ...(def.tls
          ? {
              cert: readFileSync(def.tls.cert.file),
              key: readSecret(def.tls.key),
              ...(def.tls.ca ? { ca: readFileSync(def.tls.ca.file) } : {}),
            }
          : {}),
      },
    });
  }

  async search(q: BoundQuery, ctx: SearchContext): Promise<SourceRecord[]> {
    const req = this.#requests.get(`${q.type}/${q.by}`);
    if (!req) return [];
    const path = req.path(q.params);
    if (path === undefined) return [];
    const qs = new URLSearchParams();
    for (const [k, get] of req.query) {
      const v = get(q.params);
      if (v !== undefined) qs.set(k, v);
    }
    const search = qs.size > 0 ? `?${qs}` : '';
    const headers: Record<string, string> = req.body === undefined ? { ...this.#headers } : { ...this.#headers, 'content-type': 'application/json' };
    // The source's own spans join the search's trace: same trace id, a new parent span per request.
    if (this.#forwardIdentity && ctx.userId) headers[this.#forwardIdentity] = ctx.userId;
    if (ctx.traceId) headers.traceparent = `00-${ctx.traceId}-${randomHex(8)}-01`;
    const res = await this.#pool.request({
      method: req.method,
      path: path + search,
      headers,
      body: req.body === undefined ? null : JSON.stringify(req.body(q.params)),
      signal: ctx.signal,
    });
    if (res.statusCode < 200 || res.statusCode > 299) {
      // Read and drop the body so the keep-alive connection returns to the pool.
      await res.body.dump();
      throw new SourceResponseError(`HTTP ${res.statusCode}`, res.statusCode, res.headers['retry-after']);
    }
    let body: unknown;
    try {
      body = await res.body.json();
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      throw new SourceResponseError('response is not valid JSON');
    }
    const items = req.items(body);
    if (!Array.isArray(items)) throw new SourceResponseError('response holds no list of items where the definition says');
    return mapRows(items, req.map);
  }

  async health(signal: AbortSignal): Promise<void> {
    const res = await this.#pool.request({ method: 'GET', path: this.#healthPath, headers: this.#headers, signal });
    await res.body.dump();
    if (res.statusCode < 200 || res.statusCode > 299) throw new SourceResponseError(`HTTP ${res.statusCode}`);
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }
}

const WHOLE = /^\{\{\s*([\w.]+)\s*\}\}$/;

function compileBody(body: unknown): (params: unknown) => unknown {
  if (typeof body === 'string') {
    const whole = WHOLE.exec(body);
    if (whole) return compilePath(whole[1]!);
    return compileTemplate(body);
  }
  if (Array.isArray(body)) {
    const parts = body.map(compileBody);
    return (p) => parts.map((f) => f(p));
  }
  if (body !== null && typeof body === 'object') {
    const parts = Object.entries(body).map(([k, v]) => [k, compileBody(v)] as const);
    return (p) => Object.fromEntries(parts.map(([k, f]) => [k, f(p)]));
  }
  return () => body;
}
