import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../src/demo/generate.ts';
import { loadDemo, type SqlTarget } from '../../src/demo/load.ts';

const data = generateDemo({ traders: 300 });
let db: PGlite;

const rows = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => (await db.query<T>(sql, params)).rows;

beforeAll(async () => {
  db = new PGlite();
  await loadDemo(db, data);
}, 60_000);

afterAll(async () => {
  await db.close();
});

describe('loadDemo into PGlite', () => {
  it('loads every row', async () => {
    const count = async (table: string): Promise<number> => Number((await rows<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n);
    expect(await count('itd.traders')).toBe(data.itd.traders.length);
    expect(await count('itd.persons')).toBe(data.itd.persons.length);
    expect(await count('itd.trader_roles')).toBe(data.itd.traderRoles.length);
    expect(await count('itd.vehicles')).toBe(data.itd.vehicles.length);
    expect(await count('cis.entities')).toBe(data.cis.entities.length);
    expect(await count('cis.reports')).toBe(data.cis.reports.length);
    expect(await count('cis.entity_links')).toBe(data.cis.entityLinks.length);
  });

  it('keeps values intact (nulls, dates, booleans, Chinese, quotes)', async () => {
    const [trader] = await rows(`SELECT br_no, name_zh, aeo, to_char(registered_on, 'YYYY-MM-DD') AS registered_on FROM itd.traders WHERE trader_id = 1`);
    expect(trader).toEqual({ br_no: '12345678-000-01-24-5', name_zh: '大文貿易有限公司', aeo: false, registered_on: data.itd.traders[0]?.registered_on });
    const withQuote = data.itd.traders.find((t) => t.address?.includes("'"));
    if (withQuote) expect((await rows(`SELECT address FROM itd.traders WHERE trader_id = $1`, [withQuote.trader_id]))[0]).toEqual({ address: withQuote.address });
    const nullHkids = data.itd.persons.filter((p) => p.hkid === null).length;
    expect((await rows<{ n: number }>(`SELECT count(*)::int AS n FROM itd.persons WHERE hkid IS NULL`))[0]?.n).toBe(nullHkids);
  });

  it('finds the showcase through the connector index expressions', async () => {
    const byHkid = await rows<{ person_id: number }>(
      `SELECT person_id FROM itd.persons WHERE upper(regexp_replace(coalesce(hkid,''),'[^A-Za-z0-9]','','g')) = 'A1234563'`,
    );
    expect(byHkid.map((r) => r.person_id)).toEqual([1]);
    const byName = await rows<{ person_id: number }>(
      `SELECT person_id FROM itd.persons WHERE upper(regexp_replace(coalesce(name_en,''), '[^A-Za-z]', '', 'g')) = 'CHANTAIMAN' ORDER BY person_id`,
    );
    expect(byName.map((r) => r.person_id)).toEqual([1, 2]);
    expect((await rows(`SELECT person_id FROM itd.persons WHERE name_zh = '陳大文' ORDER BY person_id`)).map((r) => r.person_id)).toEqual([1, 2]);
    const byBr = await rows<{ trader_id: number }>(`SELECT trader_id FROM itd.traders WHERE left(regexp_replace(coalesce(br_no,''), '[^0-9]', '', 'g'), 8) = '12345678'`);
    expect(byBr.map((r) => r.trader_id)).toEqual([1]);
    const byTraderName = await rows<{ trader_id: number }>(
      `SELECT trader_id FROM itd.traders WHERE upper(regexp_replace(coalesce(name_en,''), '[^A-Za-z0-9]', '', 'g')) LIKE 'TAIMANTRADING%'`,
    );
    expect(byTraderName.map((r) => r.trader_id)).toEqual([1]);
    const byMark = await rows<{ vehicle_id: number }>(`SELECT vehicle_id FROM itd.vehicles WHERE upper(replace(mark, ' ', '')) = 'AB1234'`);
    expect(byMark.map((r) => r.vehicle_id)).toEqual([1]);
    const cis = await rows<{ entity_id: number }>(
      `SELECT entity_id FROM cis.entities WHERE upper(regexp_replace(coalesce(hkid,''),'[^A-Za-z0-9]','','g')) = 'A1234563'`,
    );
    expect(cis.map((r) => r.entity_id)).toEqual([1]);
    const reports = await rows(`SELECT kind, security_level, case_no, informant, status FROM cis.reports WHERE entity_id = 1 ORDER BY report_id`);
    expect(reports).toEqual([
      { kind: 'intelligence', security_level: 1, case_no: null, informant: null, status: 'open' },
      { kind: 'investigation', security_level: 2, case_no: 'CASE-2026-0042', informant: 'Source K-17', status: 'under investigation' },
    ]);
  });

  it('lets the planner use the expression indexes', async () => {
    await db.exec('SET enable_seqscan = off');
    const plan = async (sql: string): Promise<string> => (await rows<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`)).map((r) => r['QUERY PLAN']).join('\n');
    expect(await plan(`SELECT * FROM itd.persons WHERE upper(regexp_replace(coalesce(hkid,''),'[^A-Za-z0-9]','','g')) = 'A1234563'`)).toContain('persons_hkid_norm');
    expect(await plan(`SELECT * FROM itd.traders WHERE upper(regexp_replace(coalesce(name_en,''), '[^A-Za-z0-9]', '', 'g')) LIKE 'TAIMAN%'`)).toContain('traders_name_compact');
    expect(await plan(`SELECT * FROM cis.entities WHERE upper(replace(coalesce(vehicle_mark, ''), ' ', '')) = 'AB1234'`)).toContain('entities_mark_norm');
    await db.exec('RESET enable_seqscan');
  });

  it('is idempotent and can load one schema through query() alone', async () => {
    const queryOnly: SqlTarget = { query: (sql, params) => db.query(sql, params) };
    const result = await loadDemo(queryOnly, data, { schemas: ['cis'], batchSize: 50 });
    expect(result.rows).toEqual({ 'cis.entities': data.cis.entities.length, 'cis.reports': data.cis.reports.length, 'cis.entity_links': data.cis.entityLinks.length });
    expect((await rows<{ n: number }>(`SELECT count(*)::int AS n FROM cis.reports`))[0]?.n).toBe(data.cis.reports.length);
    expect((await rows<{ n: number }>(`SELECT count(*)::int AS n FROM itd.traders`))[0]?.n).toBe(data.itd.traders.length);
  });
});
