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
import type { Prepared } from './prepare.ts';

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
    for (let i = 0; i < n; i++) {
      const p = prepared[i] as Prepared;
      const sig = decisions.named.has(i) ? `${p.signature}\u0003${i}` : p.signature;
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
  const ea: number[] = [];
  const eb: number[] = [];
  const es: number[] = [];
  const ef: number[] = [];
  for (let k = 0; k < pairs.length; k++) {
    const packed = pairs[k] ?? 0;
    const x = reps[Math.floor(packed / r)] as number;
    const y = reps[packed % r] as number;
    const px = prepared[x] as Prepared;
    const py = prepared[y] as Prepared;
    if (px.type !== py.type || identifiedApart(px, py)) continue;
    const c = comparePair(px, py, ctx);
    const flags = (c.strongMatch ? STRONG : 0) | (c.veto ? VETO : 0) | (c.hard ? HARD : 0);
    if (c.score < possibleAt && !c.strongMatch) continue;
    ea.push(x);
    eb.push(y);
    es.push(c.score);
    ef.push(flags);
    if (options.progress && k % 100_000 === 0) options.progress('compare', k, pairs.length);
  }
  // Officers' confirmations and duplicate deliveries of one source row are links whatever the score.
  for (const [x, y] of decisions.confirmed) {
    ea.push(x);
    eb.push(y);
    es.push(Infinity);
    ef.push(CONFIRMED);
  }

  // --- 4. cluster.
  const order = ea.map((_, k) => k);
  const rank = (k: number) => ((ef[k] ?? 0) & CONFIRMED ? 0 : (ef[k] ?? 0) & STRONG && !((ef[k] ?? 0) & HARD) ? 1 : 2);
  order.sort((p, q) => rank(p) - rank(q) || (es[q] ?? 0) - (es[p] ?? 0) || (ea[p] ?? 0) - (ea[q] ?? 0) || (eb[p] ?? 0) - (eb[q] ?? 0));

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
    const best = new Map<string, number>();
    for (const k of order) {
      if ((ef[k] ?? 0) & CONFIRMED) continue;
      const x = ea[k] as number;
      const y = eb[k] as number;
      const rx = root[x] as number;
      const ry = root[y] as number;
      if (rx === ry || decisions.isRejected(x, y) || ((ef[k] ?? 0) & HARD) !== 0) continue;
      const key = rx < ry ? `${rx}:${ry}` : `${ry}:${rx}`;
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

function indexDecisions(prepared: readonly Prepared[], decisions: readonly Decision[]): DecisionIndex {
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
    isRejected: (x, y) => byPair.get(pairKey(x, y))?.decision === 'reject',
    decisionFor: (x, y) => byPair.get(pairKey(x, y)),
  };
}

/** Union-find with member lists and what the constraints need per cluster. */
class Clusters {
  private readonly parent: Int32Array;
  private readonly members: (number[] | undefined)[];
  /** Per root: namespace → valid values of single-valued strong identifiers. */
  private readonly single: (Map<string, Set<string>> | undefined)[];
  private readonly dobs: (Set<string> | undefined)[];
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

  private singleOf(root: number): Map<string, Set<string>> {
    let m = this.single[root];
    if (!m) {
      m = new Map();
      const p = this.prepared[root] as Prepared;
      for (const s of p.strong) if (s.namespace === 'hkid' || s.namespace === 'br' || s.namespace === 'cr') (m.get(s.namespace) ?? m.set(s.namespace, new Set()).get(s.namespace))?.add(s.value);
      this.single[root] = m;
    }
    return m;
  }

  private dobsOf(root: number): Set<string> {
    let d = this.dobs[root];
    if (!d) this.dobs[root] = d = new Set((this.prepared[root] as Prepared).dobs);
    return d;
  }

  /** Why x's and y's clusters may not be joined, or undefined. */
  refusal(x: number, y: number, weak: boolean, chainPairs: number, different: (i: number, j: number) => string | undefined): string | undefined {
    const rx = this.find(x);
    const ry = this.find(y);
    if (rx === ry) return undefined;
    // Hard constraint: one valid HKID / BR / CR per subject (a record carrying two is its own business).
    const sx = this.singleOf(rx);
    const sy = this.singleOf(ry);
    for (const [ns, values] of sy) {
      const existing = sx.get(ns);
      if (existing && !isSubset(values, existing) && !isSubset(existing, values)) return `two different valid ${ns.toUpperCase()}s`;
    }
    // Officers' rejections across the join.
    if (this.rejected.size > 0) {
      const [small, otherRoot] = this.membersOf(rx).length <= this.membersOf(ry).length ? [this.membersOf(rx), ry] : [this.membersOf(ry), rx];
      for (const m of small) for (const o of this.rejected.get(m) ?? []) if (this.find(o) === otherRoot) return 'rejected by an officer';
    }
    if (!weak) return undefined;
    // No chaining: dates of birth of the two clusters must meet (equal or one slip apart)…
    const dx = this.dobsOf(rx);
    const dy = this.dobsOf(ry);
    if (dx.size > 0 && dy.size > 0) {
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
    const mx = this.membersOf(rx);
    const my = this.membersOf(ry);
    // The lower position stays root, so a cluster's root is its first record in canonical order.
    const [root, child] = rx < ry ? [rx, ry] : [ry, rx];
    const [keep, add] = rx < ry ? [mx, my] : [my, mx];
    const merged = keep.length >= add.length ? keep : [...add];
    if (merged === keep) for (const m of add) merged.push(m);
    else for (const m of keep) merged.push(m);
    this.members[root] = merged;
    this.members[child] = undefined;
    this.parent[child] = root;
    const sr = this.singleOf(root);
    for (const [ns, values] of this.singleOf(child)) for (const v of values) (sr.get(ns) ?? sr.set(ns, new Set()).get(ns))?.add(v);
    const dr = this.dobsOf(root);
    for (const d of this.dobsOf(child)) dr.add(d);
    this.single[child] = undefined;
    this.dobs[child] = undefined;
  }
}

/** Up to `k` members spread evenly, deterministic. */
function sample(members: number[], k: number): number[] {
  if (members.length <= k) return members;
  const out: number[] = [];
  const step = members.length / k;
  for (let i = 0; i < k; i++) out.push(members[Math.floor(i * step)] as number);
  return out;
}

function isSubset<T>(a: Set<T>, b: Set<T>): boolean {
  for (const v of a) if (!b.has(v)) return false;
  return true;
}
