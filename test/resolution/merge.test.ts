import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../src/model/record.ts';
import type { Subject } from '../../src/model/subject.ts';
import { normaliseHkid } from '../../src/resolution/normalise/hkid.ts';
import { mergeRecords } from '../../src/resolution/merge.ts';

function rec(partial: Partial<SourceRecord> & Pick<SourceRecord, 'source' | 'key'>): SourceRecord {
  return {
    type: 'person',
    names: [],
    identifiers: [],
    attributes: {},
    links: [],
    level: 0,
    cases: [],
    fields: {},
    ...partial,
  };
}

const itd = rec({
  source: 'itd',
  key: 'P-1',
  names: [{ value: 'CHAN Tai-man', script: 'latin' }],
  identifiers: [{ scheme: 'hkid', value: 'A123456(3)' }],
  links: [{ type: 'director_of', target: { type: 'company', identifiers: [{ scheme: 'br', value: '12345678-000-01-24-5' }], name: 'Wing On Trading Co Ltd' } }],
  fields: { occupation: 'Director' },
});
const cis = rec({
  source: 'cis',
  key: '7781',
  names: [{ value: 'Chan Taiman' }, { value: '陳大文', script: 'han' }],
  identifiers: [{ scheme: 'hkid', value: 'a1234563' }, { scheme: 'phone', value: '9123 4567' }],
  attributes: { dateOfBirth: '01/05/1980' },
  observedAt: '2024-03-01T00:00:00Z',
});
const rocars = rec({
  source: 'rocars',
  key: 'DRV-55',
  names: [{ value: 'CHAN TAI MAN' }],
  identifiers: [{ scheme: 'hkid', value: 'A123456(3)' }],
  links: [{ type: 'driver_of', target: { type: 'vehicle', identifiers: [{ scheme: 'vehicle_mark', value: 'AB 1234' }] } }],
});
const mistyped = rec({
  source: 'seizures',
  key: 'S-9',
  names: [{ value: 'CHAN Tai Man' }],
  identifiers: [{ scheme: 'hkid', value: 'A123456(4)' }],
  attributes: { dateOfBirth: '1980-05-01' },
});
const otherChan = rec({
  source: 'itd',
  key: 'P-2',
  names: [{ value: 'CHAN Tai Man' }],
  identifiers: [{ scheme: 'hkid', value: 'CA182361(1)' }],
  attributes: { dateOfBirth: '1980-05-01' },
});
const company = rec({
  source: 'cr',
  key: '0012345',
  type: 'company',
  names: [{ value: 'WING ON TRADING COMPANY LIMITED' }, { value: '永安貿易有限公司' }],
  identifiers: [{ scheme: 'br', value: '12345678' }, { scheme: 'cr', value: '0012345' }],
});
const companyAgain = rec({
  source: 'tdec',
  key: 'T-1',
  type: 'company',
  names: [{ value: 'Wing On Trading Co., Ltd.' }],
  identifiers: [{ scheme: 'br', value: '1234 5678' }],
  attributes: { address: '12/F, Wing On Bldg, 1 Nathan Rd, Kowloon' },
});
const vehicle = rec({
  source: 'td',
  key: 'V-1',
  type: 'vehicle',
  names: [],
  identifiers: [{ scheme: 'vehicle_mark', value: 'AB I234' }],
});

const showcase = [itd, cis, rocars, mistyped, otherChan, company, companyAgain, vehicle];

function subjectWith(subjects: Subject[], source: string, key: string): Subject {
  const s = subjects.find((x) => x.records.some((r) => r.source === source && r.key === key));
  if (!s) throw new Error(`no subject holds ${source}:${key}`);
  return s;
}

