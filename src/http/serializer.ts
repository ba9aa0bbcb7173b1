import { SerializerSelector, type SerializerFactory } from '@fastify/fast-json-stringify-compiler';

/**
 * Fastify's own response serialiser (fast-json-stringify, compiled from the contract's schemas), made to
 * hand back a Buffer. fast-json-stringify builds its output by concatenation, so a search answer is a
 * rope of tens of thousands of pieces; Fastify then walks it twice — once to measure it for
 * Content-Length, once to encode it onto the socket — and each walk flattens the rope afresh. Encoding
 * it here, once, leaves Fastify a Buffer it measures and writes for free. What is written, and what the
 * schemas allow through, do not change.
 */
export function bufferSerializerFactory(): SerializerFactory {
  const build = SerializerSelector();
  return (externalSchemas, options) => {
    const compile = build(externalSchemas, options);
    return (route) => {
      const serialize = compile(route);
      // Typed as returning a string, but Fastify sends a Buffer payload as it is.
      return ((doc: unknown) => Buffer.from(serialize(doc))) as unknown as (doc: unknown) => string;
    };
  };
}
