// Comparators: two prepared records → per-field agreement levels, their weights (model.ts) and the
// evidence an officer reads. The score is the sum of the evidence weights, rounded as shown, so an
// explanation always adds up to its score.
//
// Besides the score, a comparison reports what the clustering must obey whatever the score:
// - `hard`: two different valid HKIDs, BR or CR numbers — never the same subject;
// - `veto`: clearly different (persons: dates of birth that disagree, or names that share neither
//   surname nor given name; companies: different names in the same script) — may be joined only by a
//   shared valid strong identifier or an officer's confirmation;
// - `strongMatch`: a valid strong identifier agrees.

import type { LinkEvidence } from '../model/subject.ts';
import type { Level, ModelField, Weights } from './model.ts';
import { reads, readingsOf } from './normalise/jyutping.ts';
import {
  hanSurnameFrequency,
  isKnownSurname,
  RARE_SURNAME_FREQUENCY,
  sameSurnameFamily,
  spellsHanSurname,
  surnameFrequency,
} from './normalise/surnames.ts';
import type { ComparableId, NameParse, PersonForm, Prepared, PreparedName } from './prepare.ts';

/** How many differently named subjects share a value: agreement on a shared value says less. */
export interface TermFrequencies {
  address(value: string): number;
  phone(value: string): number;
  /** Frequency (0–1) of a romanised surname among records, when measured; else the static table. */
  surname?(latin: string): number | undefined;
}

export const NO_TERM_FREQUENCIES: TermFrequencies = { address: () => 1, phone: () => 1 };

export interface CompareContext {
  weights: Weights;
  tf: TermFrequencies;
}

export interface Comparison {
  score: number;
  /** Empty unless asked to explain. */
  evidence: LinkEvidence[];
  hard?: string;
  veto?: string;
  strongMatch: boolean;
  /** The agreement level per compared field (for EM). */
  levels: Partial<Record<ModelField, Level>>;
}

/** Namespaces where one subject holds one valid value. */
const SINGLE_VALUED = new Set(['hkid', 'br', 'cr']);
const LABELS: Record<string, string> = { hkid: 'HKID', br: 'BR', cr: 'CR', vehicle_mark: 'vehicle mark', passport: 'passport' };

const r2 = (x: number): number => Math.round(x * 100) / 100;

// Comparisons that explain nothing share one empty, frozen evidence list.
const NO_EVIDENCE = Object.freeze([]) as unknown as LinkEvidence[];

class Scorer {
  score = 0;
  readonly evidence: LinkEvidence[];
  /** Undefined when the caller does not read levels (the engine): one object less per pair. */
  readonly levels: Partial<Record<ModelField, Level>> | undefined;
  hard: string | undefined;
  veto: string | undefined;
  strongMatch = false;
  readonly explain: boolean;
  constructor(explain: boolean, levels = true) {
    this.explain = explain;
    this.evidence = explain ? [] : NO_EVIDENCE;
    this.levels = levels ? {} : undefined;
  }

  /** `detail` is `false` when not explaining: callers write `s.explain && \`…\``, so no text is made on the hot path. */
  add(field: string, modelField: ModelField | undefined, level: Level, weight: number, detail: false | string): void {
    const w = r2(weight);
    this.score += w;
    if (modelField && this.levels) this.levels[modelField] = level;
    if (detail !== false) this.evidence.push({ field, comparison: level, weight: w, detail });
  }
}

const NO_LEVELS: Partial<Record<ModelField, Level>> = Object.freeze({});

/** `levels` false: the comparison's levels are left empty (callers that only need score and flags). */
export function comparePair(a: Prepared, b: Prepared, ctx: CompareContext, explain = false, levels = true): Comparison {
  const s = new Scorer(explain, levels);
  compareIdentifiers(a, b, ctx, s);
  if (a.type === 'person') {
    comparePersonNames(a, b, ctx, s);
    compareDates(a, b, ctx, s);
  } else if (a.type === 'company') {
    compareCompanyNames(a, b, ctx, s);
  }
  if (a.type !== 'vehicle') {
    comparePhones(a, b, ctx, s);
    compareAddresses(a, b, ctx, s);
  }
  const out: Comparison = { score: r2(s.score), evidence: s.evidence, strongMatch: s.strongMatch, levels: s.levels ?? NO_LEVELS };
  if (s.hard) out.hard = s.hard;
  if (s.veto && !s.strongMatch) out.veto = s.veto;
  return out;
}

