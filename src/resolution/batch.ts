// Batch resolution of a whole legacy database with the same engine as online searches:
//   canonical records in (NDJSON, one SourceRecord a line) → one line per record out, in input order:
//   {"source","key","type","cluster","links":[{with, rule, score, evidence}],"possible":[{with, score, refused?}]}
//
// The input is read twice, streaming: once to prepare every record (only the compact comparison
// features are kept — names, identifiers, dates, phones, addresses — never the raw rows, their display
// fields or links), once to write the answer next to each line. Memory grows with the number of
// records (a few hundred bytes each), never with their size; link evidence is worked out line by line
// as it is written. A progress bar goes to stderr when it is a terminal.
//
// The CLI (`cirms resolve --in records.ndjson --out clusters.ndjson`) calls resolveFile.

import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { SourceRecord, SubjectType } from '../model/record.ts';
import type { LinkEvidence, Linkage } from '../model/subject.ts';
import { subjectId, type Edge } from './assemble.ts';
import { explainLink, resolvePrepared, type Decision, type EngineOptions } from './engine.ts';
import type { MatchModel } from './model.ts';
import { Normaliser, prepare, type Prepared } from './prepare.ts';
import { compare } from './util.ts';

/** A link as a batch line states it: the evidence as items (the file is read by programs, not officers). */
type BatchLink = Pick<Linkage, 'with' | 'rule' | 'score'> & { evidence: LinkEvidence[] };

export interface ResolveFileOptions {
  model?: MatchModel;
  decisions?: readonly Decision[];
  strongSchemes?: Partial<Record<SubjectType, readonly string[]>>;
  maxBlock?: number;
  /** Evidence on every link line (default true); false writes scores and rules only, faster. */
  evidence?: boolean;
  /** Progress bar on stderr: true, false, or only when stderr is a terminal (default). */
  progress?: boolean;
}

export interface ResolveFileSummary {
  records: number;
  clusters: number;
  links: number;
  possibleMatches: number;
  /** Lines that were not a record (bad JSON, no source/key/type); they are written back with an error. */
  rejected: number;
  seconds: { prepare: number; resolve: number; write: number };
  modelVersion: string;
}

