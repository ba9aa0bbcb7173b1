import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { parse } from 'yaml';

/**
 * The OpenAPI document is the contract: its component schemas are registered with Fastify as shared
 * schemas, so requests are validated and responses serialised by exactly what the document says
 * (serialising through the response schema also means no unlisted field can leak out).
 */
export interface Contract {
  document: Record<string, unknown>;
  /** Request body and response schemas of one operation, with $refs pointing at the shared schemas. */
  route(operationId: string): RouteSchema;
}

const REF = '#/components/schemas/';

export interface RouteSchema {
  body?: unknown;
  params?: unknown;
  querystring?: unknown;
  response: Record<string, unknown>;
}

export function loadContract(): Contract {
  const document = parse(readFileSync(new URL('../../openapi/cirms-hub.yaml', import.meta.url), 'utf8')) as OpenApi & Record<string, unknown>;
  return {
    document,
    route(operationId) {
      const { op, shared } = findOperation(document, operationId);
      const out: RouteSchema = { response: {} };
      const body = op.requestBody?.content?.['application/json']?.schema;
      if (body) out.body = rewriteRefs(body);
      const parameters = [...shared, ...(op.parameters ?? [])];
      for (const [where, key] of [['path', 'params'], ['query', 'querystring']] as const) {
        const list = parameters.filter((p) => p.in === where);
        if (list.length === 0) continue;
        out[key] = {
          type: 'object',
          additionalProperties: false,
          properties: Object.fromEntries(list.map((p) => [p.name, rewriteRefs(p.schema ?? {})])),
          required: list.filter((p) => p.required).map((p) => p.name),
        };
      }
      for (const [status, res] of Object.entries(op.responses ?? {})) {
        const resolved = '$ref' in res ? resolveResponse(document, res.$ref) : res;
        const content = resolved.content ?? {};
        const schema = content['application/json']?.schema ?? content['application/problem+json']?.schema;
        // Problem responses are written by the error handler, which sets its own content type.
        if (schema && content['application/json']) out.response[status] = rewriteRefs(schema);
      }
      return out;
    },
  };
}

/** The contract's component schemas, each under its name as `$id`, for validators and serialisers. */
export function sharedSchemas(contract: Contract): Record<string, unknown>[] {
  const schemas = (contract.document as OpenApi).components?.schemas ?? {};
  return Object.entries(schemas).map(([name, schema]) => ({ $id: name, ...(rewriteRefs(schema) as object) }));
}

export function registerSchemas(app: FastifyInstance, contract: Contract): void {
  for (const schema of sharedSchemas(contract)) app.addSchema(schema);
}

function rewriteRefs(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(rewriteRefs);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      out[k] = k === '$ref' && typeof x === 'string' && x.startsWith(REF) ? `${x.slice(REF.length)}#` : rewriteRefs(x);
    }
    return out;
  }
  return v;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: unknown;
}

interface OpenApi {
  paths?: Record<string, Record<string, Operation> & { parameters?: Parameter[] }>;
  components?: { schemas?: Record<string, unknown>; responses?: Record<string, Response> };
}
interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, Response | { $ref: string }>;
}
interface Response {
  content?: Record<string, { schema?: unknown }>;
}

function findOperation(doc: OpenApi, operationId: string): { op: Operation; shared: Parameter[] } {
  for (const item of Object.values(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item)) {
      if (method !== 'parameters' && (op as Operation).operationId === operationId) return { op: op as Operation, shared: item.parameters ?? [] };
    }
  }
  throw new Error(`operation ${operationId} is not in the OpenAPI document`);
}

function resolveResponse(doc: OpenApi, ref: string): Response {
  const name = ref.replace('#/components/responses/', '');
  const res = doc.components?.responses?.[name];
  if (!res) throw new Error(`unresolved response ${ref}`);
  return res;
}
