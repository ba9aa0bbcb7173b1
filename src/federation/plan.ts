import type { SourceEntry } from '../connectors/registry.ts';
import type { BoundQuery, QueryParams, SearchQuery } from '../model/query.ts';
import type { SubjectType } from '../model/record.ts';
import { normaliseIdentifier } from '../resolution/identifiers.ts';
import { normaliseCompanyName, normalisePersonName } from '../resolution/normalise/name.ts';

export type SourcePlan =
  | { entry: SourceEntry; queries: BoundQuery[] }
  | { entry: SourceEntry; skipped: string };

/**
 * Decides, for every source, which of its declared queries this search runs — or why it is skipped.
 * Pure: the query is normalised once here and every source binds the same values.
 */
/** Who is asking, as far as sources that filter by need-to-know themselves (push-down) need to know. */
export interface Scope {
  clearance: number;
  cases: string[];
}

export function plan(query: SearchQuery, entries: readonly SourceEntry[], limit: number, scope?: Scope): SourcePlan[] {
  const byName = new Map<SubjectType, QueryParams>();
  const out: SourcePlan[] = [];
  for (const entry of entries) {
    if (!entry.enabled) continue;
    const queries: BoundQuery[] = [];
    const caps = entry.connector?.capabilities ?? capabilitiesOf(entry);
    for (const cap of caps) {
      if (!query.types.includes(cap.type)) continue;
      if (query.name !== undefined && cap.by.includes('name')) {
        let params = byName.get(cap.type);
        if (!params) byName.set(cap.type, (params = scoped(nameParams(query.name, cap.type, limit), scope)));
        if (params.compact.length > 0) queries.push({ type: cap.type, by: 'name', params });
      }
      for (const id of query.identifiers) {
        if (cap.by.includes(id.scheme)) queries.push({ type: cap.type, by: id.scheme, params: scoped(identifierParams(id.scheme, id.value, limit), scope) });
      }
    }
    out.push(queries.length > 0 ? { entry, queries } : { entry, skipped: cannotAnswer(query, caps) });
  }
  return out;
}

// A source whose connector could not be built still reports what its definition says it answers.
function capabilitiesOf(entry: SourceEntry): { type: SubjectType; by: string[] }[] {
  return Object.entries(entry.definition.queries).map(([type, spec]) => ({
    type: type as SubjectType,
    by: Object.keys(spec?.by ?? {}),
  }));
}

function cannotAnswer(query: SearchQuery, caps: readonly { type: SubjectType; by: string[] }[]): string {
  const asked = [...(query.name !== undefined ? ['name'] : []), ...query.identifiers.map((i) => i.scheme)];
  const answers = caps.map((c) => `${c.type} by ${c.by.join('/')}`).join('; ');
  return `cannot answer ${query.types.join('/')} by ${[...new Set(asked)].join('/')}; answers ${answers || 'nothing'}`;
}

function nameParams(raw: string, type: SubjectType, limit: number): QueryParams {
  if (type === 'person') {
    const n = normalisePersonName(raw);
    return withPrefixes({ raw, value: n.tokens.join(' '), compact: n.compact, tokens: n.tokens, prefixes: [], limit });
  }
  if (type === 'company') {
    const n = normaliseCompanyName(raw);
    return withPrefixes({ raw, value: n.key, compact: n.compact, tokens: n.distinctive, prefixes: [], limit });
  }
  const value = raw.trim().toUpperCase().replace(/\s+/g, '');
  return withPrefixes({ raw, value, compact: value ? [value] : [], tokens: value ? [value] : [], prefixes: [], limit });
}

export function identifierParams(scheme: string, raw: string, limit: number): QueryParams {
  const { value } = normaliseIdentifier({ scheme, value: raw });
  return withPrefixes({ raw, value, compact: [value], tokens: [], prefixes: [], limit });
}

function scoped(p: QueryParams, scope: Scope | undefined): QueryParams {
  if (scope) {
    p.clearance = scope.clearance;
    p.cases = scope.cases;
  }
  return p;
}

function withPrefixes(p: QueryParams): QueryParams {
  p.prefixes = p.compact.map((c) => `${c}%`);
  return p;
}
