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
  route(operationId: string): { body?: unknown; response: Record<string, unknown> };
}

const REF = '#/components/schemas/';

export function loadContract(): Contract {
  const document = parse(readFileSync(new URL('../../openapi/cirms-hub.yaml', import.meta.url), 'utf8')) as OpenApi & Record<string, unknown>;
  return {
    document,
    route(operationId) {
      const op = findOperation(document, operationId);
      const out: { body?: unknown; response: Record<string, unknown> } = { response: {} };
      const body = op.requestBody?.content?.['application/json']?.schema;
      if (body) out.body = rewriteRefs(body);
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

export function registerSchemas(app: FastifyInstance, contract: Contract): void {
  const schemas = (contract.document as OpenApi).components?.schemas ?? {};
  for (const [name, schema] of Object.entries(schemas)) {
    app.addSchema({ $id: name, ...(rewriteRefs(schema) as object) });
  }
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

interface OpenApi {
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown>; responses?: Record<string, Response> };
}
interface Operation {
  operationId?: string;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, Response | { $ref: string }>;
}
interface Response {
  content?: Record<string, { schema?: unknown }>;
}

function findOperation(doc: OpenApi, operationId: string): Operation {
  for (const item of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(item)) if (op.operationId === operationId) return op;
  }
  throw new Error(`operation ${operationId} is not in the OpenAPI document`);
}

function resolveResponse(doc: OpenApi, ref: string): Response {
  const name = ref.replace('#/components/responses/', '');
  const res = doc.components?.responses?.[name];
  if (!res) throw new Error(`unresolved response ${ref}`);
  return res;
}
