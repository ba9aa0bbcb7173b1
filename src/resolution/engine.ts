// The entity-resolution engine, the same online (one search's records, mergeRecords) and in batch
// (a whole legacy database, batch.ts): prepared records in, clusters with explained links and possible
// matches out. Pure code, no I/O.
//
//   1. collapse records with identical comparable content (the same ROCARS driver form on every
//      consignment, every report on one CIS entity) to one representative;
//   2. block: candidate pairs from cheap keys (blocking.ts);
//   3. compare: per-field weights, hard constraints and vetoes (compare.ts);
//   4. cluster: officers' confirmations, then valid strong identifiers, then the rest by descending
//      score. A join is refused when it would put two different valid HKIDs/BRs together, when an
//      officer rejected a pair across it, or — for a join not made by an identifier — when some record
//      on one side is clearly a different subject from some record on the other (dates of birth that
//      disagree, unrelated names): no chaining of two people through one weak middle record;
//   5. pairs scoring between the thresholds, and links refused, become possible matches between
//      subjects, for an officer to judge; never merged.
//
// Input must be in canonical order (mergeRecords sorts by source, key), so results never depend on the
// order sources answered in.

import type { LinkEvidence } from '../model/subject.ts';
import type { Edge } from './assemble.ts';
import { blockPairs, type BlockStats } from './blocking.ts';
import { clearlyDifferent, comparePair, identifiedApart, type CompareContext, type Comparison, type TermFrequencies } from './compare.ts';
import { measureFrequencies } from './frequencies.ts';
import { DEFAULT_WEIGHTS, weightsOf, type MatchModel, type Weights } from './model.ts';
import { closeDate } from './compare.ts';
import type { Prepared, StrongId } from './prepare.ts';

/** An officer's judgement on two records (`source:key`), which the engine obeys. */
export interface Decision {
  a: string;
  b: string;
  decision: 'confirm' | 'reject';
  /** Who decided and when, quoted in the explanation. */
  by?: string;
  at?: string;
}

export interface EngineOptions {
  model?: MatchModel;
  decisions?: readonly Decision[];
  /** Blocks larger than this are skipped (default 100). */
  maxBlock?: number;
  /** Measured on the input when not given. */
  termFrequencies?: TermFrequencies;
  /** Cross pairs sampled when checking a join for chaining (default 64). */
  chainPairs?: number;
  /** Collect possible matches (default true). */
  possibles?: boolean;
  /** Build evidence for links (default true); batch explains when it writes instead. */
  explain?: boolean;
  /** Called now and then during long runs. */
  progress?: (stage: string, done: number, total: number) => void;
}

/** Two records of different subjects that look alike: for an officer to judge, never merged. */
export interface PossibleMatch {
  a: number;
  b: number;
  score: number;
  evidence: LinkEvidence[];
  /** Why a link scoring above the threshold was not made (a veto, a hard constraint, a rejection). */
  refused?: string;
}

export interface Resolution {
  /** Cluster root per record position; records with equal roots are one subject. */
  root: Int32Array;
  /** The term frequencies used (measured on the input unless given). */
  termFrequencies: TermFrequencies;
  edges: Edge[];
  possible: PossibleMatch[];
  stats: BlockStats & { representatives: number; compared: number; links: number; refused: number };
}

const CONFIRMED = 4;
const STRONG = 1;
const VETO = 2;
const HARD = 8;

