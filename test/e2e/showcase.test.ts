import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startEstate, type Estate } from '../../src/demo/estate.ts';
import { seedDemoCases } from '../../src/auth/dev-idp.ts';
import { readDemo } from '../../src/demo/files.ts';
import { startDemoIdentity } from '../../src/demo/identity.ts';
import { loadDemoRisk } from '../../src/risk/load.ts';
import { createRun, InProcessRunner } from '../../src/risk/runs.ts';
import { createHub, type Hub } from '../../src/hub.ts';

// The embedded default end to end: the demo estate (ITD and CIS in PGlite over the wire protocol,
// ROCARS over HTTP), the shipped demo source definitions, and the hub answering the showcase searches.

interface Subject {
  id: string;
  type: string;
  displayName: string;
  identifiers: { scheme: string; value: string; valid: boolean; sources: string[] }[];
  names: { value: string; sources: string[] }[];
  records: { source: string; key: string; linkedBy: { rule: string; explanation: string; evidence?: { detail: string }[] }[] }[];
  links: { type: string; subject?: string }[];
}
interface Answer {
  partial: boolean;
  sources: { id: string; status: string; records: number }[];
  subjects: Subject[];
}

const dir = mkdtempSync(join(tmpdir(), 'cirms-estate-'));
let estate: Estate | undefined;
let identity: Awaited<ReturnType<typeof startDemoIdentity>> | undefined;
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
  identity = await startDemoIdentity(0);
  config.auth = identity.auth;
  hub = await createHub(config, { log });
  await seedDemoCases(hub.db);
  // As make start does on a first start: the risk engine learns the demo's traders and rates them all.
  expect(await loadDemoRisk(hub.db, await readDemo(dir))).toBe(true);
  const run = await createRun(hub.db, { requestedBy: 'test' });
  await new InProcessRunner(hub.db).execute(run.runId);
});
afterAll(async () => {
  await hub?.close();
  await identity?.idp.close();
  await estate?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Searches as a demo user, with a token from the real (development) identity provider. */
async function searchAs(user: string, body: object): Promise<Answer & { raw: string }> {
  const token = await identity!.idp.token(user);
  const res = await hub.app.inject({ method: 'POST', url: '/v1/search', headers: { authorization: `Bearer ${token}` }, payload: { purpose: 'CASE-2026-0042 showcase', ...body } });
  expect(res.statusCode, res.body).toBe(200);
  return { ...(res.json() as Answer), raw: res.body };
}

const search = (body: object) => searchAs('supervisor', body);

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
    expect(chan.records.flatMap((r) => r.linkedBy).some((l) => /HKID A1234563 equal \+/.test(l.explanation))).toBe(true);
    // The evidence as items only when asked for (a subject view always has them).
    expect(chan.records.flatMap((r) => r.linkedBy).every((l) => l.evidence === undefined)).toBe(true);
    const explained = showcasePerson(await search({ query: { name: 'Chan Tai-man' }, explain: true }));
    expect(explained.records.flatMap((r) => r.linkedBy).some((l) => l.evidence!.some((e) => /HKID A1234563/.test(e.detail)))).toBe(true);

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

  it('a trader comes back with its current risk rating and the reasons the officer may see', async () => {
    const a = await searchAs('officer-lo', { query: { text: '12345678' }, types: ['company'] });
    const company = a.subjects.find((s) => s.identifiers.some((i) => i.value === '12345678')) as Subject & {
      risk?: { level: string; score: number; ruleSetVersion: number; reasons: { code: string }[] };
    };
    expect(company.risk).toBeDefined();
    expect(['low', 'medium', 'high', 'very high']).toContain(company.risk!.level);
    expect(company.risk!.ruleSetVersion).toBe(1);
    expect(a.raw).not.toContain('reasonsWithheld');
    // Persons and vehicles carry no rating.
    expect(a.subjects.filter((s) => s.type !== 'company').every((s) => !('risk' in s))).toBe(true);
  });

  it('lists the three demo sources as up', async () => {
    await hub.registry.startHealthChecks(60_000);
    const token = await identity!.idp.token('officer-lo');
    const res = await hub.app.inject({ method: 'GET', url: '/v1/sources', headers: { authorization: `Bearer ${token}` } });
    const { sources } = res.json() as { sources: { id: string; health: { status: string } }[] };
    expect(sources.map((s) => [s.id, s.health.status])).toEqual([
      ['cis', 'up'],
      ['itd', 'up'],
      ['rocars', 'up'],
    ]);
  });
});

interface Record_ {
  source: string;
  key: string;
  fields: Record<string, unknown>;
}
const cisRecords = (a: Answer) => a.subjects.flatMap((s) => s.records as unknown as Record_[]).filter((r) => r.source === 'cis');
const byHkid = { query: { identifiers: [{ scheme: 'hkid', value: 'A123456(3)' }] } };

