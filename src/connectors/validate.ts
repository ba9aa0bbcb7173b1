import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { KINDS, type SourceDefinition } from './kinds.ts';

export interface DefinitionError {
  /** JSON pointer into the definition, e.g. /queries/person/by/hkid. */
  path: string;
  message: string;
}

const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
const validators = new Map<string, ValidateFunction>();

function validatorFor(kind: string): ValidateFunction | undefined {
  let v = validators.get(kind);
  if (!v && KINDS[kind]) {
    v = ajv.compile(KINDS[kind].schema);
    validators.set(kind, v);
  }
  return v;
}

/**
 * Checks a definition against its kind's JSON Schema, then what a schema cannot say (SQL templates
 * naming only known parameters). Returns the problems; an empty list means the definition is usable.
 */
export function validateDefinition(def: unknown): DefinitionError[] {
  if (def === null || typeof def !== 'object' || Array.isArray(def)) return [{ path: '', message: 'must be an object' }];
  const kind = (def as { kind?: unknown }).kind;
  if (typeof kind !== 'string') return [{ path: '/kind', message: 'is required (one of: ' + Object.keys(KINDS).join(', ') + ')' }];
  const validate = validatorFor(kind);
  if (!validate) return [{ path: '/kind', message: `unknown kind ${JSON.stringify(kind)} (one of: ${Object.keys(KINDS).join(', ')})` }];
  if (!validate(def)) return (validate.errors ?? []).map(describe);
  const secretProblem = inlineSecret(def as Record<string, unknown>);
  if (secretProblem) return [secretProblem];
  return KINDS[kind]!.check?.(def as SourceDefinition) ?? [];
}

function describe(e: ErrorObject): DefinitionError {
  if (e.keyword === 'additionalProperties') {
    return { path: `${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}`, message: 'is not a known field' };
  }
  if (e.keyword === 'required') {
    return { path: `${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}`, message: 'is required' };
  }
  return { path: e.instancePath, message: e.message ?? 'is invalid' };
}

const SECRET_HEADERS = /^(authorization|proxy-authorization|cookie|x-api-key|api-key)$/i;

/**
 * Definitions are listed to administrators and kept in every version: a credential written into one
 * would leak through both. Credentials go in secret references (`{ env }` / `{ file }`) instead.
 */
function inlineSecret(def: Record<string, unknown>): DefinitionError | undefined {
  const url = (def.connection as { url?: unknown } | undefined)?.url;
  if (typeof url === 'string') {
    try {
      if (new URL(url).password) return { path: '/connection/url', message: 'must not hold a password: use connection.password with { env } or { file }' };
    } catch {
      return { path: '/connection/url', message: 'is not a URL' };
    }
  }
  const headers = def.headers;
  if (headers && typeof headers === 'object') {
    for (const name of Object.keys(headers)) {
      if (SECRET_HEADERS.test(name)) return { path: `/headers/${name}`, message: 'must not hold a credential: use auth with a secret reference' };
    }
  }
  return undefined;
}