export function resolvePrepared(prepared: readonly Prepared[], options: EngineOptions = {}): Resolution {
  const weights: Weights = options.model ? weightsOf(options.model) : DEFAULT_WEIGHTS;
  const { link: linkAt, possible: possibleAt } = weights.model.thresholds;
  const tf = options.termFrequencies ?? measureFrequencies(prepared);
  const ctx: CompareContext = { weights, tf };
  const n = prepared.length;
  const decisions = indexDecisions(prepared, options.decisions ?? []);

  // --- 1. representatives: first record of each signature (records named in a decision stand alone).
  const repOf = new Int32Array(n);
  const reps: number[] = [];
  {
    const bySignature = new Map<string, number>();
    const named = decisions.named.size > 0;
    for (let i = 0; i < n; i++) {
      const p = prepared[i] as Prepared;
      const sig = named && decisions.named.has(i) ? `${p.signature}\u0003${i}` : p.signature;
      const rep = bySignature.get(sig);
      if (rep === undefined) {
        bySignature.set(sig, i);
        repOf[i] = i;
        reps.push(i);
      } else repOf[i] = rep;
    }
  }
  const repRecords = reps.map((i) => prepared[i] as Prepared);

  // --- 2. blocking over representatives.
  const { pairs, stats } = blockPairs(repRecords, options.maxBlock ?? 100);
  const r = reps.length;

  // --- 3. compare. Only pairs that may link or be possible are kept.
  const capacity = pairs.length + decisions.confirmed.length;
  const ea = new Int32Array(capacity);
  const eb = new Int32Array(capacity);
  const es = new Float64Array(capacity);
  const ef = new Uint8Array(capacity);
  let kept = 0;
  for (let k = 0; k < pairs.length; k++) {
    const packed = pairs[k] ?? 0;
    const x = reps[Math.floor(packed / r)] as number;
    const y = reps[packed % r] as number;
    const px = prepared[x] as Prepared;
    const py = prepared[y] as Prepared;
    if (px.type !== py.type || identifiedApart(px, py)) continue;
    const c = comparePair(px, py, ctx, false, false);
    const flags = (c.strongMatch ? STRONG : 0) | (c.veto ? VETO : 0) | (c.hard ? HARD : 0);
    if (c.score < possibleAt && !c.strongMatch) continue;
    ea[kept] = x;
    eb[kept] = y;
    es[kept] = c.score;
    ef[kept] = flags;
    kept++;
    if (options.progress && k % 100_000 === 0) options.progress('compare', k, pairs.length);
  }
  // Officers' confirmations and duplicate deliveries of one source row are links whatever the score.
  for (const [x, y] of decisions.confirmed) {
    ea[kept] = x;
    eb[kept] = y;
    es[kept] = Infinity;
    ef[kept] = CONFIRMED;
    kept++;
  }

  // --- 4. cluster: confirmations, then strong identifiers, then the rest; higher scores first.
  const rank = new Uint8Array(kept);
  const order: number[] = new Array(kept);
  for (let k = 0; k < kept; k++) {
    const f = ef[k] as number;
    rank[k] = f & CONFIRMED ? 0 : f & STRONG && !(f & HARD) ? 1 : 2;
    order[k] = k;
  }
  order.sort((p, q) => (rank[p] as number) - (rank[q] as number) || (es[q] as number) - (es[p] as number) || (ea[p] as number) - (ea[q] as number) || (eb[p] as number) - (eb[q] as number));

  const clusters = new Clusters(prepared, decisions.rejected);
  const edges: Edge[] = [];
  const refusedLinks: { k: number; why: string }[] = [];
  const chainPairs = options.chainPairs ?? 64;
  const cache = new Map<number, string | undefined>();
  const differentCached = (i: number, j: number): string | undefined => {
    const key = i < j ? i * n + j : j * n + i;
    if (cache.has(key)) return cache.get(key);
    const why = clearlyDifferent(prepared[i] as Prepared, prepared[j] as Prepared, ctx);
    if (cache.size < 200_000) cache.set(key, why);
    return why;
  };

  for (const k of order) {
    const x = ea[k] as number;
    const y = eb[k] as number;
    const flags = ef[k] as number;
    const score = es[k] as number;
    const confirmed = (flags & CONFIRMED) !== 0;
    const strong = (flags & STRONG) !== 0 && (flags & HARD) === 0;
    if (!confirmed && !strong && (score < linkAt || flags & (VETO | HARD))) {
      if (score >= linkAt) refusedLinks.push({ k, why: flags & HARD ? 'two different valid identifiers' : 'clearly different on another field' });
      continue;
    }
    if (clusters.find(x) === clusters.find(y)) continue;
    const why = clusters.refusal(x, y, !confirmed && !strong, chainPairs, differentCached);
    if (why) {
      refusedLinks.push({ k, why });
      continue;
    }
    clusters.union(x, y);
    edges.push(options.explain === false ? { a: x, b: y, rule: strong ? 'identifier' : confirmed ? 'decision' : 'match', score: confirmed ? 0 : score, evidence: [] } : explainEdge(prepared, x, y, confirmed, decisions, ctx));
  }

  // Records collapsed into a representative follow it, linked by their identical content.
  const selfCache = new Map<number, Comparison>();
  for (let i = 0; i < n; i++) {
    const rep = repOf[i] as number;
    if (rep === i) continue;
    let self = selfCache.get(rep);
    if (!self) selfCache.set(rep, (self = comparePair(prepared[rep] as Prepared, prepared[rep] as Prepared, ctx, options.explain !== false)));
    if (!(self.strongMatch || (self.score >= linkAt && !self.veto))) continue;
    if (clusters.refusal(rep, i, false, 0, differentCached)) continue;
    clusters.union(rep, i);
    const evidence = options.explain === false ? [] : [...self.evidence, { field: 'record', comparison: 'exact' as const, weight: 0, detail: `same content as ${(prepared[rep] as Prepared).ref}` }];
    edges.push({ a: rep, b: i, rule: self.strongMatch ? 'identifier' : 'match', score: self.score, evidence });
  }

  const root = new Int32Array(n);
  for (let i = 0; i < n; i++) root[i] = clusters.find(i);

  // --- 5. possible matches: best pair per pair of subjects, not rejected by an officer.
  const possible: PossibleMatch[] = [];
  if (options.possibles !== false) {
    const refusedWhy = new Map<number, string>(refusedLinks.map(({ k, why }) => [k, why]));
    const best = new Map<number, number>();
    for (const k of order) {
      if ((ef[k] ?? 0) & CONFIRMED) continue;
      const x = ea[k] as number;
      const y = eb[k] as number;
      const rx = root[x] as number;
      const ry = root[y] as number;
      if (rx === ry || ((ef[k] ?? 0) & HARD) !== 0 || decisions.isRejected(x, y)) continue;
      const key = rx < ry ? rx * n + ry : ry * n + rx;
      if (!best.has(key)) best.set(key, k);
    }
    for (const k of best.values()) {
      const x = ea[k] as number;
      const y = eb[k] as number;
      const c = comparePair(prepared[x] as Prepared, prepared[y] as Prepared, ctx, options.explain !== false);
      const why = refusedWhy.get(k) ?? (c.veto ? `clearly different: ${c.veto}` : undefined);
      possible.push({ a: x, b: y, score: c.score, evidence: c.evidence, ...(why ? { refused: why } : {}) });
    }
    possible.sort((p, q) => q.score - p.score || p.a - q.a || p.b - q.b);
  }

  return {
    root,
    termFrequencies: tf,
    edges,
    possible,
    stats: { ...stats, representatives: r, compared: pairs.length, links: edges.length, refused: refusedLinks.length },
  };
}

