import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testHub, type TestHub } from '../support/hub.ts';
import { json, localServer, type LocalServer } from '../support/http-source.ts';
import { intelSource } from '../support/sources.ts';

// Two people in an intelligence source: WONG Siu Ming at level 0 (two reports, spelt differently), and
// LEE Ka Yan known only from a level-3 report under a case.
const ROWS = [
  { id: 'r1', name: 'WONG Siu Ming', hkid: 'B111111(1)', level: 0, cases: [] },
  { id: 'r3', name: 'Wong Siu-ming', hkid: 'B1111111', level: 0, cases: [] },
  { id: 'r2', name: 'LEE Ka Yan', hkid: 'C668668(9)', level: 3, cases: ['CASE-9'] },
];

let hub: TestHub;
let source: LocalServer;
const LOW = { sub: 'low', roles: ['officer'], clearance: 'Unrestricted' };

beforeAll(async () => {
  source = await localServer((req, res) => {
    const hkid = new URL(req.url ?? '/', 'http://x').searchParams.get('hkid') ?? '';
    const name = new URL(req.url ?? '/', 'http://x').searchParams.get('name');
    json(res, 200, { items: ROWS.filter((r) => r.hkid.replace(/[()]/g, '') === hkid || (name && r.name === name)) });
  });
  hub = await testHub([
    intelSource(
      source.url,
      { hkid: { path: '/p', query: { hkid: '{{value}}' } }, name: { path: '/p', query: { name: '{{raw}}' } } },
      { key: '{{id}}', names: [{ field: 'name' }], identifiers: [{ scheme: 'hkid', field: 'hkid' }], level: { field: 'level' }, cases: { field: 'cases' } },
    ),
  ]);
  await hub.db.query(`INSERT INTO case_members (case_id, user_id, added_by) VALUES ('CASE-9', 'tester', 'test')`);
});
afterAll(async () => {
  await hub.close();
  await source.close();
});

async function idOf(hkid: string): Promise<string> {
  const res = await hub.inject({ method: 'POST', url: '/v1/search', payload: { query: { identifiers: [{ scheme: 'hkid', value: hkid }] } } });
  return (res.json() as { subjects: { id: string }[] }).subjects[0]!.id;
}

const view = (id: string, user?: object) => hub.inject({ method: 'GET', url: `/v1/subjects/${id}?purpose=CASE-9%20review` }, user);

describe('GET /v1/subjects/{id}', () => {
  it('shows a subject found earlier, asked afresh of the sources', async () => {
    const id = await idOf('B111111(1)');
    const res = await view(id, LOW);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ subject: { id, displayName: 'WONG Siu Ming' }, partial: false });
    // The view is the drill-down: every link has its evidence as items as well as its one line.
    const links = (res.json() as { subject: { records: { linkedBy: { explanation: string; evidence?: unknown[] }[] }[] } }).subject.records.flatMap((r) => r.linkedBy);
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) expect([typeof l.explanation, l.evidence?.length]).toEqual(['string', expect.any(Number)]);
  });

  it('answers a subject the caller may not see exactly like one that does not exist', async () => {
    const secret = await idOf('C668668(9)');
    expect((await view(secret)).statusCode).toBe(200); // the cleared, on-case tester sees it
    const hidden = await view(secret, LOW);
    const missing = await view('sub_AAAAAAAAAAAAAAAAAAAAAA', LOW);
    expect(hidden.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    const strip = (b: string) => ({ ...JSON.parse(b), instance: undefined, detail: undefined });
    expect(strip(hidden.body)).toEqual(strip(missing.body));
    expect(hidden.body).not.toMatch(/LEE|C6686689/);
  });

  it('records every view — found or not — in the audit trail', async () => {
    const res = await hub.inject({ method: 'GET', url: '/v1/audit?kind=subject-view&actor=low' }, { roles: ['auditor'] });
    const entries = (res.json() as { entries: { entry: { subjectId: string; records: string[]; purpose: string } }[] }).entries;
    expect(entries.length).toBeGreaterThanOrEqual(3);
    expect(entries.every((e) => e.entry.purpose === 'CASE-9 review')).toBe(true);
    expect(entries.filter((e) => e.entry.records.length === 0)).toHaveLength(2);
  });

  it('requires a purpose', async () => {
    const id = await idOf('B111111(1)');
    const res = await hub.inject({ method: 'GET', url: `/v1/subjects/${id}` }, LOW);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('/querystring/purpose');
  });
});
