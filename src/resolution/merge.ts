// Merging v1: turns one search's SourceRecords into Subjects. Rule-based: a shared valid strong
// identifier joins records; without one, an agreeing name plus an agreeing date of birth, phone or
// address does. Two different valid HKIDs (or BR numbers) never end up in one subject. Every join is
// kept as an edge with its evidence so the subject can explain itself.
//
// Records are processed in a canonical order (source, key), so the result does not depend on the order
// the sources answered in. Candidate pairs come only from Maps keyed by identifier, or by name plus
// attribute (blocking), never from comparing every record with every other.

import type { SourceRecord } from '../model/record.ts';
import type { LinkEvidence, Subject } from '../model/subject.ts';
import { assembleSubject, resolveLinkTargets, type Edge } from './assemble.ts';
import { prepare, sharedNormaliser, SUPPORT_FIELDS, type Prepared, type PreparedName, type SupportField } from './prepare.ts';
import { addTo, compare, pushTo } from './util.ts';

/** Namespaces (see matchKey) in which one subject may hold only one valid value. */
const SINGLE_VALUED = ['hkid', 'br'];

// Indicative weights shown with the evidence; v1 decides by rule, not by summing them.
const SUPPORT_WEIGHT: Record<SupportField, number> = { dateOfBirth: 0.4, phone: 0.4, address: 0.3 };
const NAME_WEIGHT = 0.5;
// The most frequent Hong Kong surnames agree by chance more often, so their agreement says less.
const COMMON_NAME_WEIGHT = 0.3;
const COMMON_SURNAMES = new Set([
  'CHAN', 'WONG', 'LEE', 'LI', 'CHEUNG', 'LAU', 'LAM', 'CHOW', 'LEUNG', 'HO', 'NG', 'TSE', 'YEUNG',
  'LAI', 'TANG', 'CHENG', 'KWOK', 'WU', 'MA', 'CHU',
  '陳', '黃', '李', '張', '劉', '林', '周', '梁', '何', '吳', '謝', '楊', '黎', '鄧', '鄭', '郭', '胡', '馬', '朱',
]);
const LABELS: Record<string, string> = { hkid: 'HKID', br: 'BR', cr: 'CR', vehicle_mark: 'vehicle mark', passport: 'passport' };

export function mergeRecords(records: SourceRecord[]): Subject[] {
  const normaliser = sharedNormaliser;
  const prepared = canonicalOrder(records).map((r) => prepare(r, normaliser));
  const clusters = new Clusters(prepared);
  const edges: Edge[] = [];
  linkByIdentifier(prepared, clusters, edges);
  linkByNameAndAttribute(prepared, clusters, edges);

  const members = new Map<number, Prepared[]>();
  const edgesOf = new Map<number, Edge[]>();
  prepared.forEach((p, i) => pushTo(members, clusters.find(i), p));
  for (const e of edges) pushTo(edgesOf, clusters.find(e.a), e);

  const built = [...members].map(([root, ps]) => assembleSubject(root, ps, edgesOf.get(root) ?? [], prepared, normaliser));
  resolveLinkTargets(built, normaliser);
  return built.map((b) => b.subject).sort((x, y) => y.records.length - x.records.length || compare(x.id, y.id));
}

function canonicalOrder(records: SourceRecord[]): SourceRecord[] {
  // The serialised record only breaks ties between duplicates of one source:key.
  const tie = (r: SourceRecord) => JSON.stringify(r);
  return [...records].sort((x, y) => compare(x.source, y.source) || compare(x.key, y.key) || compare(tie(x), tie(y)));
}

/** Union-find over record positions, carrying what the hard constraint and the birthday veto need. */
class Clusters {
  private readonly parent: number[];
  /** Per root: namespace → valid values, SINGLE_VALUED namespaces only. */
  private readonly single: Map<string, Set<string>>[];
  /** Per root: normalised dates of birth. */
  private readonly births: Set<string>[];

  constructor(prepared: Prepared[]) {
    this.parent = prepared.map((_, i) => i);
    this.single = prepared.map((p) => {
      const m = new Map<string, Set<string>>();
      for (const s of p.strong) if (SINGLE_VALUED.includes(s.namespace)) addTo(m, s.namespace, s.value);
      return m;
    });
    this.births = prepared.map((p) => new Set(p.support.get('dateOfBirth')));
  }

  find(i: number): number {
    let root = i;
    while (this.parent[root] !== root) root = this.parent[root] ?? root;
    for (let n = i; n !== root; ) {
      const next = this.parent[n] ?? root;
      this.parent[n] = root;
      n = next;
    }
    return root;
  }

  /** True when both clusters know dates of birth and none agree. */
  birthsDisagree(a: number, b: number): boolean {
    const x = this.births[this.find(a)];
    const y = this.births[this.find(b)];
    if (!x?.size || !y?.size) return false;
    for (const d of x) if (y.has(d)) return false;
    return true;
  }

  /** Joins the clusters of a and b unless that would put two different valid HKIDs/BRs together. */
  union(a: number, b: number): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return true;
    // The lower position stays root, so a cluster's root is its first record in canonical order.
    const [root, child] = ra < rb ? [ra, rb] : [rb, ra];
    const kept = this.single[root];
    const joining = this.single[child];
    if (!kept || !joining) return false;
    for (const [ns, values] of joining) {
      const existing = kept.get(ns);
      if (existing && !isSubset(values, existing) && !isSubset(existing, values)) return false;
    }
    this.parent[child] = root;
    for (const [ns, values] of joining) for (const v of values) addTo(kept, ns, v);
    for (const d of this.births[child] ?? []) this.births[root]?.add(d);
    return true;
  }
}

