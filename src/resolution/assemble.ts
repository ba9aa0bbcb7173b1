// Builds the Subject for one cluster of records, and points its links at other subjects of the same
// answer. Inputs arrive in canonical order, so "first seen" below is deterministic.

import { hash } from 'node:crypto';
import type { SubjectType } from '../model/record.ts';
import type { LinkEvidence, Linkage, Subject, SubjectLink, SubjectName, SubjectRecord } from '../model/subject.ts';
import { explanationOf } from './explanation.ts';
import { matchKey, STRONG_SCHEMES } from './identifiers.ts';
import type { Normaliser, Prepared, StrongId } from './prepare.ts';
import { addTo, compare, pushTo } from './util.ts';

/** A join between two records (positions in canonical order) and why it was made. */
export interface Edge {
  a: number;
  b: number;
  rule: Linkage['rule'];
  score: number;
  evidence: LinkEvidence[];
}

/** Which identifier a subject id is derived from, strongest first. */
const ID_PRIORITY = ['hkid', 'br', 'vehicle_mark', 'passport', 'cr'];

/** A subject's link with what resolving its target needs, worked out while the link was built. */
interface PendingLink {
  link: SubjectLink;
  /** Blocking keys (`type|namespace:value`) of the target's valid strong identifiers, strongest first. */
  strongKeys: string[];
}

export interface Assembled {
  members: Prepared[];
  subject: Subject;
  links: PendingLink[];
}

/** `first` is the position (canonical order) of the cluster's first record, members[0]. */
export function assembleSubject(
  first: number,
  members: Prepared[],
  edges: Edge[],
  prepared: Prepared[],
  normaliser: Normaliser,
  withEvidence = true,
): Assembled {
  const type = members[0]?.record.type;
  if (!type) throw new Error('a subject needs at least one record');
  const linkedBy = orientLinkages(first, prepared, edges, withEvidence);

  const records: SubjectRecord[] = members.map((p) => ({
    source: p.record.source,
    key: p.record.key,
    ...(p.record.observedAt !== undefined ? { observedAt: p.record.observedAt } : {}),
    fields: p.record.fields,
    linkedBy: linkedBy.get(p) ?? [],
  }));

  const links = subjectLinks(members, normaliser);
  const subject: Subject = {
    id: subjectId(type, members),
    type,
    displayName: displayName(type, members),
    names: subjectNames(members),
    identifiers: subjectIdentifiers(members),
    attributes: subjectAttributes(members),
    records,
    links: links.map((l) => l.link),
  };
  return { members, subject, links };
}

/**
 * Each edge becomes a Linkage on its endpoint further from the subject's first record (breadth-first),
 * so every record but the first names the record that brought it in, whichever side started the join.
 */
function orientLinkages(start: number, prepared: Prepared[], edges: Edge[], withEvidence: boolean): Map<Prepared, Linkage[]> {
  const out = new Map<Prepared, Linkage[]>();
  if (edges.length === 0) return out;
  // Breadth-first from the first record, neighbours in canonical order. A cluster's edges form a tree
  // (one per join); small ones are scanned per record, large ones get an adjacency map.
  const adjacent = edges.length > 32 ? new Map<number, number[]>() : undefined;
  if (adjacent) {
    for (const e of edges) {
      pushTo(adjacent, e.a, e.b);
      pushTo(adjacent, e.b, e.a);
    }
  }
  // Small clusters look positions up in the queue itself (its index is the breadth-first order).
  const order = adjacent ? new Map<number, number>([[start, 0]]) : undefined;
  const queue = [start];
  const rank = (x: number): number => (order ? (order.get(x) ?? 0) : Math.max(0, queue.indexOf(x)));
  for (let q = 0; q < queue.length; q++) {
    const at = queue[q] as number;
    let next: number[];
    if (adjacent) next = adjacent.get(at) ?? [];
    else {
      next = [];
      for (const e of edges) {
        if (e.a === at) next.push(e.b);
        else if (e.b === at) next.push(e.a);
      }
    }
    if (next.length > 1) next.sort((x, y) => x - y);
    for (const m of next) {
      if (order ? order.has(m) : queue.includes(m)) continue;
      order?.set(m, order.size);
      queue.push(m);
    }
  }
  for (const e of edges) {
    const [child, parent] = rank(e.a) > rank(e.b) ? [e.a, e.b] : [e.b, e.a];
    const record = prepared[child];
    if (!record) continue;
    const linkage: Linkage = { with: prepared[parent]?.ref ?? '', rule: e.rule, score: e.score, explanation: explanationOf(e.evidence) };
    if (withEvidence) linkage.evidence = e.evidence;
    pushTo(out, record, linkage);
  }
  return out;
}