/** The evidence of a link made without explanation (EngineOptions.explain false), worked out later. */
export function explainLink(prepared: readonly Prepared[], edge: Edge, options: Pick<EngineOptions, 'model' | 'termFrequencies' | 'decisions'>, tf: TermFrequencies): Edge {
  const weights = options.model ? weightsOf(options.model) : DEFAULT_WEIGHTS;
  const ctx: CompareContext = { weights, tf: options.termFrequencies ?? tf };
  const px = prepared[edge.a] as Prepared;
  const py = prepared[edge.b] as Prepared;
  if (px.signature === py.signature && px.ref !== py.ref) {
    const self = comparePair(px, px, ctx, true);
    return { ...edge, score: self.score, evidence: [...self.evidence, { field: 'record', comparison: 'exact', weight: 0, detail: `same content as ${px.ref}` }] };
  }
  const decided = (options.decisions ?? []).find((d) => (d.a === px.ref && d.b === py.ref) || (d.a === py.ref && d.b === px.ref));
  const c = comparePair(px, py, ctx, true);
  if (decided?.decision === 'confirm') {
    const detail = `confirmed by an officer${decided.by ? ` (${decided.by}${decided.at ? `, ${decided.at}` : ''})` : ''}: linked whatever the score`;
    return { ...edge, rule: c.strongMatch ? 'identifier' : 'decision', score: c.score, evidence: [...c.evidence, { field: 'decision', comparison: 'exact', weight: 0, detail }] };
  }
  if (px.ref === py.ref) return { ...edge, score: c.score, evidence: [{ field: 'record', comparison: 'exact', weight: 0, detail: `same source record ${px.ref}` }, ...c.evidence] };
  return { ...edge, rule: c.strongMatch ? 'identifier' : 'match', score: c.score, evidence: c.evidence };
}