export async function resolveFile(inPath: string, outPath: string, opts: ResolveFileOptions = {}): Promise<ResolveFileSummary> {
  const bar = new Progress(opts.progress ?? Boolean(process.stderr.isTTY));
  const t0 = performance.now();

  // --- pass 1: prepare. The normaliser is unbounded here (and dropped after this pass) so every
  // spelling is normalised once and shared by all the records that use it.
  let normaliser: Normaliser | undefined = new Normaliser(Number.MAX_SAFE_INTEGER);
  const prepareOptions = opts.strongSchemes ? { strongSchemes: opts.strongSchemes } : {};
  const sources = new Map<string, string>();
  let items: Prepared[] = [];
  let lineToItem = new Int32Array(1 << 16);
  let lineCount = 0;
  let rejected = 0;
  for await (const line of lines(inPath)) {
    if (lineCount === lineToItem.length) {
      const grown = new Int32Array(lineToItem.length * 2);
      grown.set(lineToItem);
      lineToItem = grown;
    }
    const lineNo = ++lineCount;
    if (line.trim() === '') {
      lineToItem[lineNo - 1] = -2;
      continue;
    }
    const record = parseRecord(line);
    if (!record) {
      rejected++;
      lineToItem[lineNo - 1] = -1;
      continue;
    }
    const p = prepare(record, normaliser, prepareOptions);
    slim(p, sources);
    lineToItem[lineNo - 1] = items.length;
    items.push(p);
    if (lineNo % 20_000 === 0) bar.update('reading', lineNo);
  }
  normaliser = undefined;
  sources.clear();
  // Canonical order, as online: the answer does not depend on the order of the file.
  const count = items.length;
  const prepared: Prepared[] = new Array(count);
  const positionOf = new Int32Array(count);
  {
    const order = items.map((_, i) => i).sort((x, y) => compare((items[x] as Prepared).ref, (items[y] as Prepared).ref) || x - y);
    for (let position = 0; position < count; position++) {
      const item = order[position] as number;
      prepared[position] = items[item] as Prepared;
      positionOf[item] = position;
    }
  }
  items = [];
  const t1 = performance.now();

  // --- resolve.
  const engineOptions: EngineOptions = {
    explain: false,
    progress: (stage, done, total) => bar.update(stage, done, total),
    ...(opts.model ? { model: opts.model } : {}),
    ...(opts.decisions ? { decisions: opts.decisions } : {}),
    ...(opts.maxBlock ? { maxBlock: opts.maxBlock } : {}),
  };
  const res = resolvePrepared(prepared, engineOptions);
  const t2 = performance.now();
  const root = res.root;
  const linkCount = res.edges.length;
  const possibleCount = res.possible.length;

  // Cluster ids: the subject id online searches give the same subject. Members are grouped by a
  // counting sort over roots (positions in canonical order), one cluster's list at a time.
  const clusterId = new Map<number, string>();
  {
    const start = new Int32Array(count + 1);
    for (let i = 0; i < count; i++) {
      const at = (root[i] as number) + 1;
      start[at] = (start[at] as number) + 1;
    }
    for (let r = 0; r < count; r++) start[r + 1] = (start[r + 1] as number) + (start[r] as number);
    const fill = start.slice(0, count);
    const byRoot = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const r = root[i] as number;
      const slot = fill[r] as number;
      fill[r] = slot + 1;
      byRoot[slot] = i;
    }
    for (let r = 0; r < count; r++) {
      const from = start[r] as number;
      const to = start[r + 1] as number;
      if (from === to) continue;
      const ps: Prepared[] = new Array(to - from);
      for (let k = from; k < to; k++) ps[k - from] = prepared[byRoot[k] as number] as Prepared;
      clusterId.set(r, subjectId((ps[0] as Prepared).type, ps));
    }
  }

  // Each link is written once, on the record that joined (the later one in canonical order), as
  // online subjects list it on the record it brought in. Edges are kept as columns, indexed by that
  // record (edgeStart[position]..edgeStart[position + 1], in the engine's order).
  const RULES: Linkage['rule'][] = [];
  const edgeA = new Int32Array(linkCount);
  const edgeB = new Int32Array(linkCount);
  const edgeScore = new Float64Array(linkCount);
  const edgeRule = new Uint8Array(linkCount);
  const edgeStart = new Int32Array(count + 1);
  const edgeAt = new Int32Array(linkCount);
  {
    const edges = res.edges;
    for (let k = 0; k < linkCount; k++) {
      const e = edges[k] as Edge;
      const at = Math.max(e.a, e.b) + 1;
      edgeStart[at] = (edgeStart[at] as number) + 1;
    }
    for (let i = 0; i < count; i++) edgeStart[i + 1] = (edgeStart[i + 1] as number) + (edgeStart[i] as number);
    const fill = edgeStart.slice(0, count);
    for (let k = 0; k < linkCount; k++) {
      const e = edges[k] as Edge;
      const at = Math.max(e.a, e.b);
      const slot = fill[at] as number;
      fill[at] = slot + 1;
      edgeAt[slot] = k;
      edgeA[k] = e.a;
      edgeB[k] = e.b;
      edgeScore[k] = e.score;
      let rule = RULES.indexOf(e.rule);
      if (rule < 0) rule = RULES.push(e.rule) - 1;
      edgeRule[k] = rule;
    }
    res.edges = [];
  }
  const possibleOf = new Map<number, { with: string; score: number; refused?: string }[]>();
  for (const m of res.possible) {
    const pa = prepared[m.a] as Prepared;
    const pb = prepared[m.b] as Prepared;
    const extra = m.refused ? { refused: m.refused } : {};
    (possibleOf.get(m.a) ?? possibleOf.set(m.a, []).get(m.a))?.push({ with: pb.ref, score: m.score, ...extra });
    (possibleOf.get(m.b) ?? possibleOf.set(m.b, []).get(m.b))?.push({ with: pa.ref, score: m.score, ...extra });
  }
  res.possible = [];

  // --- pass 2: one answer line per input line.
  const out = createWriteStream(outPath);
  const withEvidence = opts.evidence !== false;
  let written = 0;
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  // Input order is kept: lineToItem says, line by line, which record (or rejection) it was.
  for (let line = 1; line <= lineCount; line++) {
    const item = lineToItem[line - 1] as number;
    if (item === -2) continue;
    if (item === -1) {
      await write(JSON.stringify({ line, error: 'not a record: needs JSON with source, key and type' }) + '\n');
      continue;
    }
    const position = positionOf[item] as number;
    const p = prepared[position] as Prepared;
    const links: BatchLink[] = [];
    for (let slot = edgeStart[position] as number, end = edgeStart[position + 1] as number; slot < end; slot++) {
      const k = edgeAt[slot] as number;
      const e: Edge = { a: edgeA[k] as number, b: edgeB[k] as number, rule: RULES[edgeRule[k] as number] as Linkage['rule'], score: edgeScore[k] as number, evidence: [] };
      const full = withEvidence ? explainLink(prepared, e, engineOptions, res.termFrequencies) : e;
      const other = prepared[e.a === position ? e.b : e.a] as Prepared;
      links.push({ with: other.ref, rule: full.rule, score: full.score, evidence: full.evidence });
    }
    const answer = {
      source: p.record.source,
      key: p.record.key,
      type: p.type,
      cluster: clusterId.get(root[position] as number),
      links,
      possible: possibleOf.get(position) ?? [],
    };
    await write(JSON.stringify(answer) + '\n');
    if (++written % 20_000 === 0) bar.update('writing', written, count);
  }
  out.end();
  await once(out, 'finish');
  bar.done();
  const t3 = performance.now();
  return {
    records: count,
    clusters: clusterId.size,
    links: linkCount,
    possibleMatches: possibleCount,
    rejected,
    seconds: { prepare: (t1 - t0) / 1000, resolve: (t2 - t1) / 1000, write: (t3 - t2) / 1000 },
    modelVersion: opts.model?.version ?? 'default-1',
  };
}