/**
 * `sub_` + 22 characters of a SHA-256 over the type and the strongest valid identifier, so the same
 * person gets the same id in every search whichever sources answered; without one, over its first record.
 */
export function subjectId(type: SubjectType, members: readonly Prepared[]): string {
  // Strongest namespace first; within it the smallest value, so the choice is order-independent.
  let best: StrongId | undefined;
  for (const p of members) {
    for (const s of p.strong) {
      const rank = priority(s.namespace) - (best ? priority(best.namespace) : Infinity);
      if (rank < 0 || (rank === 0 && best && s.value < best.value)) best = s;
    }
  }
  // Without one: the first record (in code-unit order), which stays the same when records are added
  // to the subject in a later search unless one sorts before it.
  let basis: string;
  if (best) basis = `${type}\n${best.namespace}:${best.value}`;
  else {
    let first: string | undefined;
    for (const p of members) if (first === undefined || p.ref < first) first = p.ref;
    basis = `${type}\nrecord:${first ?? ''}`;
  }
  // The same subjects come back search after search: their ids are kept (bounded).
  let id = subjectIds.get(basis);
  if (id === undefined) {
    id = 'sub_' + hash('sha256', basis, 'base64url').slice(0, 22);
    if (subjectIds.size >= 50_000) subjectIds.clear();
    subjectIds.set(basis, id);
  }
  return id;
}
const subjectIds = new Map<string, string>();

/**
 * Persons: the most common latin name (by key) as `SURNAME Given Names`. Companies: the most common
 * latin name, its longest spelling. Vehicles: the most common mark. Otherwise the first name.
 */
function displayName(type: SubjectType, members: Prepared[]): string {
  if (type === 'vehicle') {
    const marks = new MostCommon(false);
    for (const p of members) for (const s of p.strong) marks.add(s.value, s.value);
    const mark = marks.value();
    if (mark) return mark;
  }
  if (type === 'person' || type === 'company') {
    const best = new MostCommon(type === 'company');
    for (const p of members) for (const n of p.names) if (n.script === 'latin') best.add(n.key, type === 'person' ? (n.formatted ?? n.original) : n.original);
    const value = best.value();
    if (value) return value;
  }
  for (const p of members) {
    const first = p.names[0];
    if (first) return first.original;
  }
  return members[0]?.identifiers[0]?.value ?? '';
}

/**
 * The value of the largest key group (ties: the group seen first); within it the first value seen or,
 * with `longest`, the first of the longest values.
 */
class MostCommon {
  private readonly groups = new Map<string, { count: number; value: string }>();
  private best: { count: number; value: string } | undefined;
  private readonly longest: boolean;
  constructor(longest: boolean) {
    this.longest = longest;
  }
  add(key: string, value: string): void {
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = { count: 0, value }));
    else if (this.longest && value.length > g.value.length) g.value = value;
    g.count++;
  }
  value(): string | undefined {
    let best: { count: number; value: string } | undefined;
    for (const g of this.groups.values()) if (!best || g.count > best.count) best = g;
    return best?.value;
  }
}

/** Names de-duplicated by script and key; the first spelling stays, sources accumulate. */
function subjectNames(members: Prepared[]): SubjectName[] {
  const out: SubjectName[] = [];
  const latin = new Map<string, SubjectName>();
  const han = new Map<string, SubjectName>();
  for (const p of members) {
    for (const name of p.names) {
      const byKey = name.script === 'han' ? han : latin;
      const existing = byKey.get(name.key);
      if (existing) addSource(existing.sources, p.record.source);
      else {
        const entry: SubjectName = { value: name.original, script: name.script, sources: [p.record.source] };
        byKey.set(name.key, entry);
        out.push(entry);
      }
    }
  }
  return out;
}

function subjectIdentifiers(members: Prepared[]): Subject['identifiers'] {
  const out: Subject['identifiers'] = [];
  const byScheme = new Map<string, Map<string, Subject['identifiers'][number]>>();
  for (const p of members) {
    for (const id of p.identifiers) {
      let byValue = byScheme.get(id.scheme);
      if (!byValue) byScheme.set(id.scheme, (byValue = new Map()));
      const existing = byValue.get(id.value);
      if (existing) addSource(existing.sources, p.record.source);
      else {
        const entry = { scheme: id.scheme, value: id.value, valid: id.valid, sources: [p.record.source] };
        byValue.set(id.value, entry);
        out.push(entry);
      }
    }
  }
  return out;
}

