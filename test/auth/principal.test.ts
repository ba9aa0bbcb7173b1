import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerChallenge, createAuthenticator, type Authenticator } from '../../src/auth/authenticate.ts';
import { addCaseMember, casesOf, listCaseMembers, removeCaseMember } from '../../src/auth/cases.ts';
import { seedDemoCases, startDevIdp, type DevIdp } from '../../src/auth/dev-idp.ts';
import { filterRecords } from '../../src/auth/policy.ts';
import { identityFromClaims } from '../../src/auth/principal.ts';
import { TokenError } from '../../src/auth/tokens.ts';
import type { SourceRecord } from '../../src/model/record.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { AUDIENCE, authConfig } from './support.ts';

async function refusal(p: Promise<unknown>): Promise<TokenError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TokenError) return err;
    throw err;
  }
  throw new Error('expected the request to be refused');
}

describe('identity from claims', () => {
  const config = authConfig('https://idp.test');
  const base = { sub: 'u1', clearance: 'Confidential' };

  it('places the clearance on the configured scale, by name or number', () => {
    expect(identityFromClaims({ ...base }, config).level).toBe(2);
    expect(identityFromClaims({ ...base, clearance: 'secret' }, config).level).toBe(3);
    expect(identityFromClaims({ ...base, clearance: 0 }, config).level).toBe(0);
    const custom = authConfig('https://idp.test', { levels: ['Public', 'Internal'] });
    expect(identityFromClaims({ ...base, clearance: 'Internal' }, custom).level).toBe(1);
  });

  it('refuses a token without a user id or with a clearance off the scale', () => {
    for (const claims of [{ clearance: 'Secret' }, { sub: '', clearance: 'Secret' }, { sub: 'u1' }, { sub: 'u1', clearance: 'Top Secret' }, { sub: 'u1', clearance: 4 }, { sub: 'u1', clearance: 1.5 }]) {
      expect(() => identityFromClaims(claims, config), JSON.stringify(claims)).toThrow(TokenError);
    }
  });

  it('keeps only known roles, from an array, a space-separated string, or a nested claim', () => {
    expect(identityFromClaims({ ...base, roles: ['officer', 'root', 'auditor', 'officer'] }, config).roles).toEqual(['officer', 'auditor']);
    expect(identityFromClaims({ ...base, roles: 'analyst supervisor' }, config).roles).toEqual(['analyst', 'supervisor']);
    expect(identityFromClaims({ ...base }, config).roles).toEqual([]);
    const keycloak = authConfig('https://idp.test', { claims: { roles: 'realm_access.roles', userId: 'preferred_username' } });
    const id = identityFromClaims({ preferred_username: 'kc-user', clearance: 'Restricted', realm_access: { roles: ['investigator'] } }, keycloak);
    expect(id).toEqual({ userId: 'kc-user', roles: ['investigator'], level: 1 });
  });
});

describe('principals with case memberships from the store', () => {
  let idp: DevIdp;
  let db: Db;
  let auth: Authenticator;

  const caseRecord: SourceRecord = {
    source: 'cis',
    key: 'R42',
    type: 'person',
    names: [{ value: 'CHAN Tai Man' }],
    identifiers: [],
    attributes: {},
    links: [],
    level: 2,
    cases: ['CASE-2026-0042'],
    fields: { summary: 'controlled delivery', informant: 'SRC-9' },
  };

  beforeAll(async () => {
    idp = await startDevIdp({ audience: AUDIENCE });
    db = await openDb('memory:');
    await migrate(db);
    await seedDemoCases(db);
    auth = createAuthenticator({ config: authConfig(idp.issuer), db });
  });
  afterAll(async () => {
    await idp.close();
    await db.close();
  });

  it('loads the demo memberships, idempotently', async () => {
    await seedDemoCases(db);
    expect((await listCaseMembers(db, 'CASE-2026-0042')).map((m) => [m.userId, m.addedBy])).toEqual([
      ['investigator', 'dev-idp-seed'],
      ['supervisor', 'dev-idp-seed'],
    ]);
    expect(await casesOf(db, 'analyst')).toEqual([]);
  });

  it('takes an officer off a case at once, even while their token is still valid', async () => {
    const token = await idp.token('investigator');
    const before = await auth.authenticate(`Bearer ${token}`, { ip: '127.0.0.1' });
    expect(before).toMatchObject({ userId: 'investigator', level: 2, roles: ['investigator'] });
    expect([...before.cases]).toEqual(['CASE-2026-0042']);
    expect(filterRecords(before, [caseRecord], { cis: ['informant'] }).visible[0]!.fields).toEqual(caseRecord.fields);

    expect(await removeCaseMember(db, { caseId: 'CASE-2026-0042', userId: 'investigator' }, 'supervisor')).toBe(true);
    const after = await auth.authenticate(`Bearer ${token}`, { ip: '127.0.0.1' });
    expect(after.cases.size).toBe(0);
    expect(filterRecords(after, [caseRecord], { cis: ['informant'] })).toEqual({ visible: [], withheld: 1 });

    expect(await addCaseMember(db, { caseId: 'CASE-2026-0042', userId: 'investigator' }, 'supervisor')).toBe(true);
    expect([...(await auth.authenticate(`Bearer ${token}`, {})).cases]).toEqual(['CASE-2026-0042']);
  });

  it('audits every membership change with who made it, and only real changes', async () => {
    expect(await removeCaseMember(db, { caseId: 'CASE-NONE', userId: 'analyst' }, 'supervisor')).toBe(false);
    expect(await addCaseMember(db, { caseId: 'CASE-2026-0042', userId: 'supervisor' }, 'supervisor')).toBe(false);
    await expect(addCaseMember(db, { caseId: ' ', userId: 'analyst' }, 'supervisor')).rejects.toThrow(/must not be empty/);
    const rows = (await db.query<{ actor: string; entry: string }>("SELECT actor, entry FROM audit_log WHERE kind = 'admin' AND actor = 'supervisor' ORDER BY seq")).rows;
    expect(rows.map((r) => JSON.parse(r.entry) as { action: string; detail: unknown })).toMatchObject([
      { action: 'case-member-removed', target: 'CASE-2026-0042', detail: { userId: 'investigator' } },
      { action: 'case-member-added', target: 'CASE-2026-0042', detail: { userId: 'investigator' } },
    ]);
  });

  it('audits a rejected token, not a missing one, and tells the client why (RFC 6750)', async () => {
    const count = async () => Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM audit_log WHERE kind = 'token-rejected'")).rows[0]!.n);
    const n0 = await count();
    const missing = await refusal(auth.authenticate(undefined, {}));
    expect(bearerChallenge(missing)).toBe('Bearer');
    expect(await count()).toBe(n0);

    const token = await idp.token('analyst');
    const [h, p] = token.split('.');
    const refused = await refusal(auth.authenticate(`Bearer ${h}.${p}.AAAA`, { ip: '10.1.2.3' }));
    expect([refused.code, refused.status]).toEqual(['bad-signature', 401]);
    expect(bearerChallenge(refused)).toBe('Bearer error="invalid_token", error_description="bad-signature"');
    const row = (await db.query<{ actor: string; entry: string }>("SELECT actor, entry FROM audit_log WHERE kind = 'token-rejected' ORDER BY seq DESC LIMIT 1")).rows[0]!;
    expect(row.actor).toBe('anonymous');
    expect(JSON.parse(row.entry)).toMatchObject({ claimedSubject: 'analyst', ip: '10.1.2.3', reason: expect.stringMatching(/^bad-signature/) });
    expect(await count()).toBe(n0 + 1);
  });
});
