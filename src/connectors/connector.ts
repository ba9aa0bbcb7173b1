import type { Log } from '../lib/log.ts';
import type { BoundQuery } from '../model/query.ts';
import type { SourceRecord, SubjectType } from '../model/record.ts';
import { resilienceSchema, type ResilienceSettings } from '../federation/resilience.ts';
import type { FieldMapping } from './mapping.ts';

/** What a source can answer: for a subject type, by name and/or by which identifier schemes. */
export interface Capability {
  type: SubjectType;
  by: string[];
}

export interface SearchContext {
  /** Aborts when the source's deadline or the whole search's deadline passes; drivers must honour it. */
  signal: AbortSignal;
  searchId: string;
  log: Log;
  /** W3C trace id of the search; HTTP sources receive it in a traceparent header. */
  traceId?: string;
  /** The signed-on officer, for sources that record who asked. */
  userId?: string;
}

/**
 * One registered source. A connector fetches and maps; it never decides access and never merges —
 * those happen once, in the hub, for every source alike.
 */
export interface Connector {
  readonly id: string;
  readonly kind: string;
  readonly capabilities: readonly Capability[];
  search(query: BoundQuery, ctx: SearchContext): Promise<SourceRecord[]>;
  /** Resolves when the source answers a trivial request; rejects with the reason otherwise. */
  health(signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** Fields every kind of source definition shares. */
export interface SourceDefinitionBase {
  id: string;
  kind: string;
  description?: string;
  enabled?: boolean;
  /** This source's own deadline; the search's deadline still caps it. */
  timeoutMs?: number;
  /** Most requests in flight to this source at once, across all searches. */
  concurrency?: number;
  /** Level given to records whose mapping yields none. */
  defaultLevel?: number;
  /**
   * Identifier schemes of this source that identify a subject on their own, per subject type (e.g. a
   * customs reference number for persons): records sharing a valid one are one subject, as with HKIDs.
   */
  strongSchemes?: Partial<Record<SubjectType, string[]>>;
  /** Bulkhead queue, circuit breaker and retry settings; defaults suit most sources. */
  resilience?: {
    queue?: number;
    breaker?: Partial<ResilienceSettings['breaker']>;
    retry?: Partial<ResilienceSettings['retry']>;
  };
}

export interface QuerySpecBase {
  mapping: FieldMapping;
}

/** JSON Schema of the shared fields; each kind's schema extends it. */
export const baseDefinitionProperties = {
  id: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,63}$' },
  kind: { type: 'string' },
  description: { type: 'string', maxLength: 500 },
  enabled: { type: 'boolean' },
  timeoutMs: { type: 'integer', minimum: 10, maximum: 120000 },
  concurrency: { type: 'integer', minimum: 1, maximum: 1024 },
  defaultLevel: { type: 'integer', minimum: 0, maximum: 100 },
  resilience: resilienceSchema,
  strongSchemes: {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(
      ['person', 'company', 'vehicle'].map((t) => [t, { type: 'array', uniqueItems: true, items: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,31}$' } }]),
    ),
  },
} as const;

const pathSchema = { type: 'string', minLength: 1, pattern: '^[A-Za-z_][\\w]*(\\.[A-Za-z_][\\w]*)*$' } as const;
const identifierMapping = {
  type: 'object',
  additionalProperties: false,
  required: ['scheme', 'field'],
  properties: { scheme: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,31}$' }, field: pathSchema },
} as const;

export const mappingSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['key'],
  properties: {
    key: { type: 'string', minLength: 1 },
    names: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['field'],
        properties: { field: pathSchema, script: { enum: ['latin', 'han'] } },
      },
    },
    identifiers: { type: 'array', items: identifierMapping },
    attributes: { type: 'object', additionalProperties: pathSchema },
    links: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'targetType', 'identifiers'],
        properties: {
          each: pathSchema,
          type: { type: 'string', minLength: 1 },
          targetType: { type: 'string', pattern: '^(person|company|vehicle|.*\\{\\{.+\\}\\}.*)$' },
          identifiers: { type: 'array', items: identifierMapping },
          name: pathSchema,
        },
      },
    },
    level: {
      oneOf: [
        { type: 'object', additionalProperties: false, required: ['field'], properties: { field: pathSchema } },
        { type: 'object', additionalProperties: false, required: ['const'], properties: { const: { type: 'integer', minimum: 0 } } },
      ],
    },
    cases: { type: 'object', additionalProperties: false, required: ['field'], properties: { field: pathSchema } },
    observedAt: pathSchema,
    fields: {
      oneOf: [
        { type: 'array', items: pathSchema },
        { type: 'object', additionalProperties: pathSchema },
      ],
    },
  },
} as const;

/** `by` keys: `name` or an identifier scheme. */
export const byKeyPattern = '^(name|[a-z][a-z0-9_]{0,31})$';

/**
 * The `queries` member every kind shares: per subject type, `by` (`name` or an identifier scheme →
 * the kind's own request: SQL text, an HTTP request template…) and the field mapping, plus any fields
 * the kind adds (an HTTP source's `items`).
 */
export function queriesSchema(request: object, extra: Record<string, object> = {}) {
  return {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: Object.fromEntries(
      ['person', 'company', 'vehicle'].map((t) => [
        t,
        {
          type: 'object',
          additionalProperties: false,
          required: ['by', 'mapping'],
          properties: {
            by: { type: 'object', minProperties: 1, propertyNames: { pattern: byKeyPattern }, additionalProperties: request },
            ...extra,
            mapping: mappingSchema,
          },
        },
      ]),
    ),
  } as const;
}
