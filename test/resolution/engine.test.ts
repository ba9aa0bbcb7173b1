import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../src/model/record.ts';
import type { Subject } from '../../src/model/subject.ts';
import { resolveFile } from '../../src/resolution/batch.ts';
import { blockingKeys } from '../../src/resolution/blocking.ts';
import { closeDate, comparePair, damerau1, NO_TERM_FREQUENCIES } from '../../src/resolution/compare.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { makeHard } from '../../src/demo/hard.ts';
import { resolvePrepared } from '../../src/resolution/engine.ts';
import { demoRecords, truthIndex } from '../../src/resolution/eval/demo-records.ts';
import { measureQuality } from '../../src/resolution/eval/metrics.ts';
import { mergeRecords, mergeWithMatches } from '../../src/resolution/merge.ts';
import { DEFAULT_MODEL, DEFAULT_WEIGHTS, parseModel } from '../../src/resolution/model.ts';
import { governmentSpellings, readingsOf } from '../../src/resolution/normalise/jyutping.ts';
import { normaliseHkid } from '../../src/resolution/normalise/hkid.ts';
import { sameSurnameFamily, spellsHanSurname } from '../../src/resolution/normalise/surnames.ts';
import { Normaliser, prepare } from '../../src/resolution/prepare.ts';

function rec(partial: Partial<SourceRecord> & Pick<SourceRecord, 'source' | 'key'>): SourceRecord {
  return { type: 'person', names: [], identifiers: [], attributes: {}, links: [], level: 0, cases: [], fields: {}, ...partial };
}
const normaliser = new Normaliser();
const ctx = { weights: DEFAULT_WEIGHTS, tf: NO_TERM_FREQUENCIES };
const cmp = (a: SourceRecord, b: SourceRecord, explain = true) => comparePair(prepare(a, normaliser), prepare(b, normaliser), ctx, explain);
const holder = (subjects: Subject[], ref: string) => subjects.find((s) => s.records.some((r) => `${r.source}:${r.key}` === ref));

describe('Cantonese readings → government romanisation', () => {
  it('maps Jyutping syllables to the spellings clerks use', () => {
    expect(governmentSpellings('can4')).toContain('CHAN');
    expect(governmentSpellings('daai6')).toContain('TAI');
    expect(governmentSpellings('zoeng1')).toEqual(expect.arrayContaining(['CHEUNG', 'TSEUNG']));
    expect(governmentSpellings('jyun4')).toContain('YUEN');
    expect(governmentSpellings('zi2')).toEqual(expect.arrayContaining(['TSZ', 'CHI']));
    expect(governmentSpellings('si1')).toContain('SZE');
    expect(governmentSpellings('gwok3')).toContain('KWOK');
    expect(governmentSpellings('heoi2')).toContain('HUI');
    expect(governmentSpellings('ng4')).toEqual(['NG']);
  });

  it('reads 陳大文 as CHAN Tai Man, polyphones with every reading', () => {
    expect(readingsOf('陳')).toContain('CHAN');
    expect(readingsOf('大')).toContain('TAI');
    expect(readingsOf('文')).toContain('MAN');
    expect(readingsOf('曾')).toEqual(expect.arrayContaining(['TSANG']));
  });

  it('knows surname spelling families and compound surnames', () => {
    expect(sameSurnameFamily('CHAN', 'CHEN')).toBe(true);
    expect(sameSurnameFamily('WONG', 'HUANG')).toBe(true);
    expect(sameSurnameFamily('CHAN', 'WONG')).toBe(false);
    expect(spellsHanSurname('陳', 'CHAN')).toBe(true);
    expect(spellsHanSurname('歐陽', 'AUYEUNG')).toBe(true);
    expect(spellsHanSurname('陳', 'WONG')).toBe(false);
  });
});

