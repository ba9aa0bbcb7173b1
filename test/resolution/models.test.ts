// Match model estimation (em.ts), versioned storage (store/match-models.ts) and the `cirms model` core.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateDemo } from '../../src/demo/generate.ts';
import { makeHard } from '../../src/demo/hard.ts';
import type { SourceRecord } from '../../src/model/record.ts';
import { estimateModel, withinWilson } from '../../src/resolution/em.ts';
import { resolvePrepared } from '../../src/resolution/engine.ts';
import { demoRecords, truthIndex } from '../../src/resolution/eval/demo-records.ts';
import { measureQuality } from '../../src/resolution/eval/metrics.ts';
import { modelCommand } from '../../src/resolution/model-cli.ts';
import { DEFAULT_MODEL, parseModel, weightsOf, type MatchModel } from '../../src/resolution/model.ts';
import { Normaliser, prepare } from '../../src/resolution/prepare.ts';
import { compare } from '../../src/resolution/util.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import {
  activateModel,
  activeModel,
  ActiveModelCache,
  activeVersion,
  deactivateModels,
  getModel,
  listModels,
  saveModel,
} from '../../src/store/match-models.ts';
import { migrate } from '../../src/store/migrate.ts';

// --- a small crafted estate: people seen by several sources, with slips and gaps.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}
const SURNAMES = ['CHAN', 'WONG', 'LEE', 'CHEUNG', 'LAU', 'NG', 'HO', 'LAM', 'LEUNG', 'YIP', 'KWOK', 'TSANG', 'FUNG', 'MAK', 'SO', 'TANG'];
const SYLLABLES = ['TAI', 'MAN', 'SIU', 'MING', 'WAI', 'KIN', 'CHI', 'HING', 'YAN', 'KWAN', 'FAI', 'LOK', 'SHING', 'YEE', 'WING', 'PING', 'HO', 'KA'];
const STREETS = ['NATHAN ROAD', 'QUEEN S ROAD CENTRAL', 'HENNESSY ROAD', 'CASTLE PEAK ROAD', 'SHA TIN ROAD', 'CANTON ROAD'];

function craftedRecords(subjects: number, seed = 7): { records: SourceRecord[]; truth: Map<string, string> } {
  const r = rng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const records: SourceRecord[] = [];
  const truth = new Map<string, string>();
  for (let s = 0; s < subjects; s++) {
    const surname = pick(SURNAMES);
    const given = `${pick(SYLLABLES)} ${pick(SYLLABLES)}`;
    const dob = `19${50 + Math.floor(r() * 45)}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`;
    const phone = `9${String(Math.floor(r() * 1e7)).padStart(7, '0')}`;
    const address = `FLAT ${1 + Math.floor(r() * 30)}${pick(['A', 'B', 'C'])} ${1 + Math.floor(r() * 400)} ${pick(STREETS)}`;
    const copies = 2 + Math.floor(r() * 3);
    for (let c = 0; c < copies; c++) {
      const attributes: Record<string, string> = {};
      if (r() < 0.85) attributes.dateOfBirth = dob;
      if (r() < 0.6) attributes.phone = phone;
      if (r() < 0.6) attributes.address = r() < 0.15 ? `FLAT 9Z ${1 + Math.floor(r() * 400)} ${pick(STREETS)}` : address;
      const key = `P${s}-${c}`;
      const source = ['itd', 'cis', 'rocars'][c % 3] as string;
      records.push({ source, key, type: 'person', names: [{ value: `${surname} ${given}`, script: 'latin' }], identifiers: [], attributes, links: [], level: 0, cases: [], fields: {} });
      truth.set(`${source}:${key}`, `S${s}`);
    }
  }
  return { records, truth };
}

function prepareAll(records: SourceRecord[]) {
  const normaliser = new Normaliser();
  return records.map((x) => prepare(x, normaliser)).sort((a, b) => compare(a.ref, b.ref));
}

