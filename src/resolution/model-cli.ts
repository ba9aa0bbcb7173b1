// `npx cirms model …`: versions of the match model, against the hub's store.
//   cirms model estimate --in records.ndjson [--activate]   estimate a model by EM on the file's records
//                                                           (canonical records, one a line, as for
//                                                           `cirms resolve`), save it as a draft version,
//                                                           print its figures; --activate makes it active
//   cirms model list                                        the versions, newest first
//   cirms model activate N                                  make version N the one the hub matches with
//   cirms model activate default                            no stored version: the built-in defaults
//
// Estimating also resolves the file with the model in use (the active version, else the defaults) and
// with the new one, and reports how far their clusterings agree: no labels are needed, and a new model
// that would merge or split many more records shows it before anyone activates it.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { activateModel, activeVersion, deactivateModels, listModels, saveModel, type StoredModel } from '../store/match-models.ts';
import type { Db } from '../store/db.ts';
import { parseRecord } from './batch.ts';
import { estimateModel } from './em.ts';
import { resolvePrepared } from './engine.ts';
import { measureQuality } from './eval/metrics.ts';
import { DEFAULT_MODEL, ESTIMATED_FIELDS, weightsOf, type MatchModel } from './model.ts';
import { Normaliser, prepare, type Prepared } from './prepare.ts';
import { compare } from './util.ts';

export const MODEL_USAGE = 'usage: cirms model estimate --in FILE [--activate] | cirms model list | cirms model activate N|default';

export interface ModelCommandOptions {
  /** `estimate`: the NDJSON file of canonical records. */
  in?: string;
  /** `estimate`: activate the new version straight away. */
  activate?: boolean;
  /** `activate`: the version number, or `default`. */
  version?: string;
  /** `estimate`: resolve the file with the model in use and the new one and compare (default true). */
  compare?: boolean;
  /** Who is acting, recorded on a new version (default `cli:$USER`). */
  by?: string;
  /** EM knobs (tests use small ones). */
  randomPairs?: number;
  seed?: number;
  out?: (line: string) => void;
}

/** Runs a `model` subcommand on an open, migrated store; returns the exit code (0 ok, 1 failed, 2 usage). */
export async function modelCommand(db: Db, command: string | undefined, opts: ModelCommandOptions = {}): Promise<number> {
  const out = opts.out ?? ((line: string) => console.log(line));
  try {
    if (command === 'estimate') return await estimateCommand(db, opts, out);
    if (command === 'list') {
      const versions = await listModels(db);
      if (versions.length === 0) out(`no stored versions: the hub matches with the defaults (${DEFAULT_MODEL.version})`);
      else if (!versions.some((v) => v.status === 'active')) out(`no active version: the hub matches with the defaults (${DEFAULT_MODEL.version})`);
      for (const v of versions) out(describe(v));
      return 0;
    }
    if (command === 'activate') {
      const which = opts.version?.trim();
      if (which === 'default') {
        const was = await deactivateModels(db);
        out(was ? `retired version ${was.version} (${was.model.version}); the hub matches with the defaults (${DEFAULT_MODEL.version})` : `no active version; the hub matches with the defaults (${DEFAULT_MODEL.version})`);
        return 0;
      }
      if (!which || !/^\d+$/.test(which)) {
        out(MODEL_USAGE);
        return 2;
      }
      const before = await activeVersion(db);
      const v = await activateModel(db, Number(which));
      out(`${describe(v)}${before && before.version !== v.version ? `; retired version ${before.version}` : ''}`);
      return 0;
    }
  } catch (err) {
    out(`cirms model ${command}: ${(err as Error).message}`);
    return 1;
  }
  out(MODEL_USAGE);
  return 2;
}