function explainEdge(prepared: readonly Prepared[], x: number, y: number, confirmed: boolean, decisions: DecisionIndex, ctx: CompareContext): Edge {
  const px = prepared[x] as Prepared;
  const py = prepared[y] as Prepared;
  const c = comparePair(px, py, ctx, true);
  if (!confirmed) return { a: x, b: y, rule: c.strongMatch ? 'identifier' : 'match', score: c.score, evidence: c.evidence };
  const d = decisions.decisionFor(x, y);
  const detail = d
    ? `confirmed by an officer${d.by ? ` (${d.by}${d.at ? `, ${d.at}` : ''})` : ''}: linked whatever the score`
    : `same source record ${px.ref}`;
  const evidence = d ? [...c.evidence, { field: 'decision', comparison: 'exact' as const, weight: 0, detail }] : [{ field: 'record', comparison: 'exact' as const, weight: 0, detail }, ...c.evidence];
  return { a: x, b: y, rule: c.strongMatch || !d ? 'identifier' : 'decision', score: c.score, evidence };
}

// ---------------------------------------------------------------------------------------------------

interface DecisionIndex {
  named: Set<number>;
  confirmed: [number, number][];
  rejected: Map<number, number[]>;
  isRejected(x: number, y: number): boolean;
  decisionFor(x: number, y: number): Decision | undefined;
}

const NO_DECISIONS: Pick<DecisionIndex, 'named' | 'rejected' | 'isRejected' | 'decisionFor'> = {
  named: new Set(),
  rejected: new Map(),
  isRejected: () => false,
  decisionFor: () => undefined,
};

/** True when records are in (source, key) order, so duplicates of one source row are adjacent. */
function inSourceKeyOrder(prepared: readonly Prepared[]): boolean {
  for (let i = 1; i < prepared.length; i++) {
    const x = (prepared[i - 1] as Prepared).record;
    const y = (prepared[i] as Prepared).record;
    if (x.source > y.source || (x.source === y.source && x.key > y.key)) return false;
  }
  return true;
}

function indexDecisions(prepared: readonly Prepared[], decisions: readonly Decision[]): DecisionIndex {
  if (decisions.length === 0 && inSourceKeyOrder(prepared)) {
    // The usual online case: no decisions, canonical order. The same source row delivered twice is
    // one record (an implicit confirmation); its deliveries are neighbours.
    const confirmed: [number, number][] = [];
    let first = 0;
    for (let i = 1; i < prepared.length; i++) {
      const x = (prepared[first] as Prepared).record;
      const y = (prepared[i] as Prepared).record;
      if (x.source === y.source && x.key === y.key) confirmed.push([first, i]);
      else first = i;
    }
    return { ...NO_DECISIONS, confirmed };
  }
  const positions = new Map<string, number[]>();
  prepared.forEach((p, i) => {
    const list = positions.get(p.ref);
    if (list) list.push(i);
    else positions.set(p.ref, [i]);
  });
  const named = new Set<number>();
  const confirmed: [number, number][] = [];
  const rejected = new Map<number, number[]>();
  const byPair = new Map<string, Decision>();
  const pairKey = (x: number, y: number) => (x < y ? `${x}:${y}` : `${y}:${x}`);
  // The same source row delivered twice is one record: an implicit confirmation.
  for (const list of positions.values()) for (let k = 1; k < list.length; k++) confirmed.push([list[0] as number, list[k] as number]);
  // Later decisions on the same pair override earlier ones.
  for (const d of decisions) {
    for (const x of positions.get(d.a) ?? []) {
      for (const y of positions.get(d.b) ?? []) {
        if (x === y) continue;
        byPair.set(pairKey(x, y), d);
      }
    }
  }
  for (const [key, d] of byPair) {
    const [x, y] = key.split(':').map(Number) as [number, number];
    named.add(x);
    named.add(y);
    if (d.decision === 'confirm') confirmed.push([x, y]);
    else {
      (rejected.get(x) ?? rejected.set(x, []).get(x))?.push(y);
      (rejected.get(y) ?? rejected.set(y, []).get(y))?.push(x);
    }
  }
  return {
    named,
    confirmed,
    rejected,
    isRejected: (x, y) => byPair.size > 0 && byPair.get(pairKey(x, y))?.decision === 'reject',
    decisionFor: (x, y) => (byPair.size > 0 ? byPair.get(pairKey(x, y)) : undefined),
  };
}