describe('comparators', () => {
  it('match 陳大文 with CHAN Tai Man through Cantonese readings', () => {
    const c = cmp(rec({ source: 'a', key: '1', names: [{ value: '陳大文' }] }), rec({ source: 'b', key: '1', names: [{ value: 'Tai-man CHAN' }] }));
    expect(c.evidence.map((e) => [e.field, e.comparison])).toEqual([['surname', 'exact'], ['given', 'exact'], ['dateOfBirth', 'missing']]);
    expect(c.evidence[0]?.detail).toBe('surname 陳 read as CHAN, common: 8 % share it');
    expect(c.evidence[1]?.detail).toBe('given name 大文 read as Tai Man');
  });

  it('reads unmarked given-first names, joined syllables, typos and married names', () => {
    const chan = rec({ source: 'a', key: '1', names: [{ value: 'CHAN Tai Man' }] });
    expect(cmp(chan, rec({ source: 'b', key: '1', names: [{ value: 'TAI MAN CHAN' }] })).evidence[1]?.comparison).toBe('exact');
    expect(cmp(chan, rec({ source: 'b', key: '1', names: [{ value: 'Chan Taiman' }] })).evidence[1]?.comparison).toBe('exact');
    const typo = cmp(chan, rec({ source: 'b', key: '1', names: [{ value: 'CHAN Tia Man' }] }));
    expect(typo.evidence[1]).toMatchObject({ comparison: 'close', detail: 'given name Tai Man ≈ Tia Man: one typing slip apart' });
    // A different real syllable is another name, not a typo.
    expect(cmp(chan, rec({ source: 'b', key: '1', names: [{ value: 'CHAN Tai Wah' }] })).evidence[1]?.comparison).toBe('different');
    const married = cmp(rec({ source: 'a', key: '1', names: [{ value: 'Anson CHAN FANG On-sang' }] }), rec({ source: 'b', key: '1', names: [{ value: 'FANG On Sang' }] }));
    expect(married.evidence.slice(0, 2).map((e) => e.comparison)).toEqual(['exact', 'exact']);
    expect(cmp(rec({ source: 'a', key: '1', names: [{ value: 'CHEN Tai Man' }] }), chan).evidence[0]?.comparison).toBe('close');
  });

  it('weigh a common surname less than a rare one', () => {
    const w = (name: string) => cmp(rec({ source: 'a', key: '1', names: [{ value: name }] }), rec({ source: 'b', key: '1', names: [{ value: name }] })).evidence[0]?.weight ?? 0;
    expect(w('CHAN Tai Man')).toBeLessThan(w('SZETO Tai Man') - 2);
  });

  it('weigh an address shared by many names less', () => {
    const a = rec({ source: 'a', key: '1', type: 'company', names: [{ value: 'ABC Ltd' }], attributes: { address: '1 Des Voeux Road Central, Central' } });
    const b = rec({ source: 'b', key: '1', type: 'company', names: [{ value: 'ABC Ltd' }], attributes: { address: '1 DES VOEUX RD CENTRAL, CENTRAL' } });
    const alone = comparePair(prepare(a, normaliser), prepare(b, normaliser), ctx, true);
    const shared = comparePair(prepare(a, normaliser), prepare(b, normaliser), { weights: DEFAULT_WEIGHTS, tf: { phone: () => 1, address: () => 32 } }, true);
    const weight = (c: typeof alone) => c.evidence.find((e) => e.field === 'address')?.weight ?? 0;
    expect(weight(alone) - weight(shared)).toBeCloseTo(5, 1);
    expect(shared.evidence.find((e) => e.field === 'address')?.detail).toMatch(/shared by 32 different names/);
  });

  it('compare dates: equal, one slip, different', () => {
    expect(closeDate('1980-05-01', '1980-01-05')).toBe(true); // day and month swapped
    expect(closeDate('1980-05-01', '1980-05-02')).toBe(true);
    expect(closeDate('1980-05-01', '1950-05-01')).toBe(false); // a generation apart
    expect(closeDate('1980-05-12', '1980-05-21')).toBe(true); // transposed
    expect(damerau1('TAIMAN', 'TIAMAN')).toBe(true);
    expect(damerau1('TAIMAN', 'TAIWAH')).toBe(false);
  });

  it('flag two valid HKIDs as a hard conflict, a mistyped check character as close', () => {
    const a = rec({ source: 'a', key: '1', identifiers: [{ scheme: 'hkid', value: 'A123456(3)' }] });
    expect(cmp(a, rec({ source: 'b', key: '1', identifiers: [{ scheme: 'hkid', value: 'CA182361(1)' }] })).hard).toMatch(/different valid HKIDs/);
    const slip = cmp(a, rec({ source: 'b', key: '1', identifiers: [{ scheme: 'hkid', value: 'A123456(4)' }] }));
    expect(slip.hard).toBeUndefined();
    expect(slip.evidence[0]?.comparison).toBe('close');
    expect(slip.score).toBeLessThan(DEFAULT_MODEL.thresholds.link);
  });

  it('compare unknown schemes exactly; a declared strong scheme links on its own', () => {
    const a = rec({ source: 'a', key: '1', identifiers: [{ scheme: 'customs_ref', value: ' cr-7 ' }] });
    const b = rec({ source: 'b', key: '1', identifiers: [{ scheme: 'Customs_Ref', value: 'CR-7' }] });
    expect(mergeRecords([a, b])).toHaveLength(2);
    expect(mergeRecords([a, b], { strongSchemes: { person: ['customs_ref'] } })).toHaveLength(1);
  });

  it('accept names as family/given parts and addresses as parts', () => {
    const parts = rec({ source: 'a', key: '1', attributes: { familyName: 'Chan', givenName: 'Tai Man', addressLine1: 'Flat 12A, 8/F, Kwai Chung Plaza', addressLine2: '7 Kwai Foo Road', district: 'Kwai Chung' } });
    const whole = rec({ source: 'b', key: '1', names: [{ value: 'CHAN Tai-man' }], attributes: { address: 'Flat 12A, 8/F, Kwai Chung Plaza, 7 Kwai Foo Road, Kwai Chung, N.T.' } });
    const c = cmp(parts, whole);
    expect(c.evidence.filter((e) => e.comparison === 'exact').map((e) => e.field)).toEqual(['surname', 'given', 'address']);
  });

  it('compare passports with their issuing country', () => {
    const a = rec({ source: 'a', key: '1', identifiers: [{ scheme: 'passport', value: 'CHN:E12345678' }] });
    expect(cmp(a, rec({ source: 'b', key: '1', identifiers: [{ scheme: 'passport', value: 'E12345678 (CHN)' }] })).strongMatch).toBe(true);
    expect(cmp(a, rec({ source: 'b', key: '1', identifiers: [{ scheme: 'passport', value: 'GBR E12345678' }] })).strongMatch).toBe(false);
  });
});