/**
 * The veto part of a comparison alone, for the no-chaining check across a join: names that share
 * nothing (persons) or differ (companies). Hard constraints and dates of birth are checked per cluster.
 */
export function clearlyDifferent(a: Prepared, b: Prepared, ctx: CompareContext): string | undefined {
  if (a.type === 'vehicle') return undefined;
  for (const x of a.names) for (const y of b.names) if (x.key === y.key && x.script === y.script) return undefined;
  const s = new Scorer(false, false);
  if (a.type === 'person') comparePersonNames(a, b, ctx, s);
  else compareCompanyNames(a, b, ctx, s);
  return s.veto;
}

// ---------------------------------------------------------------------------------------------------
// Identifiers

function modelFieldOf(id: ComparableId): ModelField {
  const ns = id.namespace;
  return ns === 'hkid' || ns === 'passport' || ns === 'br' || ns === 'cr' || ns === 'vehicle_mark' ? ns : 'identifier';
}

/**
 * True when two records carry different valid values of a single-valued strong identifier (HKID, BR,
 * CR) and share no strong identifier: they can never be one subject, nor is there anything for an
 * officer to judge, so blocking's candidate pair needs no comparison at all. Most pairs a surname
 * block produces in an answer full of identified people are of this kind.
 */
export function identifiedApart(a: Prepared, b: Prepared): boolean {
  if (a.strong.length === 0 || b.strong.length === 0) return false;
  let conflict = false;
  for (const x of a.strong) {
    for (const y of b.strong) {
      if (x.namespace !== y.namespace) continue;
      if (x.value === y.value) return false;
      if (SINGLE_VALUED.has(x.namespace)) conflict = true;
    }
  }
  return conflict;
}

function compareIdentifiers(a: Prepared, b: Prepared, ctx: CompareContext, s: Scorer): void {
  if (a.ids.length === 0 || b.ids.length === 0) return;
  const w = ctx.weights.w;
  const single = a.ids.length === 1 && b.ids.length === 1;
  if (single) {
    // The usual case (one HKID each), without the lists below.
    const i = a.ids[0] as ComparableId;
    const j = b.ids[0] as ComparableId;
    if (i.namespace !== j.namespace) return;
    if (i.value === j.value) {
      sameIdentifier(i.scheme, i, j, w, s);
      return;
    }
  }
  const seen = single ? undefined : new Set<string>();
  for (const x of a.ids) {
    if (seen?.has(x.namespace)) continue;
    const ys = single ? (b.ids[0]?.namespace === x.namespace ? b.ids : []) : b.ids.filter((y) => y.namespace === x.namespace);
    if (ys.length === 0) continue;
    seen?.add(x.namespace);
    const xs = single ? a.ids : a.ids.filter((i) => i.namespace === x.namespace);
    const field = modelFieldOf(x);
    const label = LABELS[x.namespace] ?? x.scheme;
    const fw = w[field];
    // Equal values first.
    let equal: [ComparableId, ComparableId] | undefined;
    for (const i of xs) for (const j of ys) if (!equal && i.value === j.value) equal = [i, j];
    if (equal) {
      sameIdentifier(x.scheme, equal[0], equal[1], w, s);
      continue;
    }
    const validX = xs.filter((i) => i.valid);
    const validY = ys.filter((i) => i.valid);
    if (SINGLE_VALUED.has(x.namespace) && validX.length > 0 && validY.length > 0 && (x.strong || ys[0]?.strong)) {
      s.hard ??= `different valid ${label}s ${validX[0]?.value} and ${validY[0]?.value}`;
      s.add(x.scheme, field, 'different', fw.different, s.explain && `${label} ${validX[0]?.value} ≠ ${validY[0]?.value}: two valid ${label}s, never one subject`);
      continue;
    }
    let body: [ComparableId, ComparableId] | undefined;
    for (const i of xs) for (const j of ys) if (!body && i.body !== undefined && i.body === j.body) body = [i, j];
    if (body) {
      const [i, j] = body;
      s.add(x.scheme, field, 'close', fw.close, s.explain && `${label} ${i.value} ≈ ${j.value}: same number, check character mistyped`);
      continue;
    }
    if (validX.length > 0 && validY.length > 0) {
      s.add(x.scheme, field, 'different', fw.different, s.explain && `${label} ${validX[0]?.value} ≠ ${validY[0]?.value}`);
    } else {
      // An invalid identifier neither forces nor vetoes a merge.
      s.add(x.scheme, undefined, 'different', 0, s.explain && `${label} ${xs[0]?.value} ≠ ${ys[0]?.value}, one invalid: not counted`);
    }
  }
}