function lines(path: string): AsyncIterable<string> {
  return createInterface({ input: createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 }), crlfDelay: Infinity });
}

/** A canonical record from one line, or undefined. Missing arrays and maps are read as empty. */
export function parseRecord(line: string): SourceRecord | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  const r = v as Partial<SourceRecord>;
  if (typeof r !== 'object' || r === null || typeof r.source !== 'string' || typeof r.key !== 'string') return undefined;
  if (r.type !== 'person' && r.type !== 'company' && r.type !== 'vehicle') return undefined;
  return {
    source: r.source,
    key: r.key,
    type: r.type,
    names: Array.isArray(r.names) ? r.names.filter((n) => typeof n?.value === 'string') : [],
    identifiers: Array.isArray(r.identifiers) ? r.identifiers.filter((i) => typeof i?.scheme === 'string' && typeof i.value === 'string') : [],
    attributes: typeof r.attributes === 'object' && r.attributes !== null ? r.attributes : {},
    links: [],
    level: typeof r.level === 'number' ? r.level : 0,
    cases: [],
    fields: {},
  };
}

/**
 * Drops what batch never reads again, so a million records fit in memory: the record keeps only its
 * source (one string per source), key, type and level, with shared empty lists.
 */
function slim(p: Prepared, sources: Map<string, string>): void {
  const r = p.record;
  let source = sources.get(r.source);
  if (source === undefined) sources.set(r.source, (source = r.source));
  p.record = { source, key: r.key, type: r.type, names: NONE, identifiers: NONE, attributes: NO_FIELDS, links: NONE, level: r.level, cases: NONE, fields: NO_FIELDS };
  p.attributes = NONE;
  p.identifiers = NONE;
  p.support = EMPTY_SUPPORT;
}
const EMPTY_SUPPORT: Prepared['support'] = new Map();
// Shared by every slimmed record (frozen: nothing may add to them).
const NONE = Object.freeze([]) as unknown as never[];
const NO_FIELDS = Object.freeze({}) as Record<string, never>;

/** A one-line progress bar on stderr, redrawn at most a few times a second. */
class Progress {
  private last = 0;
  private readonly on: boolean;
  constructor(on: boolean) {
    this.on = on;
  }
  update(stage: string, done: number, total?: number): void {
    if (!this.on) return;
    const now = Date.now();
    if (now - this.last < 200) return;
    this.last = now;
    const width = 30;
    const filled = total ? Math.round((width * done) / Math.max(1, total)) : 0;
    const bar = total ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` : '';
    process.stderr.write(`\r${bar}${stage} ${done.toLocaleString('en')}${total ? ` / ${total.toLocaleString('en')}` : ''}   `);
  }
  done(): void {
    if (this.on) process.stderr.write('\r\x1b[K');
  }
}