describe('EM estimation', () => {
  it('recovers m above u for agreement and u above m for disagreement on a crafted estate', () => {
    const prepared = prepareAll(craftedRecords(400).records);
    const est = estimateModel(prepared, { randomPairs: 20_000, seed: 3 });
    const model = parseModel(est.model);
    for (const f of ['given', 'dateOfBirth', 'phone', 'address'] as const) {
      const p = model.fields[f];
      expect(p.exact.m, `${f} exact`).toBeGreaterThan(p.exact.u);
      expect(p.different.u, `${f} different`).toBeGreaterThan(p.different.m);
    }
    const w = weightsOf(model).w;
    for (const f of ['surname', 'given', 'dateOfBirth', 'phone', 'address'] as const) {
      expect(w[f].exact, f).toBeGreaterThan(0);
      expect(w[f].different, f).toBeLessThan(0);
    }
    // Given-name agreement is rare by chance: its u comes from the random pairs, far below its m.
    expect(model.fields.given.exact.u).toBeLessThan(0.05);
    expect(est.byType.map((t) => t.type)).toEqual(['person', 'company']);
    expect(est.byType[0]?.pairs).toBeGreaterThan(100);
    expect(est.converged).toBe(true);
    // A new version string, thresholds and identifier parameters kept.
    expect(model.version).toMatch(/^em-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}$/);
    expect(model.thresholds).toEqual(DEFAULT_MODEL.thresholds);
    expect(model.fields.hkid).toEqual(DEFAULT_MODEL.fields.hkid);
  });

  it('is deterministic for a seed', () => {
    const prepared = prepareAll(craftedRecords(150).records);
    const a = estimateModel(prepared, { randomPairs: 5_000, seed: 9 });
    const b = estimateModel(prepared, { randomPairs: 5_000, seed: 9 });
    expect(a.model.fields).toEqual(b.model.fields);
  });

  it('keeps the start value of parameters the data cannot tell apart from it', () => {
    // Chance agreement on a company name is never seen in a few thousand random pairs.
    expect(withinWilson(0, 10_000, 5e-7)).toBe(true);
    expect(withinWilson(0.5, 10_000, 0.1)).toBe(false);
    const prepared = prepareAll(craftedRecords(150).records);
    const est = estimateModel(prepared, { randomPairs: 5_000, seed: 1 });
    // No company in the estate: every company-name parameter is the default's.
    expect(est.model.fields.companyName).toEqual(DEFAULT_MODEL.fields.companyName);
    expect(est.pinned).toContain('companyName.exact.m');
    // Term-frequency adjusted exact agreement keeps its u.
    expect(est.model.fields.surname.exact.u).toBe(DEFAULT_MODEL.fields.surname.exact.u);
  });

  it('on a small hard demo estate, the estimated model keeps precision and recall near the defaults', () => {
    const seed = 2016;
    const data = makeHard(generateDemo({ traders: 300, seed }), { seed });
    const truth = truthIndex(data);
    const prepared = prepareAll([...demoRecords(data)]);
    const labels = prepared.map((p) => truth.get(p.ref) ?? `?${p.ref}`);
    const quality = (model: MatchModel) => measureQuality(resolvePrepared(prepared, { model, possibles: false, explain: false }).root, labels).pairwise;
    const base = quality(DEFAULT_MODEL);
    const est = quality(estimateModel(prepared, { randomPairs: 50_000 }).model);
    expect(est.precision).toBeGreaterThanOrEqual(0.995);
    expect(est.recall).toBeGreaterThanOrEqual(base.recall - 0.02);
  });
});