function linkByIdentifier(prepared: Prepared[], clusters: Clusters, edges: Edge[]): void {
  const byKey = new Map<string, number[]>();
  prepared.forEach((p, i) => {
    // The same source row delivered twice (overlapping pages, two connectors) is one record;
    // canonical order puts the copies next to each other.
    const previous = prepared[i - 1];
    if (previous?.ref === p.ref && clusters.union(i - 1, i)) {
      const detail = `same source record ${p.ref}`;
      edges.push({ a: i - 1, b: i, rule: 'identifier', score: 1, evidence: [{ field: 'record', comparison: 'exact', weight: 1, detail }] });
    }
    for (const s of p.strong) {
      const bucket = byKey.get(s.key);
      if (!bucket) {
        byKey.set(s.key, [i]);
        continue;
      }
      for (const j of bucket) {
        const other = prepared[j];
        if (!other || clusters.find(i) === clusters.find(j) || !clusters.union(i, j)) continue;
        edges.push({ a: j, b: i, rule: 'identifier', score: 1, evidence: identifierEvidence(other, p) });
      }
      bucket.push(i);
    }
  });
}

function identifierEvidence(x: Prepared, y: Prepared): LinkEvidence[] {
  const evidence: LinkEvidence[] = [];
  for (const sy of y.strong) {
    const sx = x.strong.find((s) => s.key === sy.key);
    if (!sx) continue;
    const label = LABELS[sy.id.scheme] ?? sy.id.scheme;
    const same = sx.id.value === sy.id.value;
    evidence.push({
      field: sy.id.scheme,
      comparison: same ? 'exact' : 'close',
      weight: 1,
      detail: same ? `${label} ${sy.id.value} equal` : `${label} ${sx.id.value} and ${sy.id.value} equal as ${sy.value}`,
    });
  }
  return evidence;
}

/**
 * Blocks on name key, then on one supporting attribute value, so every candidate pair already agrees
 * on both: a common name shared by hundreds of records costs nothing unless an attribute agrees too.
 * Only names carried by a record without a strong identifier are indexed, since only those records
 * look for partners this way.
 */
function linkByNameAndAttribute(prepared: Prepared[], clusters: Clusters, edges: Edge[]): void {
  const seekers = prepared.flatMap((p, i) => (p.strong.length === 0 && p.names.some((n) => n.mergeable) ? [i] : []));
  if (seekers.length === 0) return;
  const wanted = new Set(seekers.flatMap((i) => (prepared[i]?.names ?? []).filter((n) => n.mergeable).map((n) => n.key)));

  const index = new Map<string, Map<SupportField, Map<string, number[]>>>();
  prepared.forEach((p, i) => {
    for (const name of p.names) {
      if (!name.mergeable || !wanted.has(name.key)) continue;
      let byField = index.get(name.key);
      if (!byField) index.set(name.key, (byField = new Map()));
      for (const [field, values] of p.support) {
        let byValue = byField.get(field);
        if (!byValue) byField.set(field, (byValue = new Map()));
        for (const v of values) {
          const list = byValue.get(v);
          if (!list) byValue.set(v, [i]);
          else if (list.at(-1) !== i) list.push(i); // two names of one record with the same key
        }
      }
    }
  });

  for (const i of seekers) {
    const p = prepared[i];
    if (!p) continue;
    for (const name of p.names) {
      const byField = name.mergeable ? index.get(name.key) : undefined;
      if (!byField) continue;
      for (const [field, values] of p.support) {
        for (const v of values) {
          for (const j of byField.get(field)?.get(v) ?? []) {
            const other = prepared[j];
            if (!other || other.record.type !== p.record.type) continue;
            if (clusters.find(i) === clusters.find(j) || clusters.birthsDisagree(i, j) || !clusters.union(i, j)) continue;
            const otherName = other.names.find((m) => m.key === name.key)?.original ?? name.original;
            const evidence = [nameEvidence(name, otherName), ...sharedSupport(p, other)];
            const score = Math.min(1, evidence.reduce((sum, e) => sum + e.weight, 0));
            edges.push({ a: j, b: i, rule: 'name_and_attribute', score: Math.round(score * 100) / 100, evidence });
          }
        }
      }
    }
  }
}

function nameEvidence(name: PreparedName, otherOriginal: string): LinkEvidence {
  const common = name.surname !== undefined && COMMON_SURNAMES.has(name.surname);
  const same = name.original === otherOriginal;
  const spelled = same ? `"${name.original}"` : `"${otherOriginal}" and "${name.original}"`;
  return {
    field: 'name',
    comparison: same ? 'exact' : 'close',
    weight: common ? COMMON_NAME_WEIGHT : NAME_WEIGHT,
    detail: `name ${spelled} equal as ${name.key}${common ? ' (common surname)' : ''}`,
  };
}

/** Evidence for each supporting attribute the two records share. */
function sharedSupport(x: Prepared, y: Prepared): LinkEvidence[] {
  const evidence: LinkEvidence[] = [];
  for (const field of SUPPORT_FIELDS) {
    const ys = y.support.get(field);
    const shared = [...(x.support.get(field) ?? [])].filter((v) => ys?.has(v));
    if (shared.length === 0) continue;
    evidence.push({ field, comparison: 'exact', weight: SUPPORT_WEIGHT[field], detail: `${field} ${shared.sort(compare).join(', ')} equal` });
  }
  return evidence;
}

function isSubset<T>(a: Set<T>, b: Set<T>): boolean {
  for (const v of a) if (!b.has(v)) return false;
  return true;
}
