import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testHub, type TestHub } from '../support/hub.ts';
import { json, localServer, type LocalServer } from '../support/http-source.ts';
import { intelSource } from '../support/sources.ts';

// Property: whatever records the sources hold and whoever asks, nothing above the asker's clearance or
// outside their cases appears anywhere in the answer — not a field, a name, a link, an id, nor a count.

const LEVELS = ['Unrestricted', 'Restricted', 'Confidential', 'Secret'];
const CASES = ['C-1', 'C-2', 'C-3'];

interface Row {
  id: string;
  hkid: string;
  name: string;
  level: number;
  cases: string[];
  note: string;
}

let rows: Row[] = [];
let hub: TestHub;
let source: LocalServer;

beforeAll(async () => {
  source = await localServer((_req, res) => json(res, 200, { items: rows }));
  hub = await testHub([
    intelSource(
      source.url,
      { name: { path: '/people', query: { name: '{{raw}}' } } },
      {
        key: '{{id}}',
        names: [{ field: 'name' }],
        identifiers: [{ scheme: 'hkid', field: 'hkid' }],
        links: [{ type: 'associate_of', targetType: 'person', identifiers: [{ scheme: 'hkid', field: 'hkid' }], name: 'note' }],
        level: { field: 'level' },
        cases: { field: 'cases' },
        fields: ['note'],
      },
    ),
  ]);
});
afterAll(async () => {
  await hub.close();
  await source.close();
});

const row = (i: number) =>
  fc.record({
    level: fc.integer({ min: 0, max: 3 }),
    cases: fc.subarray(CASES, { maxLength: 2 }),
    person: fc.integer({ min: 0, max: 3 }),
  }).map(({ level, cases, person }): Row => ({
    id: `rec${i}`,
    // A handful of people, so visible and hidden records of one person meet in one subject.
    hkid: ['A123456(3)', 'B111111(1)', 'C668668(9)', 'Z683365(A)'][person]!,
    name: `CHAN Tai Man`,
    level,
    cases,
    note: `MARK-${i}-L${level}`,
  }));

describe('need-to-know, for any records and any principal (property)', () => {
  it('leaves no trace of a withheld record in the answer, counts included', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 8 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => row(i)))),
        fc.integer({ min: 0, max: 3 }),
        fc.subarray(CASES),
        async (generated, level, cases) => {
          rows = generated;
          await hub.db.query('DELETE FROM case_members WHERE user_id = $1', ['prop-user']);
          for (const c of cases) await hub.db.query(`INSERT INTO case_members (case_id, user_id, added_by) VALUES ($1, 'prop-user', 'test')`, [c]);
          const res = await hub.inject(
            { method: 'POST', url: '/v1/search', payload: { query: { name: 'CHAN Tai Man' }, types: ['person'], expand: false } },
            { sub: 'prop-user', roles: ['analyst'], clearance: LEVELS[level]! },
          );
          expect(res.statusCode).toBe(200);
          const visible = generated.filter((r) => r.level <= level && r.cases.every((c) => cases.includes(c)));
          const hidden = generated.filter((r) => !visible.includes(r));
          for (const r of hidden) {
            expect(res.body).not.toContain(`"${r.id}"`);
            expect(res.body).not.toContain(r.note);
          }
          const body = res.json() as { sources: { records: number }[]; subjects: { records: { key: string }[]; identifiers: { value: string }[] }[] };
          expect(body.sources[0]!.records).toBe(visible.length);
          expect(body.subjects.flatMap((s) => s.records.map((r) => r.key)).sort()).toEqual(visible.map((r) => r.id).sort());
          // An identifier only hidden records carry does not appear either.
          const shownHkids = new Set(visible.map((r) => r.hkid.replace(/[()]/g, '')));
          for (const s of body.subjects) for (const i of s.identifiers) expect(shownHkids.has(i.value)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});
