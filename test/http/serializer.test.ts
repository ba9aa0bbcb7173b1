import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferSerializerFactory } from '../../src/http/serializer.ts';

describe('response serialiser', () => {
  const app = Fastify({ schemaController: { compilersFactory: { buildSerializer: bufferSerializerFactory() } } });
  let url = '';
  beforeAll(async () => {
    app.addSchema({ $id: 'Item', type: 'object', properties: { name: { type: 'string' }, n: { type: 'integer' } }, required: ['name'] });
    app.get('/items', { schema: { response: { 200: { type: 'object', properties: { items: { type: 'array', items: { $ref: 'Item#' } } } } } } }, async () => ({
      items: Array.from({ length: 2_000 }, (_, i) => ({ name: `陳大文 ${i}`, n: i, secret: 'never sent' })),
      internal: 'never sent',
    }));
    url = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => app.close());

  it('writes exactly what the schema lists, with a Content-Length true in bytes (not characters)', async () => {
    const res = await fetch(`${url}/items`);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    const body = JSON.parse(bytes.toString('utf8')) as { items: Record<string, unknown>[] };
    expect(Object.keys(body)).toEqual(['items']);
    expect(body.items).toHaveLength(2_000);
    expect(body.items[1]).toEqual({ name: '陳大文 1', n: 1 });
  });
});
