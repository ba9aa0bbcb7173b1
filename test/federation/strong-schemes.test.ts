import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testHub, type TestHub } from '../support/hub.ts';
import { json, localServer, type LocalServer } from '../support/http-source.ts';
import { peopleSource } from '../support/sources.ts';

// Two systems that know a person only by the agency's own reference number, spelled differently in
// each: declared strong by one source, the reference alone makes them one subject.
let hub: TestHub;
let a: LocalServer;
let b: LocalServer;

const mapping = {
  key: '{{id}}',
  names: [{ field: 'name' }],
  identifiers: [{ scheme: 'customs_ref', field: 'ref' }],
};

beforeAll(async () => {
  a = await localServer((_req, res) => json(res, 200, { items: [{ id: 'a1', name: 'LAU Kwok Wing', ref: 'cr-2019-77' }] }));
  b = await localServer((_req, res) => json(res, 200, { items: [{ id: 'b1', name: 'Lau K. W.', ref: 'CR-2019-77' }] }));
  const source = (id: string, url: string, strong: boolean) => ({
    ...peopleSource(id, url),
    ...(strong ? { strongSchemes: { person: ['customs_ref'] } } : {}),
    queries: { person: { by: { customs_ref: { path: '/p', query: { ref: '{{value}}' } } }, items: 'items', mapping } },
  });
  hub = await testHub([source('a', a.url, true), source('b', b.url, false)]);
});
afterAll(async () => {
  await hub.close();
  await a.close();
  await b.close();
});

describe('a scheme a source declares strong', () => {
  it('joins records that share it, whatever their names, and says so', async () => {
    const res = await hub.inject({ method: 'POST', url: '/v1/search', payload: { query: { identifiers: [{ scheme: 'customs_ref', value: 'CR-2019-77' }] } } });
    const { subjects } = res.json() as { subjects: { records: { key: string; linkedBy: { rule: string }[] }[] }[] };
    expect(subjects).toHaveLength(1);
    expect(subjects[0]!.records.map((r) => r.key).sort()).toEqual(['a1', 'b1']);
    expect(subjects[0]!.records.flatMap((r) => r.linkedBy).map((l) => l.rule)).toEqual(['identifier']);
  });

  it('is refused in a definition when it is not a scheme name', async () => {
    const bad = await hub.inject(
      { method: 'POST', url: '/v1/admin/connectors', payload: { ...peopleSource('c', a.url), strongSchemes: { person: ['Not A Scheme'] } } },
      { roles: ['connector-admin'] },
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toMatch(/^\/body\/strongSchemes\/person/);
  });
});