describe('need-to-know over the demo estate (levels × cases × sensitive fields)', () => {
  // The showcase's CIS records: R1, an intelligence report at level 1 (Restricted) with no case;
  // R2, an investigation result at level 2 (Confidential) under CASE-2026-0042, naming an informant.
  it('an Unrestricted officer sees trader and cargo records, and nothing of the intelligence system — not even a count', async () => {
    const a = await searchAs('officer-lo', byHkid);
    expect(cisRecords(a)).toEqual([]);
    expect(a.sources.find((s) => s.id === 'cis')).toMatchObject({ status: 'ok', records: 0 });
    expect(a.partial).toBe(false);
    expect(a.raw).not.toMatch(/Source K-17|CASE-2026-0042|under investigation/);
    expect(showcasePerson(a).records.map((r) => r.source).sort()).not.toContain('cis');
  });

  it('a Secret analyst who is not on the case sees the intelligence report but not the investigation', async () => {
    const a = await searchAs('analyst', byHkid);
    expect(cisRecords(a).map((r) => r.key)).toEqual(['R1']);
    expect(a.sources.find((s) => s.id === 'cis')!.records).toBe(1);
    expect(a.raw).not.toMatch(/Source K-17|CASE-2026-0042/);
  });

  it('the investigator on the case sees the investigation with its informant; sensitive fields of case-less records stay hidden', async () => {
    const a = await searchAs('investigator', byHkid);
    const cis = cisRecords(a);
    expect(cis.map((r) => r.key).sort()).toEqual(['R1', 'R2']);
    const r2 = cis.find((r) => r.key === 'R2')!;
    expect(r2.fields.informant).toBe('Source K-17');
    expect(r2.fields.status).toBe('under investigation');
    const r1 = cis.find((r) => r.key === 'R1')!;
    expect(r1.fields).not.toHaveProperty('informant');
    expect(r1.fields).not.toHaveProperty('status');
  });

  it('taking the investigator off the case takes effect at his next search', async () => {
    const supervisor = await identity!.idp.token('supervisor');
    const auth = { authorization: `Bearer ${supervisor}` };
    const off = await hub.app.inject({ method: 'DELETE', url: '/v1/cases/CASE-2026-0042/members/investigator', headers: auth });
    expect(off.statusCode, off.body).toBe(200);
    expect(cisRecords(await searchAs('investigator', byHkid)).map((r) => r.key)).toEqual(['R1']);
    const on = await hub.app.inject({ method: 'POST', url: '/v1/cases/CASE-2026-0042/members', headers: auth, payload: { userId: 'investigator' } });
    expect(on.statusCode).toBe(201);
    expect(cisRecords(await searchAs('investigator', byHkid)).map((r) => r.key).sort()).toEqual(['R1', 'R2']);
  });

  it('every search is audited with who, why, what was returned and how much was withheld; the chain verifies', async () => {
    await searchAs('officer-lo', byHkid);
    const auditor = await identity!.idp.token('auditor');
    const res = await hub.app.inject({ method: 'GET', url: '/v1/audit?actor=officer-lo&kind=search&limit=1', headers: { authorization: `Bearer ${auditor}` } });
    expect(res.statusCode, res.body).toBe(200);
    const [entry] = (res.json() as { entries: { actor: string; entry: { purpose: string; records: string[]; withheld: number; subjects: string[] } }[] }).entries;
    expect(entry!.actor).toBe('officer-lo');
    expect(entry!.entry.purpose).toBe('CASE-2026-0042 showcase');
    // CIS filters by clearance and cases in its own query (push-down): the reports above officer-lo's
    // clearance never even left the source, so the hub had nothing to withhold.
    expect(entry!.entry.withheld).toBe(0);
    expect(entry!.entry.records.some((r) => r.startsWith('cis:'))).toBe(false);
    expect(entry!.entry.subjects.length).toBeGreaterThan(0);
    const verify = await hub.app.inject({ method: 'GET', url: '/v1/audit/verify', headers: { authorization: `Bearer ${auditor}` } });
    expect(verify.json()).toMatchObject({ ok: true, problems: [] });
    // Officers cannot read the audit trail.
    const officer = await identity!.idp.token('officer-lo');
    expect((await hub.app.inject({ method: 'GET', url: '/v1/audit', headers: { authorization: `Bearer ${officer}` } })).statusCode).toBe(403);
  });

  it('a search fails, disclosing nothing, when its audit entry cannot be written', async () => {
    const token = await identity!.idp.token('investigator');
    await hub.db.exec('ALTER TABLE audit_log RENAME TO audit_log_away');
    try {
      const res = await hub.app.inject({ method: 'POST', url: '/v1/search', headers: { authorization: `Bearer ${token}` }, payload: { purpose: 'audit outage', ...byHkid } });
      expect(res.statusCode).toBe(500);
      expect(res.json().type).toBe('https://cirms-hub.dev/problems/internal');
      expect(res.body).not.toMatch(/A1234563|CHAN|Source K-17/);
    } finally {
      await hub.db.exec('ALTER TABLE audit_log_away RENAME TO audit_log');
    }
  });
});
