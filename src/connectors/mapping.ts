import { SUBJECT_TYPES, type Identifier, type Name, type RecordLink, type SourceRecord, type SubjectType } from '../model/record.ts';

// A source's rows become canonical records through a declared mapping, compiled once per definition
// so the per-row cost is a few property reads. Values are dot paths into the row ("driver.hkid");
// strings containing {{path}} are templates ("P{{person_id}}", "{{role}}_of").

export interface FieldMapping {
  key: string;
  names?: { field: string; script?: 'latin' | 'han' }[];
  identifiers?: { scheme: string; field: string }[];
  attributes?: Record<string, string>;
  links?: LinkMapping[];
  /** Security level: a field holding it, or a constant. A record with neither gets `defaultLevel`. */
  level?: { field: string } | { const: number };
  /** Case compartments: a field holding one case number or an array of them. */
  cases?: { field: string };
  observedAt?: string;
  /** Fields shown to the user: a list of paths, or output name → path. */
  fields?: string[] | Record<string, string>;
}

export interface LinkMapping {
  /** Path to an array in the row; each element yields one link (paths below are then relative to it). */
  each?: string;
  type: string;
  /** A subject type, or a template yielding one per row ("{{entity_type}}"); other values drop the link. */
  targetType: string;
  identifiers: { scheme: string; field: string }[];
  name?: string;
}

export type RowMapper = (row: unknown) => SourceRecord | undefined;

/** Maps a source's rows, dropping those the mapping cannot make a record of (no key). */
export function mapRows(rows: Iterable<unknown>, map: RowMapper): SourceRecord[] {
  const out: SourceRecord[] = [];
  for (const row of rows) {
    const rec = map(row);
    if (rec) out.push(rec);
  }
  return out;
}

type Getter = (obj: unknown) => unknown;

const TEMPLATE = /\{\{\s*([\w.]+)\s*\}\}/g;

export function compilePath(path: string): Getter {
  const parts = path.split('.');
  if (parts.length === 1) {
    const p = parts[0]!;
    return (obj) => (obj == null ? undefined : (obj as Record<string, unknown>)[p]);
  }
  return (obj) => {
    let cur: unknown = obj;
    for (const p of parts) {
      if (cur == null) return undefined;
      cur = (cur as Record<string, unknown>)[p];
    }
    return cur;
  };
}

/** A template renders to undefined when any path in it is empty, so a key is never half-made. */
export function compileTemplate(template: string): (obj: unknown) => string | undefined {
  const pieces: (string | Getter)[] = [];
  let last = 0;
  for (const m of template.matchAll(TEMPLATE)) {
    if (m.index > last) pieces.push(template.slice(last, m.index));
    pieces.push(compilePath(m[1]!));
    last = m.index + m[0].length;
  }
  if (last < template.length) pieces.push(template.slice(last));
  if (pieces.every((p) => typeof p === 'string')) return () => template;
  return (obj) => {
    let out = '';
    for (const p of pieces) {
      if (typeof p === 'string') {
        out += p;
        continue;
      }
      const v = text(p(obj));
      if (v === undefined) return undefined;
      out += v;
    }
    return out;
  };
}