describe('explanations', () => {
  it('add up to the score on every link and possible match', () => {
    const data = makeHard(generateDemo({ traders: 60, seed: 7 }), { seed: 7 });
    const records = [...demoRecords(data)];
    const { subjects, possibleMatches } = mergeWithMatches(records);
    let links = 0;
    for (const s of subjects) {
      for (const r of s.records) {
        for (const l of r.linkedBy) {
          links++;
          expect(l.evidence!.reduce((t, e) => t + e.weight, 0)).toBeCloseTo(l.score, 6);
        }
      }
    }
    for (const list of possibleMatches.values()) for (const m of list) expect(m.evidence!.reduce((t, e) => t + e.weight, 0)).toBeCloseTo(m.score, 6);
    expect(links).toBeGreaterThan(100);
  });
});

describe('clustering', () => {
  it('keeps a name-and-address match below the link threshold apart as a possible match', () => {
    const a = rec({ source: 'a', key: '1', names: [{ value: 'SZETO Ka Ming' }] });
    const b = rec({ source: 'b', key: '1', names: [{ value: 'Szeto Kaming' }] });
    const { subjects, possibleMatches } = mergeWithMatches([a, b]);
    expect(subjects).toHaveLength(2);
    const id = holder(subjects, 'a:1')?.id ?? '';
    expect(possibleMatches.get(id)?.[0]).toMatchObject({ subject: holder(subjects, 'b:1')?.id, record: 'a:1', otherRecord: 'b:1' });
  });

  it('does not chain father and son through a record without a date of birth', () => {
    const address = 'Flat 3B, 33/F, Yick Ah Heights, 4 Fuk Wa Street, Sham Shui Po';
    const father = rec({ source: 'itd', key: 'P1', names: [{ value: 'LEUNG Tin Pui' }], attributes: { dateOfBirth: '1951-09-11', address, phone: '91112222' } });
    const son = rec({ source: 'itd', key: 'P2', names: [{ value: 'LEUNG Tin Pui' }], attributes: { dateOfBirth: '1979-02-03', address } });
    const middle = rec({ source: 'cis', key: 'R1', names: [{ value: 'Leung Tin-pui' }], attributes: { address, phone: '91112222' } });
    const subjects = mergeRecords([father, son, middle]);
    expect(holder(subjects, 'itd:P1')?.id).not.toBe(holder(subjects, 'itd:P2')?.id);
    expect(holder(subjects, 'cis:R1')?.id).toBe(holder(subjects, 'itd:P1')?.id);
  });

  it('obeys officers: a rejection splits, a confirmation joins, and says so', () => {
    const a = rec({ source: 'a', key: '1', names: [{ value: 'LEE Siu Ming' }], attributes: { phone: '98765432' } });
    const b = rec({ source: 'b', key: '1', names: [{ value: 'Lee Siuming' }], attributes: { phone: '98765432' } });
    const c = rec({ source: 'c', key: '1', names: [{ value: 'LEE Siu Ming' }] });
    expect(mergeRecords([a, b])).toHaveLength(1);
    expect(mergeRecords([a, b], { decisions: [{ a: 'b:1', b: 'a:1', decision: 'reject' }] })).toHaveLength(2);
    const confirmed = mergeRecords([a, c], { decisions: [{ a: 'a:1', b: 'c:1', decision: 'confirm', by: 'officer 42' }] });
    expect(confirmed).toHaveLength(1);
    const evidence = confirmed[0]?.records[1]?.linkedBy[0]?.evidence ?? [];
    expect(evidence.at(-1)).toEqual({ field: 'decision', comparison: 'exact', weight: 0, detail: 'confirmed by an officer (officer 42): linked whatever the score' });
    // A rejected pair is not offered again as a possible match.
    const split = mergeWithMatches([a, b], { decisions: [{ a: 'a:1', b: 'b:1', decision: 'reject' }] });
    expect([...split.possibleMatches.values()].flat()).toEqual([]);
  });

  it('never lets an officer confirmation merge two valid HKIDs', () => {
    const a = rec({ source: 'a', key: '1', identifiers: [{ scheme: 'hkid', value: 'A123456(3)' }] });
    const b = rec({ source: 'b', key: '1', identifiers: [{ scheme: 'hkid', value: 'CA182361(1)' }] });
    expect(mergeRecords([a, b], { decisions: [{ a: 'a:1', b: 'b:1', decision: 'confirm' }] })).toHaveLength(2);
  });

  it('blocks on Cantonese readings, so 陳大文 meets CHAN Tai Man without comparing everything', () => {
    const han = prepare(rec({ source: 'a', key: '1', names: [{ value: '陳大文' }] }), normaliser);
    const latin = prepare(rec({ source: 'b', key: '1', names: [{ value: 'CHAN Tai Man' }] }), normaliser);
    const shared = blockingKeys(han).filter((k) => blockingKeys(latin).includes(k));
    expect(shared).toContain('pnCHAN|MAN TAI');
  });
});

