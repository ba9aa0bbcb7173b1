import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { filterRecords, may, visible, type Clearance } from '../../src/auth/policy.ts';
import type { SourceRecord } from '../../src/model/record.ts';

const SENSITIVE = { cis: ['informant', 'status'] };

function record(level: number, cases: string[], source = 'cis', key = `R-${level}-${cases.join('+')}`): SourceRecord {
  return {
    source,
    key,
    type: 'person',
    names: [{ value: 'CHAN Tai Man', script: 'latin' }],
    identifiers: [{ scheme: 'hkid', value: 'A1234563' }],
    attributes: { dateOfBirth: '1970-01-01' },
    links: [{ type: 'director_of', target: { type: 'company', identifiers: [{ scheme: 'br', value: '12345678' }] } }],
    level,
    cases,
    fields: { summary: 'seen at Lok Ma Chau', informant: 'SRC-77', status: 'open' },
  };
}

const who = (level: number, cases: string[]): Clearance => ({ level, cases: new Set(cases) });

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

describe('need-to-know matrix', () => {
  const recordCases = [[], ['CASE-A'], ['CASE-A', 'CASE-B']];
  const principalCases = [[], ['CASE-A'], ['CASE-B'], ['CASE-A', 'CASE-B']];
  for (let pl = 0; pl <= 3; pl++) {
    for (const pc of principalCases) {
      it(`level ${pl} on [${pc.join(', ')}]`, () => {
        for (let rl = 0; rl <= 3; rl++) {
          for (const rc of recordCases) {
            const r = record(rl, rc);
            const expected = pl >= rl && rc.every((c) => pc.includes(c));
            expect(visible(who(pl, pc), r), `record level ${rl} cases [${rc.join(', ')}]`).toBe(expected);
            const { visible: out, withheld } = filterRecords(who(pl, pc), [r], SENSITIVE);
            expect(out.length + withheld).toBe(1);
            expect(out.length).toBe(expected ? 1 : 0);
            if (expected) {
              // Sensitive fields only for an officer on the record's case; a caseless record has none.
              const onCase = rc.length > 0;
              expect(Object.keys(out[0]!.fields).sort()).toEqual(onCase ? ['informant', 'status', 'summary'] : ['summary']);
            }
          }
        }
      });
    }
  }

  it('strips sensitive fields of the configured source only', () => {
    const { visible: out } = filterRecords(who(3, []), [record(0, [], 'itd')], SENSITIVE);
    expect(out[0]!.fields).toEqual({ summary: 'seen at Lok Ma Chau', informant: 'SRC-77', status: 'open' });
    expect(filterRecords(who(3, []), [record(0, [], 'constructor')], SENSITIVE).visible[0]!.fields.informant).toBe('SRC-77');
  });

  it('withholds records whose labels cannot be read, even from the highest clearance on every case', () => {
    const top = who(3, ['CASE-A', '']);
    const bad: SourceRecord[] = [
      { ...record(0, []), level: Number.NaN },
      { ...record(0, []), level: -1 },
      { ...record(0, []), level: 1.5 },
      { ...record(0, []), level: '0' as unknown as number },
      { ...record(0, []), level: undefined as unknown as number },
      { ...record(0, []), cases: 'CASE-A' as unknown as string[] },
      { ...record(0, []), cases: [''] },
      { ...record(0, []), cases: [null as unknown as string] },
      { ...record(0, []), cases: undefined as unknown as string[] },
    ];
    for (const r of bad) expect(visible(top, r), JSON.stringify(r.level) + JSON.stringify(r.cases)).toBe(false);
    expect(filterRecords(top, bad, SENSITIVE)).toEqual({ visible: [], withheld: bad.length });
  });

  it('never touches the (possibly cached, shared) input: frozen records pass, stripped ones are new objects', () => {
    const input = deepFreeze([record(0, []), record(2, ['CASE-A']), record(3, [])]);
    const before = JSON.stringify(input);
    // Frozen input: any write to it would throw here.
    const { visible: out } = filterRecords(who(2, ['CASE-A']), input, SENSITIVE);
    expect(JSON.stringify(input)).toBe(before);
    expect(out).toHaveLength(2);
    const stripped = out.find((r) => r.cases.length === 0)!;
    expect(input).not.toContain(stripped);
    expect(Object.keys(stripped.fields).some((f) => (SENSITIVE as Record<string, string[]>)[stripped.source]?.includes(f))).toBe(false);
  });
});

describe('need-to-know property', () => {
  const CASES = ['C1', 'C2', 'C3'];
  const label = fc.oneof(
    { weight: 9, arbitrary: fc.integer({ min: 0, max: 4 }) },
    { weight: 1, arbitrary: fc.constantFrom(Number.NaN, -1, 2.5) },
  );
  const arbRecord = fc.record({
    source: fc.constantFrom('cis', 'itd', 'rocars'),
    key: fc.string({ minLength: 1, maxLength: 6 }),
    level: label,
    cases: fc.oneof({ weight: 9, arbitrary: fc.subarray(CASES) }, { weight: 1, arbitrary: fc.constant<string[]>(['']) }),
    fields: fc.dictionary(fc.constantFrom('informant', 'status', 'summary', 'kind'), fc.string(), { maxKeys: 4 }),
  });
  const arbPrincipal = fc.record({ level: fc.integer({ min: 0, max: 3 }), cases: fc.subarray(CASES) });

  it('returns nothing above clearance or outside the principal’s cases; the counts add up', () => {
    fc.assert(
      fc.property(arbPrincipal, fc.array(arbRecord, { maxLength: 30 }), (p, parts) => {
        const principal = who(p.level, p.cases);
        const records = parts.map((x): SourceRecord => ({ ...record(0, []), ...x }));
        const before = JSON.stringify(records);
        const { visible: out, withheld } = filterRecords(principal, records, SENSITIVE);

        expect(out.length + withheld).toBe(records.length);
        const oracle = records.filter((r) => Number.isInteger(r.level) && r.level >= 0 && r.level <= p.level && r.cases.every((c) => c !== '' && p.cases.includes(c)));
        expect(out.map((r) => `${r.source}:${r.key}`)).toEqual(oracle.map((r) => `${r.source}:${r.key}`));
        for (const r of out) {
          expect(r.level).toBeLessThanOrEqual(p.level);
          for (const c of r.cases) expect(p.cases).toContain(c);
          if (r.source === 'cis' && r.cases.length === 0) {
            expect(r.fields).not.toHaveProperty('informant');
            expect(r.fields).not.toHaveProperty('status');
          }
        }
        expect(JSON.stringify(records)).toBe(before);
      }),
      { numRuns: 500 },
    );
  });
});

describe('role permissions', () => {
  it('lets each role do its own work only', () => {
    const p = (...roles: Parameters<typeof may>[0]['roles'][number][]) => ({ roles });
    expect(may(p('officer'), 'search')).toBe(true);
    expect(may(p('auditor'), 'search')).toBe(false);
    expect(may(p('auditor'), 'read-audit')).toBe(true);
    expect(may(p('investigator'), 'manage-cases')).toBe(false);
    expect(may(p('investigator', 'supervisor'), 'manage-cases')).toBe(true);
    expect(may(p('connector-admin'), 'manage-sources')).toBe(true);
    expect(may(p('connector-admin'), 'search')).toBe(false);
    expect(may(p(), 'search')).toBe(false);
  });
});
