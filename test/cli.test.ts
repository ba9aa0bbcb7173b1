import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../src/auth/audit.ts';
import { openDb } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'cirms-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cirms(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, ['src/cli.ts', ...args], { env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe('npx cirms audit verify', () => {
  it('reports an intact trail, and exits 1 naming the entry once one is edited', async () => {
    const store = join(dir, 'store');
    writeFileSync(join(dir, 'hub.yaml'), `store: { url: "pglite:${store}" }\n`);
    const db = await openDb(`pglite:${store}`);
    await migrate(db);
    for (let i = 0; i < 3; i++) await appendAudit(db, { kind: 'denial', actor: `u${i}`, action: 'search', resource: null, reason: 'role' });
    await db.close();

    const ok = await cirms('audit', 'verify', '--config', join(dir, 'hub.yaml'));
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/audit trail intact: 3 entries/);

    const tamper = await openDb(`pglite:${store}`);
    // The owner bypasses the append-only trigger, as an attacker with the database would.
    await tamper.exec(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only; UPDATE audit_log SET entry = replace(entry, '"u1"', '"mallory"') WHERE seq = 2`);
    await tamper.close();
    const broken = await cirms('audit', 'verify', '--config', join(dir, 'hub.yaml'));
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(/entry 2: edited/);
    expect(broken.out).toMatch(/AUDIT TRAIL BROKEN/);
  });

  it('prints its usage for an unknown command', async () => {
    const r = await cirms('frobnicate');
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/usage: cirms audit verify/);
  });
});

describe('npx cirms resolve', () => {
  it('deduplicates an NDJSON file of canonical records, one line out per record with its cluster and links', async () => {
    const rec = (source: string, key: string, name: string, hkid?: string) =>
      JSON.stringify({ source, key, type: 'person', names: [{ value: name }], identifiers: hkid ? [{ scheme: 'hkid', value: hkid }] : [], attributes: {}, links: [], level: 0, cases: [], fields: {} });
    const input = join(dir, 'records.ndjson');
    const output = join(dir, 'clusters.ndjson');
    writeFileSync(
      input,
      [rec('itd', 'P1', 'CHAN Tai-man', 'A123456(3)'), rec('cis', 'R1', '陳大文', 'a1234563'), rec('itd', 'P2', 'CHAN Tai Man', 'C227042(9)'), 'not json'].join('\n') + '\n',
    );
    const r = await cirms('resolve', '--in', input, '--out', output, '--no-progress');
    expect(r.code).toBe(1); // one line was not a record
    expect(r.out).toMatch(/resolved 3 records into 2 clusters/);
    const lines = readFileSync(output, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { key?: string; cluster?: string; links?: { with: string; rule: string }[]; error?: string });
    const byKey = Object.fromEntries(lines.filter((l) => l.key).map((l) => [l.key, l]));
    expect(byKey.P1!.cluster).toBe(byKey.R1!.cluster);
    expect(byKey.P2!.cluster).not.toBe(byKey.P1!.cluster);
    expect([...byKey.P1!.links!, ...byKey.R1!.links!].some((l) => l.rule === 'identifier')).toBe(true);
    expect(lines.some((l) => l.error)).toBe(true);
  });
});

describe('npx cirms model', () => {
  it('estimates match weights from a file of records, keeps the version, and activates it on request', async () => {
    const store = join(dir, 'models-store');
    writeFileSync(join(dir, 'models.yaml'), `store: { url: "pglite:${store}" }\n`);
    const rec = (source: string, key: string, name: string, hkid: string, dob: string) =>
      JSON.stringify({ source, key, type: 'person', names: [{ value: name }], identifiers: [{ scheme: 'hkid', value: hkid }], attributes: { dateOfBirth: dob }, links: [], level: 0, cases: [], fields: {} });
    const input = join(dir, 'people.ndjson');
    writeFileSync(
      input,
      [
        rec('itd', 'P1', 'CHAN Tai-man', 'A123456(3)', '1975-03-14'),
        rec('cis', 'R1', 'Chan Taiman', 'A1234563', '1975-03-14'),
        rec('itd', 'P2', 'WONG Siu Ming', 'B111111(1)', '1980-01-01'),
        rec('cis', 'R2', 'Wong Siuming', 'B1111111', '1980-01-01'),
      ].join('\n') + '\n',
    );
    const estimated = await cirms('model', 'estimate', '--in', input, '--activate', '--config', join(dir, 'models.yaml'));
    expect(estimated.code, estimated.out).toBe(0);
    const list = await cirms('model', 'list', '--config', join(dir, 'models.yaml'));
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/active/);
  });
});