/** Two records carry the same identifier value (same namespace). */
function sameIdentifier(scheme: string, i: ComparableId, j: ComparableId, w: Weights['w'], s: Scorer): void {
  const field = modelFieldOf(i);
  const label = LABELS[i.namespace] ?? scheme;
  const fw = w[field];
  const countries = i.country && j.country && i.country !== j.country;
  if (countries) {
    s.add(scheme, field, 'different', fw.different, s.explain && `${label} ${i.value} issued by ${i.country} and ${j.country}`);
  } else if (i.valid && j.valid) {
    if (i.strong || j.strong) s.strongMatch = true;
    const exact = i.strong || j.strong ? fw.exact : Math.min(fw.exact, w.identifier.exact);
    s.add(scheme, field, 'exact', exact, s.explain && `${label} ${i.value} equal`);
  } else {
    // The same invalid value twice: as likely one source copying the slip as one subject.
    s.add(scheme, field, 'close', fw.close, s.explain && `${label} ${i.value} equal but invalid: not decisive`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Person names

interface NameOutcome {
  x: PersonForm;
  px: NameParse;
  y: PersonForm;
  py: NameParse;
  surname: Level;
  surnameWeight: number;
  /** Surname frequency used for an exact agreement. */
  freq: number;
  /** Why surnames are close. */
  surnameWhy: string;
  given: Level;
  givenWeight: number;
  givenWhy: string;
  /** The explanation's texts, made on first use (outcomes are shared through the cache below). */
  surnameText?: string;
  givenText?: string;
}

const title = (g: string): string => g.charAt(0) + g.slice(1).toLowerCase();
// Per parse (immutable, shared through the normaliser's cache): its given names as shown.
const shownGiven = new WeakMap<NameParse, string>();
const showGiven = (p: NameParse, script: 'latin' | 'han'): string => {
  let shown = shownGiven.get(p);
  if (shown === undefined) shownGiven.set(p, (shown = script === 'han' ? p.given.join('') : p.given.map(title).join(' ')));
  return shown;
};

/**
 * The best reading of one pair of name forms: `first` when the written readings agree exactly on
 * both parts (the search stops there), `best` the first highest-scoring pair of readings overall.
 */
interface FormPair {
  first: NameOutcome | undefined;
  best: NameOutcome;
  total: number;
}

// Name forms are interned by the normaliser and the same pairs come back search after search (five
// sources spelling one person), so the outcome per pair of forms is kept, per weights. Outcomes depend
// only on the two forms and the weights (not on the input's term frequencies unless the context
// measures surnames, when nothing is cached). Bounded: a form's map starts afresh past FORM_PAIRS.
interface FormCache {
  /** The weights the outcomes were worked out with, checked on every use. */
  key: number[];
  pairs: WeakMap<PersonForm, Map<PersonForm, FormPair>>;
}
const formCaches = new WeakMap<Weights, FormCache>();
const FORM_PAIRS = 256;

function weightKey(weights: Weights): number[] {
  const w = weights.w;
  return [w.surname.close, w.surname.different, w.given.exact, w.given.close, w.given.different, weights.mExact.surname];
}

function formCacheOf(weights: Weights): FormCache {
  let c = formCaches.get(weights);
  const w = weights.w;
  if (
    c &&
    c.key[0] === w.surname.close &&
    c.key[1] === w.surname.different &&
    c.key[2] === w.given.exact &&
    c.key[3] === w.given.close &&
    c.key[4] === w.given.different &&
    c.key[5] === weights.mExact.surname
  ) {
    return c;
  }
  c = { key: weightKey(weights), pairs: new WeakMap() };
  formCaches.set(weights, c);
  return c;
}

function compareForms(x: PersonForm, y: PersonForm, ctx: CompareContext): FormPair {
  let first: NameOutcome | undefined;
  let best: NameOutcome | undefined;
  let total = -Infinity;
  const xs = x.parses;
  const ys = y.parses;
  for (let i = 0; i < xs.length; i++) {
    const px = xs[i] as NameParse;
    for (let j = 0; j < ys.length; j++) {
      const py = ys[j] as NameParse;
      const o = compareParses(x, px, y, py, ctx);
      const t = o.surnameWeight + o.givenWeight;
      if (i === 0 && j === 0 && o.surname === 'exact' && o.given === 'exact') first = o;
      if (t > total) {
        best = o;
        total = t;
      }
    }
  }
  return { first, best: best as NameOutcome, total };
}

function formPair(x: PersonForm, y: PersonForm, ctx: CompareContext): FormPair {
  if (ctx.tf.surname) return compareForms(x, y, ctx);
  const cache = formCacheOf(ctx.weights).pairs;
  let byY = cache.get(x);
  if (!byY) cache.set(x, (byY = new Map()));
  let r = byY.get(y);
  if (!r) {
    if (byY.size >= FORM_PAIRS) byY.clear();
    r = compareForms(x, y, ctx);
    byY.set(y, r);
  }
  return r;
}

function comparePersonNames(a: Prepared, b: Prepared, ctx: CompareContext, s: Scorer): void {
  let best: NameOutcome | undefined;
  let bestTotal = -Infinity;
  let any = false;
  // As a search over every pair of readings of every pair of names, best first seen; it stops at an
  // exact agreement on both parts in the written order, which nothing beats.
  search: for (const nx of a.names) {
    const x = nx.person;
    if (!x) continue;
    for (const ny of b.names) {
      const y = ny.person;
      if (!y) continue;
      any = true;
      const r = formPair(x, y, ctx);
      if (r.first && r.first.surnameWeight + r.first.givenWeight > bestTotal) {
        best = r.first;
        break search;
      }
      if (r.total > bestTotal) {
        best = r.best;
        bestTotal = r.total;
      }
    }
  }
  if (!any || !best) {
    s.add('name', undefined, 'missing', 0, s.explain && 'name missing');
    return;
  }
  const o = best;
  s.add('surname', 'surname', o.surname, o.surnameWeight, s.explain && (o.surnameText ??= surnameDetail(o)));
  s.add('given', 'given', o.given, o.givenWeight, s.explain && (o.givenText ??= givenDetail(o)));
  if (o.surname === 'different' && o.given === 'different') s.veto ??= 'names share neither surname nor given name';
}

function surnameDetail(o: NameOutcome): string {
  const { x, px, y, py } = o;
  const common = o.freq >= 0.02 ? `, common: ${Math.round(o.freq * 1000) / 10} % share it` : '';
  if (x.script !== y.script) {
    const [han, latin] = x.script === 'han' ? [px, py] : [py, px];
    return o.surname === 'exact' ? `surname ${han.surname} read as ${latin.surname}${common}` : `surname ${han.surname} not read as ${latin.surname}`;
  }
  if (o.surname === 'exact') return `surname ${px.surname} equal${common}`;
  if (o.surname === 'close') return `surname ${px.surname} ≈ ${py.surname}: ${o.surnameWhy}`;
  return `surname ${px.surname} ≠ ${py.surname}`;
}

function givenDetail(o: NameOutcome): string {
  const { x, px, y, py } = o;
  if (o.given === 'missing') return 'given name missing';
  if (x.script !== y.script) {
    const [han, latin] = x.script === 'han' ? [px, py] : [py, px];
    const gh = han.given.join('');
    const gl = latin.given.map(title).join(' ');
    return o.given === 'exact' ? `given name ${gh} read as ${gl}` : o.given === 'close' ? `given name ${gh} read as ${gl} in another order` : `given name ${gh} not read as ${gl}`;
  }
  const gx = showGiven(px, x.script);
  const gy = showGiven(py, y.script);
  if (o.given === 'exact') return gx === gy ? `given name ${gx} equal` : `given name ${gx} = ${gy}`;
  if (o.given === 'close') return `given name ${gx} ≈ ${gy}: ${o.givenWhy}`;
  return `given name ${gx} ≠ ${gy}`;
}

function compareParses(x: PersonForm, px: NameParse, y: PersonForm, py: NameParse, ctx: CompareContext): NameOutcome {
  const w = ctx.weights.w;
  const o: NameOutcome = { x, px, y, py, surname: 'different', surnameWeight: w.surname.different, freq: 0, surnameWhy: '', given: 'different', givenWeight: w.given.different, givenWhy: '' };
  // --- surname; an exact agreement is weighted by the surname's frequency, floored at the
  // rare-surname share: a surname alone never says more than that.
  let freq = -1;
  if (x.script === 'latin' && y.script === 'latin') {
    if (px.surname === py.surname) freq = ctx.tf.surname?.(px.surname) ?? surnameFrequency(px.surname);
    else if (sameSurnameFamily(px.surname, py.surname)) {
      o.surname = 'close';
      o.surnameWhy = 'spellings of one Chinese surname';
    } else if ((!isKnownSurname(px.surname) || !isKnownSurname(py.surname)) && damerau1(px.surname, py.surname)) {
      o.surname = 'close';
      o.surnameWhy = 'one letter apart';
    }
    if (o.surname === 'close') o.surnameWeight = w.surname.close;
  } else if (x.script === 'han' && y.script === 'han') {
    if (px.surname === py.surname) freq = hanSurnameFrequency(px.surname);
  } else {
    const [han, latin] = x.script === 'han' ? [px, py] : [py, px];
    if (spellsHanSurname(han.surname, latin.surname)) freq = ctx.tf.surname?.(latin.surname) ?? surnameFrequency(latin.surname);
  }
  if (freq >= 0) {
    o.surname = 'exact';
    o.freq = freq;
    o.surnameWeight = Math.log2(ctx.weights.mExact.surname / Math.max(freq, RARE_SURNAME_FREQUENCY));
  }

  // --- given names
  if (px.given.length === 0 || py.given.length === 0) {
    o.given = 'missing';
    o.givenWeight = 0;
    return o;
  }
  let level: Level;
  if (x.script === y.script) {
    const r = x.script === 'latin' ? latinGiven(px, py) : hanGiven(px, py);
    level = r.level;
    o.givenWhy = r.why;
  } else {
    level = x.script === 'han' ? crossGiven(px, py) : crossGiven(py, px);
  }
  o.given = level;
  o.givenWeight = level === 'exact' ? w.given.exact : level === 'close' ? w.given.close : w.given.different;
  return o;
}

function latinGiven(px: NameParse, py: NameParse): { level: Level; why: string } {
  if (sameList(px.given, py.given) || px.joined === py.joined) return { level: 'exact', why: '' };
  if (px.given.length === py.given.length && sameList([...px.given].sort(), [...py.given].sort())) return { level: 'close', why: 'same syllables, another order' };
  // A typo leaves a token that is not a syllable (TAIMNA, TIA): one edit apart is the same name.
  if ((px.odd || py.odd) && px.joined.length >= 4 && damerau1(px.joined, py.joined)) return { level: 'close', why: 'one typing slip apart' };
  return { level: 'different', why: '' };
}

function hanGiven(px: NameParse, py: NameParse): { level: Level; why: string } {
  if (sameList(px.given, py.given)) return { level: 'exact', why: '' };
  if (px.given.length === py.given.length && px.given.every((c, i) => sharesReading(c, py.given[i] ?? ''))) {
    return { level: 'close', why: 'characters that sound the same' };
  }
  return { level: 'different', why: '' };
}

function crossGiven(han: NameParse, latin: NameParse): Level {
  const chars = han.given;
  const syl = latin.given;
  if (chars.length !== syl.length) return 'different';
  if (chars.every((c, i) => reads(c, syl[i] ?? ''))) return 'exact';
  if (chars.length === 2 && reads(chars[0] ?? '', syl[1] ?? '') && reads(chars[1] ?? '', syl[0] ?? '')) return 'close';
  return 'different';
}

function sharesReading(a: string, b: string): boolean {
  if (a === b) return true;
  const rb = readingsOf(b);
  return readingsOf(a).some((r) => rb.includes(r));
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** True when a and b are at most one insertion, deletion, substitution or adjacent swap apart. */
export function damerau1(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    // substitution, or swap of i and i+1
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

// ---------------------------------------------------------------------------------------------------
// Company names

function compareCompanyNames(a: Prepared, b: Prepared, ctx: CompareContext, s: Scorer): void {
  const w = ctx.weights.w.companyName;
  let sameScript = false;
  let close: [string, string, string] | undefined;
  // The last exact pair of names (as before: later pairs replace earlier ones).
  let bestX: PreparedName | undefined;
  let bestY: PreparedName | undefined;
  for (const x of a.names) {
    const cx = x.company;
    if (!cx) continue;
    for (const y of b.names) {
      const cy = y.company;
      if (!cy || cy.script !== cx.script) continue;
      sameScript = true;
      if (cx.key !== cy.key) {
        if (!close && cx.compact.length >= 6 && damerau1(cx.compact, cy.compact)) close = [x.original, y.original, 'one typing slip apart'];
        continue;
      }
      if (cx.full !== cy.full) {
        // Same distinctive words, another registered name: X Company / X Limited / X Trading Ltd /
        // X (Hong Kong) Ltd are different businesses as often as they are sloppy spellings.
        close ??= [x.original, y.original, !cx.legal || !cy.legal ? 'legal form not written' : 'same distinctive words, another registered name'];
        continue;
      }
      bestX = x;
      bestY = y;
    }
  }
  if (bestX && bestY) {
    const x = bestX;
    const y = bestY;
    s.add('name', 'companyName', 'exact', w.exact, s.explain && (x.original === y.original ? `name "${x.original}" equal` : `name "${x.original}" = "${y.original}" (as ${x.company?.full})`));
    return;
  }
  if (close) {
    const [x, y, why] = close;
    s.add('name', 'companyName', 'close', w.close, s.explain && `name "${x}" ≈ "${y}": ${why}`);
    return;
  }
  if (!sameScript) return;
  const x = a.names.find((n) => n.company)?.original;
  const y = b.names.find((n) => n.company)?.original;
  s.add('name', 'companyName', 'different', w.different, s.explain && `name "${x}" ≠ "${y}"`);
  s.veto ??= 'different company names';
}

// ---------------------------------------------------------------------------------------------------
// Dates, phones, addresses

function compareDates(a: Prepared, b: Prepared, ctx: CompareContext, s: Scorer): void {
  const w = ctx.weights.w.dateOfBirth;
  if (a.dobs.length === 0 || b.dobs.length === 0) {
    s.add('dateOfBirth', undefined, 'missing', 0, s.explain && 'date of birth missing');
    return;
  }
  for (const x of a.dobs) {
    if (b.dobs.includes(x)) {
      s.add('dateOfBirth', 'dateOfBirth', 'exact', w.exact, s.explain && `date of birth ${x} equal`);
      return;
    }
  }
  for (const x of a.dobs) {
    for (const y of b.dobs) {
      if (closeDate(x, y)) {
        s.add('dateOfBirth', 'dateOfBirth', 'close', w.close, s.explain && `date of birth ${x} ≈ ${y}: one slip apart`);
        return;
      }
    }
  }
  s.add('dateOfBirth', 'dateOfBirth', 'different', w.different, s.explain && `date of birth ${a.dobs[0]} ≠ ${b.dobs[0]}`);
  s.veto ??= 'dates of birth disagree';
}

/**
 * One slip apart: one digit wrong in the day, the month or the last digit of the year; two adjacent
 * digits of one part swapped; or day and month swapped. A wrong decade is not a slip (father and son).
 */
export function closeDate(x: string, y: string): boolean {
  if (x.length !== 10 || y.length !== 10) return false;
  const diff: number[] = [];
  for (let i = 0; i < 10; i++) if (x[i] !== y[i]) diff.push(i);
  if (diff.length === 1) return diff[0] === 3 || (diff[0] ?? 0) >= 5;
  if (x.slice(0, 4) === y.slice(0, 4) && x.slice(5, 7) === y.slice(8, 10) && x.slice(8, 10) === y.slice(5, 7)) return true;
  if (diff.length === 2) {
    const [i = 0, j = 0] = diff;
    return j === i + 1 && x[i] === y[j] && x[j] === y[i] && (i === 2 || i === 5 || i === 8);
  }
  return false;
}

function comparePhones(a: Prepared, b: Prepared, ctx: CompareContext, s: Scorer): void {
  if (a.phones.length === 0 || b.phones.length === 0) return;
  const w = ctx.weights.w.phone;
  for (const x of a.phones) {
    if (!b.phones.includes(x)) continue;
    const shared = Math.max(1, ctx.tf.phone(x));
    s.add('phone', 'phone', 'exact', w.exact - Math.log2(shared), s.explain && `phone ${x} equal${shared > 1 ? ` (used by ${shared} different names)` : ''}`);
    return;
  }
  s.add('phone', 'phone', 'different', w.different, s.explain && `phone ${a.phones[0]} ≠ ${b.phones[0]}`);
}

function compareAddresses(a: Prepared, b: Prepared, ctx: CompareContext, s: Scorer): void {
  if (a.addresses.length === 0 || b.addresses.length === 0) return;
  const w = ctx.weights.w.address;
  for (const x of a.addresses) {
    if (!b.addresses.includes(x)) continue;
    const shared = Math.max(1, ctx.tf.address(x));
    s.add('address', 'address', 'exact', w.exact - Math.log2(shared), s.explain && `address equal${shared > 1 ? ` (shared by ${shared} different names)` : ''}: ${x}`);
    return;
  }
  for (const x of a.addresses) {
    for (const y of b.addresses) {
      if (closeAddress(x, y)) {
        const shared = Math.max(1, ctx.tf.address(x), ctx.tf.address(y));
        s.add('address', 'address', 'close', w.close - Math.log2(shared), s.explain && `address ≈: ${x} / ${y}`);
        return;
      }
    }
  }
  s.add('address', 'address', 'different', w.different, s.explain && 'address different');
}

/** One address contains the other's words in order (a dropped district or region), or one word differs. */
export function closeAddress(x: string, y: string): boolean {
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  if (short.length >= 12 && long.startsWith(short)) return true;
  if (long.length - short.length > 12 || x.charCodeAt(0) !== y.charCodeAt(0)) return false;
  const wx = x.split(' ');
  const wy = y.split(' ');
  if (wx.length !== wy.length || wx.length < 4) return false;
  let diffs = 0;
  for (let i = 0; i < wx.length; i++) if (wx[i] !== wy[i] && ++diffs > 1) return false;
  return true;
}