// Pools small enough that merges, conflicts and bridges are frequent.
const HKIDS = ['A123456(3)', 'CA182361(1)', 'A123456(4)', 'Z683365(A)'];
const NAMES = ['CHAN Tai Man', 'Chan Taiman', '陳大文', 'TAI MAN CHAN', 'CHAN Tia Man', 'LEE Siu Ming'];
const DATES = ['1980-05-01', '01/05/1980', '1950-05-01', '1980-01-05'];
const PHONES = ['91234567', '98765432'];
const ADDRESSES = ['1 Nathan Road, Kowloon', '1 NATHAN RD'];
const recordsArb = fc
  .array(
    fc.record({
      source: fc.constantFrom('itd', 'cis', 'rocars'),
      names: fc.subarray(NAMES, { maxLength: 2 }),
      hkids: fc.subarray(HKIDS, { maxLength: 1 }),
      dateOfBirth: fc.option(fc.constantFrom(...DATES), { nil: undefined }),
      phone: fc.option(fc.constantFrom(...PHONES), { nil: undefined }),
      address: fc.option(fc.constantFrom(...ADDRESSES), { nil: undefined }),
    }),
    { maxLength: 20 },
  )
  .map((rs) =>
    rs.map((r, i) =>
      rec({
        source: r.source,
        key: String(i),
        names: r.names.map((value) => ({ value })),
        identifiers: r.hkids.map((value) => ({ scheme: 'hkid', value })),
        attributes: { ...(r.dateOfBirth ? { dateOfBirth: r.dateOfBirth } : {}), ...(r.phone ? { phone: r.phone } : {}), ...(r.address ? { address: r.address } : {}) },
      }),
    ),
  );

