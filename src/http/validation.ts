import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

/**
 * Request validation from the contract's schemas, with one difference by where a value comes from:
 * JSON bodies are typed, so nothing is coerced ("limit": "5" is refused, not guessed at) and unknown
 * fields are errors rather than silently dropped; query strings and path parameters are text by nature,
 * so "limit=5" is read as the integer the schema asks for.
 */
export function installValidation(app: FastifyInstance, shared: Record<string, unknown>[]): void {
  const make = (coerce: boolean) => {
    const ajv = new Ajv({ coerceTypes: coerce, removeAdditional: false, useDefaults: false, allErrors: false, strict: false });
    addFormats.default(ajv);
    for (const schema of shared) ajv.addSchema(schema);
    return ajv;
  };
  const body = make(false);
  const text = make(true);
  app.setValidatorCompiler(({ schema, httpPart }): ValidateFunction => (httpPart === 'body' ? body : text).compile(schema));
}
