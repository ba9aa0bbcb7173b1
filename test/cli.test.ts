import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