/** Namespaces where one subject holds one valid value. */
const isSingleValued = (ns: string): boolean => ns === 'hkid' || ns === 'br' || ns === 'cr';

/**
 * Union-find with member lists and what the constraints need per cluster. A record alone is its own
 * cluster's state (its strong identifiers, its dates of birth); lists are made only when clusters join.
 */
class Clusters {
  private readonly parent: Int32Array;
  private readonly members: (number[] | undefined)[];
  /** Per root of a joined cluster: valid strong identifiers of single-valued namespaces, distinct. */
  private readonly single: (StrongId[] | undefined)[];
  /** Per root of a joined cluster: dates of birth, distinct. */
  private readonly dobs: (string[] | undefined)[];
  private readonly prepared: readonly Prepared[];
  private readonly rejected: Map<number, number[]>;

  constructor(prepared: readonly Prepared[], rejected: Map<number, number[]>) {
    this.prepared = prepared;
    this.rejected = rejected;
    const n = prepared.length;
    this.parent = new Int32Array(n);
    this.members = new Array(n);
    this.single = new Array(n);
    this.dobs = new Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }

  find(i: number): number {
    let root = i;
    while (this.parent[root] !== root) root = this.parent[root] as number;
    for (let x = i; x !== root; ) {
      const next = this.parent[x] as number;
      this.parent[x] = root;
      x = next;
    }
    return root;
  }

  private membersOf(root: number): number[] {
    return this.members[root] ?? [root];
  }

  /** May contain identifiers of other namespaces (a record alone): callers filter. */
  private singleOf(root: number): readonly StrongId[] {
    return this.single[root] ?? (this.prepared[root] as Prepared).strong;
  }

  private dobsOf(root: number): readonly string[] {
    return this.dobs[root] ?? (this.prepared[root] as Prepared).dobs;
  }

  /** Why x's and y's clusters may not be joined, or undefined. */
  refusal(x: number, y: number, weak: boolean, chainPairs: number, different: (i: number, j: number) => string | undefined): string | undefined {
    const rx = this.find(x);
    const ry = this.find(y);
    if (rx === ry) return undefined;
    // Hard constraint: one valid HKID / BR / CR per subject (a record carrying two is its own business).
    const conflict = singleConflict(this.singleOf(rx), this.singleOf(ry));
    if (conflict) return `two different valid ${conflict.toUpperCase()}s`;
    // Officers' rejections across the join.
    if (this.rejected.size > 0) {
      const [small, otherRoot] = this.membersOf(rx).length <= this.membersOf(ry).length ? [this.membersOf(rx), ry] : [this.membersOf(ry), rx];
      for (const m of small) for (const o of this.rejected.get(m) ?? []) if (this.find(o) === otherRoot) return 'rejected by an officer';
    }
    if (!weak) return undefined;
    // No chaining: dates of birth of the two clusters must meet (equal or one slip apart)…
    const dx = this.dobsOf(rx);
    const dy = this.dobsOf(ry);
    if (dx.length > 0 && dy.length > 0) {
      let meet = false;
      for (const a of dx) {
        for (const b of dy) if (a === b || closeDate(a, b)) meet = true;
        if (meet) break;
      }
      if (!meet) return 'dates of birth disagree across the join';
    }
    // …and no sampled record pair across the join may be clearly different.
    const mx = this.membersOf(rx);
    const my = this.membersOf(ry);
    if (mx.length === 1 && my.length === 1) return undefined;
    const side = Math.max(1, Math.floor(Math.sqrt(chainPairs)));
    for (const a of sample(mx, side)) {
      for (const b of sample(my, side)) {
        if ((a === x && b === y) || (a === y && b === x)) continue;
        const why = different(a, b);
        if (why) return `${(this.prepared[a] as Prepared).ref} and ${(this.prepared[b] as Prepared).ref} clearly different: ${why}`;
      }
    }
    return undefined;
  }