async function estimateCommand(db: Db, opts: ModelCommandOptions, out: (line: string) => void): Promise<number> {
  if (!opts.in) {
    out(MODEL_USAGE);
    return 2;
  }
  const t0 = performance.now();
  const { prepared, rejected } = await readPrepared(opts.in);
  if (prepared.length < 2) {
    out(`${opts.in}: ${prepared.length} records, too few to estimate a model`);
    return 1;
  }
  const t1 = performance.now();
  const est = estimateModel(prepared, {
    start: DEFAULT_MODEL,
    ...(opts.randomPairs !== undefined ? { randomPairs: opts.randomPairs } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
  });
  const t2 = performance.now();
  out(`read ${prepared.length} records from ${opts.in}${rejected ? ` (${rejected} lines not records, skipped)` : ''} in ${((t1 - t0) / 1000).toFixed(1)} s; estimated in ${((t2 - t1) / 1000).toFixed(1)} s`);
  out(`model ${est.model.version}: ${est.model.trainedOn}`);
  for (const t of est.byType) out(`  ${t.type}: ${t.pairs} blocked pairs (${t.hard} apart by identifiers), ${t.randomPairs} random pairs, share of matches ${t.lambda.toFixed(3)}`);
  if (est.pinned.length > 0) out(`  kept from ${DEFAULT_MODEL.version} (not identifiable from this data): ${est.pinned.join(', ')}`);
  out(`  weights in bits, new (${DEFAULT_MODEL.version}): exact / close / different`);
  const w = weightsOf(est.model).w;
  const d = weightsOf(DEFAULT_MODEL).w;
  const b = (x: number) => x.toFixed(1);
  for (const f of ESTIMATED_FIELDS) {
    const hasClose = est.model.fields[f].close !== undefined;
    out(`  ${f.padEnd(12)} ${b(w[f].exact)} (${b(d[f].exact)}) / ${hasClose ? `${b(w[f].close)} (${b(d[f].close)})` : '—'} / ${b(w[f].different)} (${b(d[f].different)})`);
  }

  const active = await activeVersion(db);
  const metrics: Record<string, unknown> = {
    records: prepared.length,
    lambda: Object.fromEntries(est.byType.map((t) => [t.type, round(t.lambda)])),
    iterations: est.iterations,
    converged: est.converged,
    pinned: est.pinned,
  };
  if (opts.compare !== false) {
    const reference: MatchModel = active?.model ?? DEFAULT_MODEL;
    const q = compareClusterings(prepared, est.model, reference);
    metrics.againstModelInUse = { model: reference.version, ...q };
    out(
      `  against the model in use (${reference.version}), on these records: ${pct(q.sharedPairs)} of its linked pairs kept, ` +
        `${pct(q.newPairsShare)} of the new model's linked pairs are new; subjects ${q.subjectsInUse} → ${q.subjectsNew}`,
    );
  }
  const by = opts.by ?? `cli:${process.env.USER ?? 'operator'}`;
  const saved = await saveModel(db, { model: est.model, source: `${est.model.trainedOn}; records from ${opts.in}`, metrics, by });
  out(`saved as version ${saved.version} (draft)`);
  if (opts.activate) {
    const v = await activateModel(db, saved.version);
    out(`activated version ${v.version}${active ? `; retired version ${active.version}` : ''}`);
  } else {
    out(`activate it with: cirms model activate ${saved.version}`);
  }
  return 0;
}

/** How far clustering with `model` agrees with clustering with `reference` (pairwise, over records). */
export function compareClusterings(prepared: readonly Prepared[], model: MatchModel, reference: MatchModel) {
  const a = resolvePrepared(prepared, { model, possibles: false, explain: false });
  const r = resolvePrepared(prepared, { model: reference, possibles: false, explain: false });
  const q = measureQuality(a.root, r.root);
  return {
    /** Share of the reference's linked record pairs the new model also links. */
    sharedPairs: round(q.pairwise.recall),
    /** Share of the new model's linked record pairs the reference does not link. */
    newPairsShare: round(1 - q.pairwise.precision),
    subjectsInUse: q.trueClusters,
    subjectsNew: q.predictedClusters,
  };
}

async function readPrepared(path: string): Promise<{ prepared: Prepared[]; rejected: number }> {
  const normaliser = new Normaliser(50_000);
  const prepared: Prepared[] = [];
  let rejected = 0;
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const record = parseRecord(line);
    if (record) prepared.push(prepare(record, normaliser));
    else rejected++;
  }
  // Canonical order, as the engine expects.
  prepared.sort((x, y) => compare(x.ref, y.ref));
  return { prepared, rejected };
}

function describe(v: StoredModel): string {
  const agreement = (v.metrics?.againstModelInUse ?? undefined) as { model: string; sharedPairs: number; newPairsShare: number } | undefined;
  return (
    `${String(v.version).padStart(3)} ${v.status.padEnd(7)} ${v.model.version} by ${v.createdBy} at ${v.createdAt}` +
    `${v.activatedAt ? `, activated ${v.activatedAt}` : ''} — ${v.source}` +
    (agreement ? ` [vs ${agreement.model}: ${pct(agreement.sharedPairs)} of linked pairs kept, ${pct(agreement.newPairsShare)} new]` : '')
  );
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
