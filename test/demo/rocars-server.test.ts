import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo, type Consignment } from '../../src/demo/generate.ts';
import { startRocars, type RocarsServer } from '../../src/demo/rocars-server.ts';

const data = generateDemo({ traders: 1500 });
let server: RocarsServer;

interface Item extends Consignment {
  matchedParty?: { role: 'shipper' | 'consignee'; name: string; br: string | null };
}

async function get(query: string): Promise<{ status: number; body: { items: Item[] } & { error?: string } }> {
  const res = await fetch(`${server.url}${query}`);
  return { status: res.status, body: (await res.json()) as { items: Item[] } };
}

const consignments = (q: Record<string, string>): Promise<{ status: number; body: { items: Item[] } }> =>
  get(`/api/v1/consignments?${new URLSearchParams(q).toString()}`);

const newestFirst = (items: Item[]): boolean => items.every((c, i) => i === 0 || (items[i - 1] as Item).date >= c.date);

beforeAll(async () => {
  server = await startRocars({ consignments: data.rocars.consignments });
});

afterAll(async () => {
  await server.close();
});

describe('ROCARS simulator', () => {
  const showcase = data.rocars.consignments.filter((c) => c.vehicleMark === 'AB 1234').map((c) => c.consignmentNo).sort();

  it('answers health checks on an ephemeral port', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:[0-9]+$/);
    const { status, body } = await get('/health');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', consignments: data.rocars.consignments.length });
  });

  it('finds by driver HKID in any written form', async () => {
    for (const hkid of ['A123456(3)', 'a1234563', 'A 123456 (3)']) {
      const { status, body } = await consignments({ driverHkid: hkid });
      expect(status).toBe(200);
      expect(body.items.map((c) => c.consignmentNo).sort()).toEqual(showcase);
      expect(body.items[0]?.driver).toEqual({ name: 'CHAN TAI MAN', hkid: 'A1234563', phone: '9123 4567' });
      expect(newestFirst(body.items)).toBe(true);
      expect(body.items[0]).not.toHaveProperty('matchedParty');
    }
  });

  it('finds by driver name in either token order, ignoring case, spaces and punctuation', async () => {
    for (const name of ['CHAN Tai-man', 'Chan Taiman', 'Tai Man CHAN', 'chan, tai man', 'TAIMAN CHAN']) {
      const { body } = await consignments({ driverName: name });
      expect(body.items.map((c) => c.consignmentNo).sort(), name).toEqual(showcase);
    }
    expect((await consignments({ driverName: 'CHAN Tai Ming' })).body.items.every((c) => c.vehicleMark !== 'AB 1234')).toBe(true);
  });

  it('finds by vehicle mark ignoring case and spaces', async () => {
    const { body } = await consignments({ vehicleMark: 'ab1234' });
    expect(body.items.map((c) => c.consignmentNo).sort()).toEqual(showcase);
  });

  it('finds by party BR (first 8 digits) and says which party matched', async () => {
    const { body } = await consignments({ partyBr: '12345678-000-01-24-5' });
    expect(body.items.map((c) => c.consignmentNo).sort()).toEqual(showcase);
    for (const c of body.items) expect(c.matchedParty).toEqual({ role: 'shipper', name: 'TAI MAN TRADING COMPANY LIMITED', br: '12345678' });
  });

  it('finds by party name prefix on compact letters and digits', async () => {
    const { body } = await consignments({ partyName: 'Tai Man Trading Co.' });
    expect(body.items.map((c) => c.consignmentNo).sort()).toEqual(showcase);
    const consignee = data.rocars.consignments[0]?.consignee.name as string;
    const hits = (await consignments({ partyName: consignee.toLowerCase(), limit: '500' })).body.items;
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.some((c) => c.matchedParty?.role === 'consignee' && c.matchedParty.name === consignee)).toBe(true);
    expect(newestFirst(hits)).toBe(true);
  });

  it('matches a brute-force scan for every kind of query', async () => {
    const alnum = (s: string): string => s.toUpperCase().replace(/[^A-Z0-9]/g, '');
    const sample = data.rocars.consignments[137] as Consignment;
    const br = data.rocars.consignments.find((c) => c.shipper.br !== null && c.shipper.br.length === 8)?.shipper.br as string;
    const cases: [Record<string, string>, (c: Consignment) => boolean][] = [
      [{ vehicleMark: sample.vehicleMark }, (c) => alnum(c.vehicleMark) === alnum(sample.vehicleMark)],
      [{ partyBr: br }, (c) => [c.shipper.br, c.consignee.br].some((b) => b !== null && b.replace(/\D/g, '').slice(0, 8) === br)],
    ];
    if (sample.driver.hkid !== null) {
      const hkid = sample.driver.hkid;
      cases.push([{ driverHkid: hkid }, (c) => c.driver.hkid !== null && alnum(c.driver.hkid) === alnum(hkid)]);
    }
    for (const [query, match] of cases) {
      const expected = data.rocars.consignments.filter(match).map((c) => c.consignmentNo).sort();
      const { body } = await consignments({ ...query, limit: '500' });
      expect(body.items.map((c) => c.consignmentNo).sort(), JSON.stringify(query)).toEqual(expected.slice(0, 500));
    }
  });

  it('applies limit: default 50, at most 500', async () => {
    const prefix = 'SHENZHEN';
    const all = data.rocars.consignments.filter((c) => [c.shipper.name, c.consignee.name].some((n) => n.toUpperCase().startsWith(prefix))).length;
    expect(all).toBeGreaterThan(500);
    expect((await consignments({ partyName: prefix })).body.items).toHaveLength(50);
    expect((await consignments({ partyName: prefix, limit: '1' })).body.items).toHaveLength(1);
    expect((await consignments({ partyName: prefix, limit: '100000' })).body.items).toHaveLength(500);
  });

  it('rejects bad input with 400 JSON errors', async () => {
    const bad = [
      '/api/v1/consignments',
      '/api/v1/consignments?driverHkid=A1234563&vehicleMark=AB1234',
      '/api/v1/consignments?driverHkid=',
      '/api/v1/consignments?driverHkid=A1234563&limit=0',
      '/api/v1/consignments?driverHkid=A1234563&limit=ten',
      '/api/v1/consignments?partyBr=1234',
      '/api/v1/consignments?partyName=-',
    ];
    for (const path of bad) {
      const { status, body } = await get(path);
      expect(status, path).toBe(400);
      expect(body.error).toBe('bad_request');
    }
  });

  it('answers unknown paths with 404 and other methods with 405', async () => {
    expect((await get('/api/v2/consignments')).status).toBe(404);
    const res = await fetch(`${server.url}/api/v1/consignments?driverHkid=A1234563`, { method: 'POST' });
    expect(res.status).toBe(405);
    await res.arrayBuffer();
  });

  it('returns no items when nothing matches', async () => {
    const { status, body } = await consignments({ driverHkid: 'Z9999999' });
    expect(status).toBe(200);
    expect(body.items).toEqual([]);
  });
});