  union(x: number, y: number): void {
    const rx = this.find(x);
    const ry = this.find(y);
    if (rx === ry) return;
    // The lower position stays root, so a cluster's root is its first record in canonical order.
    const [root, child] = rx < ry ? [rx, ry] : [ry, rx];
    const keep = this.members[root];
    const add = this.members[child];
    let merged: number[];
    if (!keep && !add) merged = [root, child];
    else if (!keep) {
      // The child's list is the longer one: it becomes the root's, the root's record appended.
      merged = add as number[];
      merged.push(root);
    } else if (!add) {
      merged = keep;
      merged.push(child);
    } else if (keep.length >= add.length) {
      merged = keep;
      for (const m of add) merged.push(m);
    } else {
      merged = [...add];
      for (const m of keep) merged.push(m);
    }
    this.members[root] = merged;
    this.members[child] = undefined;
    this.parent[child] = root;

    // A list of its own once the child brings something the root's record alone does not have.
    const sc = this.singleOf(child);
    if (sc.length > 0) {
      let list = this.single[root];
      if (!list) {
        list = [];
        for (const s of this.singleOf(root)) if (isSingleValued(s.namespace)) addStrong(list, s);
      }
      for (const s of sc) if (isSingleValued(s.namespace)) addStrong(list, s);
      this.single[root] = list;
    }
    const dc = this.dobsOf(child);
    if (dc.length > 0) {
      const list = this.dobs[root] ?? [...this.dobsOf(root)];
      for (const d of dc) if (!list.includes(d)) list.push(d);
      this.dobs[root] = list;
    }
    this.single[child] = undefined;
    this.dobs[child] = undefined;
  }
}

function addStrong(list: StrongId[], s: StrongId): void {
  for (const t of list) if (t.namespace === s.namespace && t.value === s.value) return;
  list.push(s);
}

/**
 * A single-valued namespace where the two clusters' values are not one a subset of the other (two
 * different valid HKIDs), or undefined. Lists are tiny; the first such namespace of `y` is named.
 */
function singleConflict(x: readonly StrongId[], y: readonly StrongId[]): string | undefined {
  if (x.length === 0 || y.length === 0) return undefined;
  for (let k = 0; k < y.length; k++) {
    const ns = (y[k] as StrongId).namespace;
    if (!isSingleValued(ns)) continue;
    // Namespaces in y's first-seen order, each checked once.
    let seen = false;
    for (let q = 0; q < k; q++) if ((y[q] as StrongId).namespace === ns) seen = true;
    if (seen) continue;
    let inX = false;
    let yInX = true;
    for (const b of y) {
      if (b.namespace !== ns) continue;
      let found = false;
      for (const a of x) if (a.namespace === ns && a.value === b.value) found = true;
      if (!found) yInX = false;
    }
    let xInY = true;
    for (const a of x) {
      if (a.namespace !== ns) continue;
      inX = true;
      let found = false;
      for (const b of y) if (b.namespace === ns && b.value === a.value) found = true;
      if (!found) xInY = false;
    }
    if (inX && !yInX && !xInY) return ns;
  }
  return undefined;
}

/** Up to `k` members spread evenly, deterministic. */
function sample(members: number[], k: number): number[] {
  if (members.length <= k) return members;
  const out: number[] = [];
  const step = members.length / k;
  for (let i = 0; i < k; i++) out.push(members[Math.floor(i * step)] as number);
  return out;
}