describe('mergeRecords: showcase', () => {
  const subjects = mergeRecords(showcase);
  const chan = subjectWith(subjects, 'itd', 'P-1');

  it('joins CHAN Tai Man from itd, cis and rocars on the HKID', () => {
    expect(chan.records.map((r) => `${r.source}:${r.key}`).sort()).toEqual(['cis:7781', 'itd:P-1', 'rocars:DRV-55', 'seizures:S-9']);
    expect(chan.type).toBe('person');
    expect(chan.displayName).toBe('CHAN Tai Man');
    const hkid = chan.identifiers.find((i) => i.scheme === 'hkid' && i.valid);
    expect(hkid).toEqual({ scheme: 'hkid', value: 'A1234563', valid: true, sources: ['cis', 'itd', 'rocars'] });
  });

  it('explains every record but the first', () => {
    const [first, ...rest] = chan.records;
    expect(first?.linkedBy).toEqual([]);
    for (const r of rest) expect(r.linkedBy.length).toBeGreaterThan(0);
    const rocarsRecord = chan.records.find((r) => r.source === 'rocars');
    const linkage = rocarsRecord?.linkedBy[0];
    expect(linkage?.rule).toBe('identifier');
    expect(linkage?.evidence?.[0]).toMatchObject({ field: 'hkid', comparison: 'exact', detail: 'HKID A1234563 equal' });
    expect(linkage?.evidence?.[0]?.weight).toBeGreaterThan(20);
    expect(linkage?.explanation).toMatch(/^HKID A1234563 equal \+\d+\.?\d*; /);
  });

  it('adds up every explanation to its score', () => {
    for (const s of subjects) {
      for (const r of s.records) {
        for (const l of r.linkedBy) {
          const sum = l.evidence!.reduce((t, e) => t + e.weight, 0);
          expect(Math.abs(sum - l.score)).toBeLessThan(0.005);
          // The line an officer reads states the same findings and weights.
          const stated = [...l.explanation.matchAll(/ ([+-]?\d+(?:\.\d+)?)(?:;|$)/g)].reduce((t, m) => t + Number(m[1]), 0);
          expect(Math.abs(stated - l.score)).toBeLessThan(0.005);
        }
      }
    }
  });

  it('joins the mistyped HKID record by name and date of birth', () => {
    const record = chan.records.find((r) => r.source === 'seizures');
    const linkage = record?.linkedBy[0];
    expect(linkage?.rule).toBe('match');
    expect(linkage?.with).toBe('cis:7781');
    expect(linkage?.evidence?.map((e) => e.field)).toEqual(['hkid', 'surname', 'given', 'dateOfBirth']);
    expect(linkage?.evidence?.[0]).toMatchObject({ comparison: 'close', detail: 'HKID A1234563 ≈ A1234564: same number, check character mistyped' });
    expect(linkage?.evidence?.[3]?.detail).toBe('date of birth 1980-05-01 equal');
    expect(chan.identifiers).toContainEqual({ scheme: 'hkid', value: 'A1234564', valid: false, sources: ['seizures'] });
  });

  it('keeps a namesake with a different valid HKID apart', () => {
    const other = subjectWith(subjects, 'itd', 'P-2');
    expect(other.id).not.toBe(chan.id);
    expect(other.records).toHaveLength(1);
  });

  it('de-duplicates names by normalised form and unions sources', () => {
    expect(chan.names).toEqual([
      { value: 'Chan Taiman', script: 'latin', sources: ['cis', 'itd', 'rocars', 'seizures'] },
      { value: '陳大文', script: 'han', sources: ['cis'] },
    ]);
  });

  it('unions attributes by normalised value', () => {
    expect(chan.attributes.dateOfBirth).toEqual([{ value: '1980-05-01', sources: ['cis', 'seizures'] }]);
  });

  it('resolves the director_of link to the company subject', () => {
    const wingOn = subjectWith(subjects, 'cr', '0012345');
    expect(wingOn.records).toHaveLength(2);
    expect(wingOn.displayName).toBe('WING ON TRADING COMPANY LIMITED');
    const link = chan.links.find((l) => l.type === 'director_of');
    expect(link).toEqual({
      type: 'director_of',
      subject: wingOn.id,
      target: { type: 'company', name: 'Wing On Trading Co Ltd', identifiers: [{ scheme: 'br', value: '12345678' }] },
      sources: ['itd'],
    });
  });

  it('resolves the driver_of link to the vehicle despite the I/1 misreading', () => {
    const car = subjectWith(subjects, 'td', 'V-1');
    expect(car.displayName).toBe('AB1234');
    expect(chan.links.find((l) => l.type === 'driver_of')?.subject).toBe(car.id);
  });

  it('derives stable ids from the strongest identifier', () => {
    expect(chan.id).toMatch(/^sub_[A-Za-z0-9_-]{22}$/);
    expect(mergeRecords([rocars])[0]?.id).toBe(chan.id);
    expect(mergeRecords([companyAgain])[0]?.id).toBe(subjectWith(subjects, 'cr', '0012345').id);
  });

  it('orders subjects by size, then id', () => {
    const sizes = subjects.map((s) => s.records.length);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  });
});

