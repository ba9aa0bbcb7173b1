import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testHub, type TestHub } from '../support/hub.ts';
import { json, localServer, type LocalServer } from '../support/http-source.ts';
import { intelSource } from '../support/sources.ts';

// A source that delivers one secret report twice in one answer (two of its rows join the same
// report), beside an open one: an officer without clearance sees one record, and the audit entry
// says one record was withheld — not two.
const OPEN = { id: 'r1', name: 'WONG Siu Ming', hkid: 'B111111(1)', level: 0 };
const SECRET = { id: 'r9', name: 'WONG Siu Ming', hkid: 'B111111(1)', level: 3 };

let hub: TestHub;
let source: LocalServer;
const LOW = { sub: 'low', roles: ['officer'], clearance: 'Unrestricted' };

beforeAll(async () => {
  source = await localServer((_req, res) => json(res, 200, { items: [OPEN, SECRET, SECRET] }));
  hub = await testHub([
    intelSource(
      source.url,
      { hkid: { path: '/p', query: { hkid: '{{value}}' } } },
      { key: '{{id}}', names: [{ field: 'name' }], identifiers: [{ scheme: 'hkid', field: 'hkid' }], level: { field: 'level' } },
    ),
  ]);
});
afterAll(async () => {
  await hub.close();
  await source.close();
});

describe('the withheld count in a search’s audit entry', () => {
  it('counts each withheld record once, however often it was delivered', async () => {
    const res = await hub.inject({ method: 'POST', url: '/v1/search', payload: { query: { identifiers: [{ scheme: 'hkid', value: 'B111111(1)' }] } } }, LOW);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).not.toContain('r9');
    const { rows } = await hub.db.query<{ entry: string }>(`SELECT entry FROM audit_log WHERE kind = 'search' AND actor = 'low' ORDER BY seq DESC LIMIT 1`);
    expect(JSON.parse(rows[0]!.entry)).toMatchObject({ records: ['intel:r1'], withheld: 1 });
  });
});