describe('properties', () => {
  it('input order never changes the answer', () => {
    fc.assert(
      fc.property(recordsArb.chain((rs) => fc.tuple(fc.constant(rs), fc.shuffledSubarray(rs, { minLength: rs.length, maxLength: rs.length }))), ([rs, shuffled]) => {
        expect(mergeWithMatches(shuffled)).toEqual(mergeWithMatches(rs));
      }),
      { numRuns: 200 },
    );
  });

  it('two different valid HKIDs never share a subject; an invalid one never joins on its own', () => {
    fc.assert(
      fc.property(recordsArb, (rs) => {
        for (const s of mergeRecords(rs)) {
          expect(new Set(s.identifiers.filter((i) => i.scheme === 'hkid' && i.valid).map((i) => i.value)).size).toBeLessThanOrEqual(1);
        }
        // Records carrying only the invalid HKID (no name, nothing else) stay alone.
        const bare = rs.map((r) => ({ ...r, names: [], attributes: {}, identifiers: [{ scheme: 'hkid', value: 'A123456(4)' }] }));
        expect(mergeRecords(bare)).toHaveLength(rs.length);
      }),
      { numRuns: 200 },
    );
  });

  it('no subject holds two dates of birth a generation apart unless a valid HKID joined them', () => {
    fc.assert(
      fc.property(recordsArb, (rs) => {
        for (const s of mergeRecords(rs)) {
          const dates = new Set((s.attributes.dateOfBirth ?? []).map((d) => d.value));
          if (dates.has('1950-05-01') && dates.has('1980-05-01')) {
            const hkids = new Set(rs.filter((r) => s.records.some((x) => x.source === r.source && x.key === r.key)).flatMap((r) => r.identifiers.map((i) => normaliseHkid(i.value)).filter((h) => h?.valid).map((h) => h?.value)));
            expect(hkids.size).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('quality on labelled demo data (hard setting)', () => {
  it('links precisely on a small hard estate', () => {
    const data = makeHard(generateDemo({ traders: 200, seed: 11 }), { seed: 11 });
    const truth = truthIndex(data);
    const n = new Normaliser();
    const prepared = [...demoRecords(data)].map((r) => prepare(r, n)).sort((x, y) => (x.ref < y.ref ? -1 : x.ref > y.ref ? 1 : 0));
    const res = resolvePrepared(prepared, { possibles: false });
    const q = measureQuality(res.root, prepared.map((p) => truth.get(p.ref) ?? p.ref));
    expect(q.pairwise.precision).toBeGreaterThan(0.99);
    expect(q.pairwise.recall).toBeGreaterThan(0.95);
  });
});

describe('batch', () => {
  it('resolves a file end to end: one line per record, cluster ids as online, explained links', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cirms-resolve-'));
    const input = join(dir, 'records.ndjson');
    const output = join(dir, 'clusters.ndjson');
    const records = [...demoRecords(generateDemo({ traders: 30, seed: 3 }))];
    writeFileSync(input, records.map((r) => JSON.stringify(r)).join('\n') + '\nnot json\n');
    const summary = await resolveFile(input, output, { progress: false });
    expect(summary).toMatchObject({ records: records.length, rejected: 1 });
    const lines = readFileSync(output, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(records.length + 1);
    expect(lines.at(-1)).toMatchObject({ line: records.length + 1, error: expect.stringMatching(/not a record/) });
    const chan = lines.filter((l) => l.cluster === lines.find((x) => x.source === 'itd' && x.key === 'P1')?.cluster);
    expect(new Set(chan.map((l) => l.source))).toEqual(new Set(['itd', 'cis', 'rocars']));
    // The same cluster id an online search gives the subject.
    const online = mergeRecords(records.filter((r) => r.identifiers.some((i) => i.value.replace(/\W/g, '').toUpperCase() === 'A1234563')));
    expect(chan[0]?.cluster).toBe(online[0]?.id);
    for (const l of lines.slice(0, -1)) for (const link of l.links) expect(link.evidence.reduce((t: number, e: { weight: number }) => t + e.weight, 0)).toBeCloseTo(link.score, 6);
  });
});

describe('model', () => {
  it('validates stored models', () => {
    expect(parseModel(JSON.parse(JSON.stringify(DEFAULT_MODEL)))).toEqual(DEFAULT_MODEL);
    expect(() => parseModel({ ...DEFAULT_MODEL, thresholds: { link: 1, possible: 5 } })).toThrow(/possible threshold/);
  });
});