/** Source values arrive as strings, numbers, Dates or null; the canonical record holds strings. */
export function text(v: unknown): string | undefined {
  if (v == null) return undefined;
  if (typeof v === 'string') {
    const t = v.trim();
    return t === '' ? undefined : t;
  }
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : isoDateOrTime(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return undefined;
}

// pg turns DATE columns into local-midnight Dates; print those as plain dates so a date of birth stays
// a date and does not shift by the server's time zone.
function isoDateOrTime(d: Date): string {
  if (d.getHours() === 0 && d.getMinutes() === 0 && d.getSeconds() === 0 && d.getMilliseconds() === 0) {
    const y = d.getFullYear();
    const m = String(d.getMonth() + 1).padStart(2, '0');
    const day = String(d.getDate()).padStart(2, '0');
    return `${y}-${m}-${day}`;
  }
  return d.toISOString();
}

function displayValue(v: unknown): unknown {
  if (v instanceof Date) return text(v);
  return v ?? null;
}

export function compileMapping(
  source: string,
  type: SubjectType,
  m: FieldMapping,
  defaultLevel: number,
): RowMapper {
  const key = compileTemplate(m.key);
  const names = (m.names ?? []).map((n) => ({ get: compilePath(n.field), script: n.script }));
  const ids = (m.identifiers ?? []).map((i) => ({ scheme: i.scheme, get: compilePath(i.field) }));
  const attrs = Object.entries(m.attributes ?? {}).map(([k, p]) => ({ k, get: compilePath(p) }));
  const links = (m.links ?? []).map(compileLink);
  const level: Getter | number =
    m.level === undefined ? defaultLevel : 'const' in m.level ? m.level.const : compilePath(m.level.field);
  const cases = m.cases ? compilePath(m.cases.field) : undefined;
  const observedAt = m.observedAt ? compilePath(m.observedAt) : undefined;
  const fieldEntries: [string, Getter][] = Array.isArray(m.fields)
    ? m.fields.map((p) => [p, compilePath(p)])
    : Object.entries(m.fields ?? {}).map(([k, p]) => [k, compilePath(p)]);

  return (row) => {
    const k = key(row);
    if (k === undefined) return undefined;
    const recNames: Name[] = [];
    for (const n of names) {
      const v = text(n.get(row));
      if (v !== undefined) recNames.push(n.script ? { value: v, script: n.script } : { value: v });
    }
    const recIds: Identifier[] = [];
    for (const i of ids) {
      const v = text(i.get(row));
      if (v !== undefined) recIds.push({ scheme: i.scheme, value: v });
    }
    const attributes: Record<string, string> = {};
    for (const a of attrs) {
      const v = text(a.get(row));
      if (v !== undefined) attributes[a.k] = v;
    }
    const recLinks: RecordLink[] = [];
    for (const l of links) l(row, recLinks);
    const fields: Record<string, unknown> = {};
    for (const [name, get] of fieldEntries) fields[name] = displayValue(get(row));
    const rec: SourceRecord = {
      source,
      key: k,
      type,
      names: recNames,
      identifiers: recIds,
      attributes,
      links: recLinks,
      level: readLevel(level, row, defaultLevel),
      cases: cases ? readCases(cases(row)) : [],
      fields,
    };
    const obs = observedAt ? text(observedAt(row)) : undefined;
    if (obs !== undefined) rec.observedAt = obs;
    return rec;
  };
}

function readLevel(level: Getter | number, row: unknown, fallback: number): number {
  if (typeof level === 'number') return level;
  const v = level(row);
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  // A level that cannot be read is the declared default, which the definition sets to the highest
  // level when labels are required (default deny is decided in auth/, this only reads).
  return Number.isInteger(n) && n >= 0 ? n : fallback;
}

function readCases(v: unknown): string[] {
  if (v == null) return [];
  if (Array.isArray(v)) return v.map(text).filter((c): c is string => c !== undefined);
  const t = text(v);
  return t === undefined ? [] : [t];
}

function compileLink(l: LinkMapping): (row: unknown, out: RecordLink[]) => void {
  const each = l.each ? compilePath(l.each) : undefined;
  const type = compileTemplate(l.type);
  const targetType = compileTemplate(l.targetType);
  const ids = l.identifiers.map((i) => ({ scheme: i.scheme, get: compilePath(i.field) }));
  const name = l.name ? compilePath(l.name) : undefined;
  const one = (item: unknown, out: RecordLink[]) => {
    const t = type(item);
    const tt = targetType(item);
    if (t === undefined || !isSubjectType(tt)) return;
    const identifiers: Identifier[] = [];
    for (const i of ids) {
      const v = text(i.get(item));
      if (v !== undefined) identifiers.push({ scheme: i.scheme, value: v });
    }
    const n = name ? text(name(item)) : undefined;
    if (identifiers.length === 0 && n === undefined) return;
    out.push({ type: t, target: n === undefined ? { type: tt, identifiers } : { type: tt, identifiers, name: n } });
  };
  if (!each) return one;
  return (row, out) => {
    const items = each(row);
    if (Array.isArray(items)) for (const item of items) one(item, out);
  };
}

function isSubjectType(v: string | undefined): v is SubjectType {
  return (SUBJECT_TYPES as readonly (string | undefined)[]).includes(v);
}