/**
 * Attributes grouped by normalised value. Dates and phones are shown normalised (one spelling for all
 * sources); other attributes keep the first spelling seen.
 */
function subjectAttributes(members: Prepared[]): Subject['attributes'] {
  const out: Subject['attributes'] = {};
  const seen = new Map<string, Map<string, { value: string; sources: string[] }>>();
  for (const p of members) {
    for (const { field, original, normalised } of p.attributes) {
      let byValue = seen.get(field);
      if (!byValue) seen.set(field, (byValue = new Map()));
      const existing = byValue.get(normalised);
      if (existing) {
        addSource(existing.sources, p.record.source);
        continue;
      }
      const entry = { value: field === 'dateOfBirth' || field === 'phone' ? normalised : original, sources: [p.record.source] };
      byValue.set(normalised, entry);
      (out[field] ??= []).push(entry);
    }
  }
  return out;
}

/** Links de-duplicated by type and target identifiers (or, without any, target name as written). */
function subjectLinks(members: Prepared[], normaliser: Normaliser): PendingLink[] {
  const byKey = new Map<string, PendingLink>();
  for (const p of members) {
    for (const link of p.record.links) {
      const normalised = link.target.identifiers.map((id) => normaliser.identifier(id));
      const idKeys = [...new Set(normalised.map((i) => `${i.scheme}\u0000${i.value}`))].sort(compare);
      const name = link.target.name?.trim() || undefined;
      const target = idKeys.length > 0 ? idKeys.join(',') : `name:${name?.toUpperCase() ?? ''}`;
      const key = `${link.type}|${link.target.type}|${target}`;
      const existing = byKey.get(key);
      if (existing) {
        addSource(existing.link.sources, p.record.source);
        existing.link.target.name ??= name;
        continue;
      }
      const strongKeys = normalised
        .filter((i) => i.valid && STRONG_SCHEMES[link.target.type].includes(i.scheme))
        .sort((x, y) => priority(x.scheme) - priority(y.scheme))
        .map((i) => `${link.target.type}|${matchKey(i)}`);
      const identifiers = idKeys.map((k) => {
        const at = k.indexOf('\u0000');
        return { scheme: k.slice(0, at), value: k.slice(at + 1) };
      });
      byKey.set(key, {
        link: { type: link.type, target: { type: link.target.type, ...(name ? { name } : {}), identifiers }, sources: [p.record.source] },
        strongKeys,
      });
    }
  }
  return [...byKey.values()];
}

/**
 * Points each link at the subject of this answer that holds one of the target's valid strong
 * identifiers or — for a target known only by name — the one subject of that type with that name key.
 * A target with strong identifiers none of the subjects hold stays unresolved (a namesake is not it),
 * and so does an ambiguous match.
 */
export function resolveLinkTargets(built: Assembled[], normaliser: Normaliser): void {
  const pending = built.flatMap((b) => b.links);
  if (pending.length === 0) return;
  const byIdentifier = new Map<string, Set<string>>();
  for (const { members, subject } of built) {
    for (const p of members) for (const s of p.strong) addTo(byIdentifier, s.key, subject.id);
  }
  // Built only when some target is known by name alone.
  let byName: Map<string, Set<string>> | undefined;
  const subjectsNamed = (type: SubjectType, name: string) => {
    if (!byName) {
      byName = new Map();
      for (const { members, subject } of built) {
        for (const p of members) for (const n of p.names) addTo(byName, `${subject.type}|${n.key}`, subject.id);
      }
    }
    return byName.get(`${type}|${normaliser.name(type, name).key}`);
  };
  const only = (ids: Set<string> | undefined) => (ids?.size === 1 ? [...ids][0] : undefined);

  for (const { link, strongKeys } of pending) {
    let target: string | undefined;
    for (const key of strongKeys) {
      target = only(byIdentifier.get(key));
      if (target) break;
    }
    const { type, name } = link.target;
    if (strongKeys.length === 0 && name) target = only(subjectsNamed(type, name));
    if (target) link.subject = target;
  }
}

function priority(scheme: string): number {
  const i = ID_PRIORITY.indexOf(scheme);
  return i < 0 ? ID_PRIORITY.length : i;
}

function addSource(sources: string[], source: string): void {
  if (!sources.includes(source)) sources.push(source);
}
