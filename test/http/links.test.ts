import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testHub, type TestHub } from '../support/hub.ts';
import { json, localServer, type LocalServer } from '../support/http-source.ts';
import { intelSource } from '../support/sources.ts';

// Two records that name the same man but share nothing else: the engine will not merge them on its own.
const ROWS = [
  { id: 'a1', name: 'CHEUNG Siu Kei', dob: '1980-02-02', phone: null, address: 'Flat 3A, 12 Shek Kip Mei Street, Sham Shui Po' },
  { id: 'a2', name: 'Cheung Siukei', dob: null, phone: '91234567', address: null },
];

let hub: TestHub;
let source: LocalServer;

beforeAll(async () => {
  source = await localServer((_req, res) => json(res, 200, { items: ROWS }));
  hub = await testHub([
    intelSource(
      source.url,
      { name: { path: '/p', query: { name: '{{raw}}' } } },
      { key: '{{id}}', names: [{ field: 'name' }], attributes: { dateOfBirth: 'dob', phone: 'phone', address: 'address' } },
    ),
  ]);
});
afterAll(async () => {
  await hub.close();
  await source.close();
});

interface Answer {
  subjects: { id: string; records: { key: string; linkedBy: { rule: string; explanation: string; evidence?: { field: string; detail: string }[] }[] }[]; possibleMatches?: { subject: string; score: number }[] }[];
}

const LAM = { sub: 'insp-lam', roles: ['investigator'] };

async function search(extra: { explain?: boolean } = {}, user?: { sub: string; roles: string[] }): Promise<Answer> {
  const res = await hub.inject({ method: 'POST', url: '/v1/search', payload: { query: { name: 'Cheung Siu Kei' }, types: ['person'], ...extra } }, user);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Answer;
}

const decide = (decision: 'confirm' | 'reject', user = LAM, pair: [string, string] = ['intel:a2', 'intel:a1']) =>
  hub.inject({ method: 'POST', url: '/v1/links/decisions', payload: { recordA: pair[0], recordB: pair[1], decision, reason: 'same man: interviewed 2026-11-20' } }, user);
const history = async (record: string, user?: { sub: string; roles: string[] }) =>
  ((await hub.inject({ method: 'GET', url: `/v1/links/decisions?record=${record}` }, user)).json() as { decisions: { decision: string; reason: string }[] }).decisions;

describe('officer decisions on links', () => {
  it('keeps two records that share only a name apart, offering them to officers as a possible match', async () => {
    const a = await search();
    expect(a.subjects).toHaveLength(2);
    const [x, y] = a.subjects;
    expect(x!.possibleMatches?.map((m) => m.subject)).toEqual([y!.id]);
    expect(y!.possibleMatches?.map((m) => m.subject)).toEqual([x!.id]);
  });

  it('refuses a decision on records the officer has not been shown, hidden or nonexistent alike', async () => {
    const never = await decide('confirm');
    const missing = await decide('confirm', LAM, ['intel:zz', 'intel:a1']);
    for (const res of [never, missing]) {
      expect(res.statusCode).toBe(422);
      expect(res.json().type).toBe('https://cirms-hub.dev/problems/record-not-shown');
    }
    expect(never.json().errors.map((e: { path: string }) => e.path)).toEqual(['/body/recordA', '/body/recordB']);
    expect(missing.json().errors.map((e: { path: string }) => e.path)).toEqual(['/body/recordA', '/body/recordB']);
    expect(await history('intel:a1')).toEqual([]);
  });

  it('merges them once an officer confirms the link, and says so in the explanation', async () => {
    await search({}, LAM); // the officer is shown both records first
    const res = await decide('confirm');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ a: 'intel:a1', b: 'intel:a2', decision: 'confirm', by: 'insp-lam' });
    const a = await search();
    expect(a.subjects).toHaveLength(1);
    const linked = a.subjects[0]!.records.flatMap((r) => r.linkedBy);
    expect(linked).toHaveLength(1);
    expect(linked[0]!.rule).toBe('decision');
    expect(linked[0]!.explanation).toMatch(/confirmed by an officer \(insp-lam.*\): linked whatever the score 0$/);
    expect(linked[0]!.evidence).toBeUndefined();
    const explained = (await search({ explain: true })).subjects[0]!.records.flatMap((r) => r.linkedBy);
    expect(explained[0]!.evidence!.find((e) => e.field === 'decision')!.detail).toMatch(/confirmed by an officer \(insp-lam/);
  });

  it('separates them again when a later decision rejects the link, keeping the history', async () => {
    expect((await decide('reject')).statusCode).toBe(201);
    const a = await search();
    expect(a.subjects).toHaveLength(2);
    expect(a.subjects.every((s) => !(s.possibleMatches ?? []).length)).toBe(true);
    expect((await history('intel:a1')).map((d) => d.decision)).toEqual(['reject', 'confirm']);
  });

  it('shows the decisions and their reasons only to officers who have been shown the records', async () => {
    const stranger = { sub: 'insp-wu', roles: ['investigator'] };
    expect(await history('intel:a1', stranger)).toEqual([]);
    await search({}, stranger);
    expect((await history('intel:a1', stranger)).map((d) => d.reason)).toEqual(['same man: interviewed 2026-11-20', 'same man: interviewed 2026-11-20']);
  });

  it('counts a record as shown only from the records an answer listed, not from what was searched for', async () => {
    const prober = { sub: 'insp-ho', roles: ['investigator'] };
    // Free text naming the record is in the audit entry's query, not in its records (no source answers
    // companies here, so the answer lists none).
    const probe = await hub.inject({ method: 'POST', url: '/v1/search', payload: { query: { text: 'intel:a1' }, types: ['company'] } }, prober);
    expect(probe.json().subjects).toEqual([]);
    expect(await history('intel:a1', prober)).toEqual([]);
    expect((await decide('confirm', prober)).statusCode).toBe(422);
  });

  it('is for investigators, analysts and supervisors, and audited', async () => {
    expect((await decide('confirm', { sub: 'clerk', roles: ['officer'] })).statusCode).toBe(403);
    const audit = await hub.inject({ method: 'GET', url: '/v1/audit?kind=admin&actor=insp-lam' }, { roles: ['auditor'] });
    const actions = (audit.json() as { entries: { entry: { action: string; target: string } }[] }).entries.map((e) => [e.entry.action, e.entry.target]);
    expect(actions).toEqual([
      ['link-reject', 'intel:a1 ~ intel:a2'],
      ['link-confirm', 'intel:a1 ~ intel:a2'],
    ]);
  });
});