describe('stored match models', () => {
  let db: Db;
  beforeEach(async () => {
    db = await openDb('memory:');
    await migrate(db);
  });
  afterEach(async () => {
    await db.close();
  });

  const variant = (version: string, link: number): MatchModel => ({ ...structuredClone(DEFAULT_MODEL), version, thresholds: { link, possible: 10 } });

  it('saves drafts, lists newest first, activates one at a time', async () => {
    expect(await activeModel(db)).toBeUndefined();
    const a = await saveModel(db, { model: variant('em-a', 18), source: 'EM over test records', by: 'tester' });
    const b = await saveModel(db, { model: variant('em-b', 19), source: 'by hand', metrics: { pairwise: { precision: 1 } }, by: 'tester' });
    expect(a.status).toBe('draft');
    expect(b.version).toBeGreaterThan(a.version);
    expect((await listModels(db)).map((v) => v.model.version)).toEqual(['em-b', 'em-a']);
    expect((await getModel(db, b.version))?.metrics).toEqual({ pairwise: { precision: 1 } });
    expect(await getModel(db, 999)).toBeUndefined();
    expect(await activeModel(db)).toBeUndefined();

    await activateModel(db, a.version);
    expect((await activeModel(db))?.version).toBe('em-a');
    const activated = await activateModel(db, b.version);
    expect(activated.status).toBe('active');
    expect(activated.activatedAt).toBeDefined();
    expect((await activeModel(db))?.thresholds.link).toBe(19);
    expect((await getModel(db, a.version))?.status).toBe('retired');
    // A rollback: the retired version again.
    await activateModel(db, a.version);
    expect((await activeVersion(db))?.version).toBe(a.version);
    expect((await listModels(db)).filter((v) => v.status === 'active')).toHaveLength(1);

    expect((await deactivateModels(db))?.version).toBe(a.version);
    expect(await activeModel(db)).toBeUndefined();
  });

  it('refuses malformed models and unknown versions', async () => {
    await expect(saveModel(db, { model: { ...DEFAULT_MODEL, thresholds: { link: 5, possible: 10 } }, source: 'x', by: 't' })).rejects.toThrow(/threshold/);
    await expect(activateModel(db, 42)).rejects.toThrow(/does not exist/);
    // The database itself allows one active version only.
    const a = await saveModel(db, { model: variant('a', 18), source: 'x', by: 't' });
    const b = await saveModel(db, { model: variant('b', 18), source: 'x', by: 't' });
    await db.query(`UPDATE match_models SET status = 'active' WHERE version = $1`, [a.version]);
    await expect(db.query(`UPDATE match_models SET status = 'active' WHERE version = $1`, [b.version])).rejects.toThrow();
  });

  it('the cache reads the active model at most once per period', async () => {
    let now = 0;
    const cache = new ActiveModelCache(db, { maxAgeMs: 1000, now: () => now });
    expect(await cache.get()).toBeUndefined();
    const a = await saveModel(db, { model: variant('em-a', 18), source: 'x', by: 't' });
    await activateModel(db, a.version);
    now = 500;
    expect(await cache.get()).toBeUndefined();
    now = 1500;
    expect((await cache.get())?.version).toBe('em-a');
    await deactivateModels(db);
    cache.invalidate();
    expect(await cache.get()).toBeUndefined();
  });
});

describe('cirms model (core)', () => {
  let db: Db;
  beforeEach(async () => {
    db = await openDb('memory:');
    await migrate(db);
  });
  afterEach(async () => {
    await db.close();
  });

  it('estimates from an NDJSON file, saves a draft, lists and activates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cirms-model-'));
    const file = join(dir, 'records.ndjson');
    writeFileSync(file, craftedRecords(200).records.map((r) => JSON.stringify(r)).join('\n') + '\nnot json\n');
    const lines: string[] = [];
    const out = (l: string) => lines.push(l);

    expect(await modelCommand(db, 'estimate', { in: file, randomPairs: 5_000, by: 'tester', out })).toBe(0);
    const text = lines.join('\n');
    expect(text).toMatch(/1 lines not records/);
    expect(text).toMatch(/model em-/);
    expect(text).toMatch(/against the model in use \(default-1\)/);
    expect(text).toMatch(/saved as version 1 \(draft\)/);
    const [saved] = await listModels(db);
    expect(saved?.status).toBe('draft');
    expect(saved?.createdBy).toBe('tester');
    expect(saved?.metrics?.againstModelInUse).toMatchObject({ model: 'default-1' });
    expect(await activeModel(db)).toBeUndefined();

    lines.length = 0;
    expect(await modelCommand(db, 'list', { out })).toBe(0);
    expect(lines[0]).toMatch(/no active version/);
    expect(lines[1]).toMatch(/^\s+1 draft/);

    lines.length = 0;
    expect(await modelCommand(db, 'activate', { version: '1', out })).toBe(0);
    expect((await activeModel(db))?.version).toBe(saved?.model.version);

    // --activate: a second version becomes active and the first is retired.
    lines.length = 0;
    expect(await modelCommand(db, 'estimate', { in: file, randomPairs: 5_000, seed: 2, activate: true, out })).toBe(0);
    expect(lines.join('\n')).toMatch(/activated version 2; retired version 1/);
    expect((await getModel(db, 1))?.status).toBe('retired');

    lines.length = 0;
    expect(await modelCommand(db, 'activate', { version: 'default', out })).toBe(0);
    expect(lines[0]).toMatch(/retired version 2/);
    expect(await activeModel(db)).toBeUndefined();
  });

  it('returns usage and failure codes', async () => {
    const lines: string[] = [];
    const out = (l: string) => lines.push(l);
    expect(await modelCommand(db, 'estimate', { out })).toBe(2);
    expect(await modelCommand(db, 'activate', { version: 'x', out })).toBe(2);
    expect(await modelCommand(db, 'nonsense', { out })).toBe(2);
    expect(await modelCommand(db, 'activate', { version: '7', out })).toBe(1);
    expect(lines.at(-1)).toMatch(/version 7 does not exist/);
    expect(await modelCommand(db, 'estimate', { in: '/nonexistent/records.ndjson', out })).toBe(1);
  });
});
