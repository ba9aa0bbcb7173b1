import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startEstate, type Estate } from '../../src/demo/estate.ts';
import { createHub, type Hub } from '../../src/hub.ts';

// The embedded default end to end: the demo estate (ITD and CIS in PGlite over the wire protocol,
// ROCARS over HTTP), the shipped demo source definitions, and the hub answering the showcase searches.

interface Subject {
  id: string;
  type: string;
  displayName: string;
  identifiers: { scheme: string; value: string; valid: boolean; sources: string[] }[];
  names: { value: string; sources: string[] }[];
  records: { source: string; key: string; linkedBy: { rule: string; evidence: { detail: string }[] }[] }[];
  links: { type: string; subject?: string }[];
}
interface Answer {
  partial: boolean;
  sources: { id: string; status: string; records: number }[];
  subjects: Subject[];
}

const dir = mkdtempSync(join(tmpdir(), 'cirms-estate-'));
let estate: Estate | undefined;
let hub: Hub;
const log = pino({ level: 'silent' });

beforeAll(async () => {
  const config = await loadConfig('config/hub.yaml', {
    env: { STORE_URL: 'memory:' },
    sourceVars: async () => {
      estate = await startEstate({ traders: 150, seed: 2016, dataDir: dir, rocarsPort: 0 }, log);
      return estate.vars;
    },
  });
  hub = await createHub(config, { log });
});
afterAll(async () => {
  await hub?.close();
  await estate?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function search(body: object): Promise<Answer> {
  const res = await hub.app.inject({ method: 'POST', url: '/v1/search', payload: body });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Answer;
}

function showcasePerson(a: Answer): Subject {
  const s = a.subjects.find((x) => x.type === 'person' && x.identifiers.some((i) => i.scheme === 'hkid' && i.value === 'A1234563'));
  expect(s, 'CHAN Tai Man (A123456(3)) is in the answer').toBeDefined();
  return s!;
}

describe('the showcase: CHAN Tai Man across ITD, CIS and ROCARS', () => {
  it('a search by name brings him back as one subject holding his records from all three sources', async () => {
    const a = await search({ query: { name: 'Chan Tai-man' } });
    expect(a.partial).toBe(false);
    expect(a.sources.map((s) => [s.id, s.status])).toEqual([
      ['cis', 'ok'],
      ['itd', 'ok'],
      ['rocars', 'ok'],
    ]);
    const chan = showcasePerson(a);
    expect(chan.displayName).toBe('CHAN Tai Man');
    expect(new Set(chan.records.map((r) => r.source))).toEqual(new Set(['itd', 'cis', 'rocars']));
    expect(chan.identifiers.find((i) => i.scheme === 'hkid')!.sources.sort()).toEqual(['cis', 'itd', 'rocars']);
    expect(chan.names.map((n) => n.value)).toContain('陳大文');
    // Every record after the first says why it was linked.
    for (const r of chan.records.slice(1)) expect(r.linkedBy.length).toBeGreaterThan(0);
    expect(chan.records.flatMap((r) => r.linkedBy).some((l) => l.evidence.some((e) => /HKID A1234563/.test(e.detail)))).toBe(true);

    // The other CHAN Tai Man (another valid HKID) is a different subject.
    const namesakes = a.subjects.filter((s) => s.type === 'person' && s.displayName === 'CHAN Tai Man');
    expect(namesakes.length).toBeGreaterThanOrEqual(2);
    expect(new Set(namesakes.map((s) => s.id)).size).toBe(namesakes.length);

    // His company and his vehicle are subjects of their own, linked to him.
    const company = a.subjects.find((s) => s.type === 'company' && s.identifiers.some((i) => i.scheme === 'br' && i.value === '12345678'));
    const vehicle = a.subjects.find((s) => s.type === 'vehicle' && s.identifiers.some((i) => i.value === 'AB1234'));
    expect(company?.displayName).toMatch(/Tai Man Trading/i);
    expect(vehicle).toBeDefined();
    expect(chan.links).toContainEqual(expect.objectContaining({ type: 'director_of', subject: company!.id }));
    expect(chan.links).toContainEqual(expect.objectContaining({ type: 'driver_of', subject: vehicle!.id }));
  });

  it('a search by HKID, in any written form, finds the same subject with the same id', async () => {
    const byName = showcasePerson(await search({ query: { name: 'Chan Tai-man' } }));
    const byHkid = showcasePerson(await search({ query: { identifiers: [{ scheme: 'hkid', value: 'A123456(3)' }] } }));
    const byText = showcasePerson(await search({ query: { text: 'a1234563' } }));
    expect(byHkid.id).toBe(byName.id);
    expect(byText.id).toBe(byName.id);
    expect(new Set(byHkid.records.map((r) => r.source))).toEqual(new Set(['itd', 'cis', 'rocars']));
  });

  it('free text AB1234 is recognised as a vehicle mark and finds the vehicle, linked to its driver', async () => {
    const a = await search({ query: { text: 'AB1234' } });
    const vehicle = a.subjects.find((s) => s.type === 'vehicle' && s.identifiers.some((i) => i.value === 'AB1234'))!;
    expect(vehicle).toBeDefined();
    expect(new Set(vehicle.records.map((r) => r.source))).toContain('rocars');
    const driver = vehicle.links.find((l) => l.type === 'driven_by' && l.subject);
    expect(driver).toBeDefined();
    expect(a.subjects.find((s) => s.id === driver!.subject)!.identifiers.some((i) => i.value === 'A1234563')).toBe(true);
  });

  it('a search by BR number finds the company with its director', async () => {
    const a = await search({ query: { text: '12345678' }, types: ['company'] });
    const company = a.subjects.find((s) => s.type === 'company' && s.identifiers.some((i) => i.value === '12345678'))!;
    expect(company.displayName).toMatch(/Tai Man Trading/i);
    expect(company.links.some((l) => l.type === 'has_director' && l.subject)).toBe(true);
  });

  it('lists the three demo sources as up', async () => {
    await hub.registry.startHealthChecks(60_000);
    const res = await hub.app.inject({ method: 'GET', url: '/v1/sources' });
    const { sources } = res.json() as { sources: { id: string; health: { status: string } }[] };
    expect(sources.map((s) => [s.id, s.health.status])).toEqual([
      ['cis', 'up'],
      ['itd', 'up'],
      ['rocars', 'up'],
    ]);
  });
});