describe('mergeRecords: rules', () => {
  it('merges only records of the same type', () => {
    const person = rec({ source: 'a', key: '1', identifiers: [{ scheme: 'br', value: '12345678' }] });
    const firm = rec({ source: 'b', key: '1', type: 'company', identifiers: [{ scheme: 'br', value: '12345678' }] });
    expect(mergeRecords([person, firm])).toHaveLength(2);
  });

  it('does not merge on an invalid identifier alone', () => {
    const a = rec({ source: 'a', key: '1', names: [{ value: 'LEE Siu Ming' }], identifiers: [{ scheme: 'hkid', value: 'A123456(4)' }] });
    const b = rec({ source: 'b', key: '1', names: [{ value: 'WONG Ka Ming' }], identifiers: [{ scheme: 'hkid', value: 'A123456(4)' }] });
    expect(mergeRecords([a, b])).toHaveLength(2);
  });

  it('does not merge on name alone', () => {
    const a = rec({ source: 'a', key: '1', names: [{ value: 'LEE Siu Ming' }], attributes: { dateOfBirth: '1970-01-01' } });
    const b = rec({ source: 'b', key: '1', names: [{ value: 'Lee Siuming' }] });
    expect(mergeRecords([a, b])).toHaveLength(2);
  });

  it('merges on name and phone, and names the attributes', () => {
    const a = rec({ source: 'a', key: '1', names: [{ value: 'LEE Siu Ming' }], attributes: { phone: '+852 9876 5432' } });
    const b = rec({ source: 'b', key: '1', names: [{ value: 'Lee Siuming' }], identifiers: [{ scheme: 'phone', value: '98765432' }] });
    const [s] = mergeRecords([a, b]);
    expect(s?.records).toHaveLength(2);
    expect(s?.records[1]?.linkedBy[0]).toMatchObject({
      with: 'a:1',
      rule: 'match',
      evidence: [
        { field: 'surname', comparison: 'exact', detail: 'surname LEE equal, common: 5 % share it' },
        { field: 'given', comparison: 'exact', detail: 'given name Siu Ming equal' },
        { field: 'dateOfBirth', comparison: 'missing', weight: 0 },
        { field: 'phone', comparison: 'exact', detail: 'phone +85298765432 equal' },
      ],
    });
  });

  it('never joins namesakes whose dates of birth differ, even with a shared phone', () => {
    const a = rec({ source: 'a', key: '1', names: [{ value: 'LEE Siu Ming' }], attributes: { phone: '98765432', dateOfBirth: '1950-01-01' } });
    const b = rec({ source: 'b', key: '1', names: [{ value: 'LEE Siu Ming' }], attributes: { phone: '98765432', dateOfBirth: '1980-01-01' } });
    expect(mergeRecords([a, b])).toHaveLength(2);
  });

  it('never puts two valid HKIDs in one subject, even through a bridging record', () => {
    const x = rec({ source: 'a', key: '1', names: [{ value: 'CHAN Tai Man' }], identifiers: [{ scheme: 'hkid', value: 'A123456(3)' }], attributes: { phone: '91234567' } });
    const y = rec({ source: 'b', key: '1', names: [{ value: 'CHAN Tai Man' }], identifiers: [{ scheme: 'hkid', value: 'CA182361(1)' }], attributes: { phone: '91234567' } });
    const bridge = rec({ source: 'c', key: '1', names: [{ value: 'Chan Taiman' }], attributes: { phone: '91234567' } });
    const subjects = mergeRecords([x, y, bridge]);
    expect(subjects).toHaveLength(2);
    for (const s of subjects) {
      expect(new Set(s.identifiers.filter((i) => i.scheme === 'hkid' && i.valid).map((i) => i.value)).size).toBeLessThanOrEqual(1);
    }
  });

  it('joins companies on BR, old company number and the BR dummy', () => {
    const a = rec({ source: 'a', key: '1', type: 'company', names: [{ value: 'ABC Ltd' }], identifiers: [{ scheme: 'cr', value: 'CR 12345' }] });
    const b = rec({ source: 'b', key: '1', type: 'company', names: [{ value: 'ABC Trading Co' }], identifiers: [{ scheme: 'br', value: 'C0012345' }] });
    expect(mergeRecords([a, b])).toHaveLength(1);
  });

  it('joins companies by distinctive name and address, but not group companies', () => {
    const address = '1 Nathan Road, Kowloon';
    const a = rec({ source: 'a', key: '1', type: 'company', names: [{ value: 'ABC Trading Co Ltd' }], attributes: { address } });
    const b = rec({ source: 'b', key: '1', type: 'company', names: [{ value: 'ABC (HK) Limited' }], attributes: { address: '1 NATHAN RD KOWLOON HK' } });
    const c = rec({ source: 'c', key: '1', type: 'company', names: [{ value: 'ABC Holdings Ltd' }], attributes: { address } });
    const subjects = mergeRecords([a, b, c]);
    expect(subjects.map((s) => s.records.length)).toEqual([2, 1]);
    expect(subjects[0]?.displayName).toBe('ABC Trading Co Ltd');
  });

  it('joins identical Chinese names with an agreeing attribute', () => {
    const a = rec({ source: 'a', key: '1', names: [{ value: '陳大文' }], attributes: { dateOfBirth: '1980-05-01' } });
    const b = rec({ source: 'b', key: '1', names: [{ value: '陳 大文' }], attributes: { dateOfBirth: '19800501' } });
    expect(mergeRecords([a, b])).toHaveLength(1);
  });

  it('de-duplicates links and resolves a name-only target when unambiguous', () => {
    const link = { type: 'associate_of', target: { type: 'person' as const, identifiers: [], name: 'WONG Ka Ming' } };
    const a = rec({ source: 'a', key: '1', names: [{ value: 'LEE Siu Ming' }], identifiers: [{ scheme: 'hkid', value: 'A123456(3)' }], links: [link] });
    const b = rec({ source: 'b', key: '1', names: [{ value: 'LEE Siu Ming' }], identifiers: [{ scheme: 'hkid', value: 'A1234563' }], links: [link] });
    const wong = rec({ source: 'c', key: '1', names: [{ value: 'Wong Kaming' }] });
    const subjects = mergeRecords([a, b, wong]);
    const lee = subjectWith(subjects, 'a', '1');
    expect(lee.links).toEqual([
      { type: 'associate_of', subject: subjectWith(subjects, 'c', '1').id, target: { type: 'person', name: 'WONG Ka Ming', identifiers: [] }, sources: ['a', 'b'] },
    ]);
  });

  it('treats the same source row delivered twice as one record of one subject', () => {
    const a = rec({ source: 'a', key: '1', names: [{ value: 'LEE Siu Ming' }] });
    const subjects = mergeRecords([a, { ...a }]);
    expect(subjects).toHaveLength(1);
    expect(subjects[0]?.records[1]?.linkedBy[0]?.evidence?.[0]?.detail).toBe('same source record a:1');
  });

  it('returns nothing for no records', () => {
    expect(mergeRecords([])).toEqual([]);
  });
});

// Records drawn from a small pool of names, HKIDs (valid and mistyped), dates and phones so that
// merges, conflicts and bridges all happen often.
const HKIDS = ['A123456(3)', 'CA182361(1)', 'A123456(4)', 'C876300(0)', 'Z683365(A)', 'a1234563'];
const NAMES = ['CHAN Tai Man', 'Chan Taiman', '陳大文', 'LEE Siu Ming', 'Tai Man CHAN'];
const DATES = ['1980-05-01', '01/05/1980', '1970-01-01'];
const PHONES = ['91234567', '+852 9123 4567', '98765432'];

const recordArb = fc
  .record({
    source: fc.constantFrom('itd', 'cis', 'rocars'),
    names: fc.subarray(NAMES, { maxLength: 2 }),
    hkids: fc.subarray(HKIDS, { maxLength: 2 }),
    dateOfBirth: fc.option(fc.constantFrom(...DATES), { nil: undefined }),
    phone: fc.option(fc.constantFrom(...PHONES), { nil: undefined }),
  })
  .map(({ source, names, hkids, dateOfBirth, phone }) => ({
    source,
    names: names.map((value) => ({ value })),
    identifiers: hkids.map((value) => ({ scheme: 'hkid', value })),
    attributes: { ...(dateOfBirth ? { dateOfBirth } : {}), ...(phone ? { phone } : {}) },
  }));

const recordsArb = fc
  .array(recordArb, { maxLength: 25 })
  // Keys repeat, so the same source row sometimes arrives twice with different content.
  .map((rs) => rs.map((r, i) => rec({ ...r, key: String(i % 12) })));

describe('mergeRecords: properties', () => {
  it('gives the same answer whatever order the records arrive in', () => {
    fc.assert(
      fc.property(
        recordsArb.chain((records) => fc.tuple(fc.constant(records), fc.shuffledSubarray(records, { minLength: records.length, maxLength: records.length }))),
        ([records, shuffled]) => {
          expect(mergeRecords(shuffled)).toEqual(mergeRecords(records));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never holds two different valid HKIDs in one subject unless one record carried both', () => {
    fc.assert(
      fc.property(recordsArb, (records) => {
        for (const s of mergeRecords(records)) {
          const valid = s.identifiers.filter((i) => i.scheme === 'hkid' && i.valid);
          if (valid.length <= 1) continue;
          // Only a single source record asserting two HKIDs itself can bring two into one subject.
          const carriers = records.filter((r) => s.records.some((x) => x.source === r.source && x.key === r.key));
          const perRecord = carriers.map((r) => new Set(r.identifiers.map((i) => normaliseHkid(i.value)).filter((h) => h?.valid).map((h) => h?.value)));
          expect(perRecord.some((set) => set.size === valid.length)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('explains every record except the first of its subject', () => {
    fc.assert(
      fc.property(recordsArb, (records) => {
        for (const s of mergeRecords(records)) {
          expect(s.records[0]?.linkedBy).toEqual([]);
          for (const r of s.records.slice(1)) expect(r.linkedBy.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 200 },
    );
  });
});
