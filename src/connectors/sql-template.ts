import type { QueryParams } from '../model/query.ts';

// Admin-declared SQL names its parameters (:value, :compact, :limit…) so one template reads the same
// whatever the driver's placeholder style; each dialect turns them into its own placeholders. Values
// are always bound, never spliced into the text.

/**
 * `:clearance` (the officer's security level) and `:cases` (their case ids) let a source filter by
 * need-to-know itself — push-down: less leaves the source, and the hub still checks every record.
 */
export const TEMPLATE_PARAMS = ['raw', 'value', 'compact', 'tokens', 'prefixes', 'limit', 'clearance', 'cases'] as const;

/** Whether SQL uses the officer's clearance or cases, so its answers differ by officer. */
export function usesPrincipal(sql: string): boolean {
  return /:(clearance|cases)\b/.test(sql);
}
export type TemplateParam = (typeof TEMPLATE_PARAMS)[number];

/**
 * Text in which `:name` is not a parameter, as regular-expression sources: string literals, quoted
 * identifiers, comments. Each dialect lists its own (MySQL's backslash escapes and backticks, SQL
 * Server's [brackets], Oracle's q'[…]' literals).
 */
export type OpaqueText = readonly string[];

const STRING = `'(?:[^']|'')*'`;
const COMMENTS = [`--[^\\n]*`, `/\\*[\\s\\S]*?\\*/`];

/** Standard SQL: '…' literals, "…" identifiers, comments. PostgreSQL's `::` cast is never a parameter. */
export const ANSI_OPAQUE: OpaqueText = [STRING, `"(?:[^"]|"")*"`, ...COMMENTS];

/** A template split at its parameters: `parts[i]` precedes `params[i]`, one entry per occurrence. */
export interface ParsedSql {
  parts: string[];
  params: TemplateParam[];
}

const tokenCache = new Map<OpaqueText, RegExp>();

function tokenizer(opaque: OpaqueText): RegExp {
  let re = tokenCache.get(opaque);
  if (!re) {
    re = new RegExp(`${opaque.join('|')}|::|:(?<param>[A-Za-z_]\\w*)`, 'g');
    tokenCache.set(opaque, re);
  }
  return re;
}

/** Splits a template at its named parameters; throws on a name that is not a template parameter. */
export function parseSql(sql: string, opaque: OpaqueText): ParsedSql {
  const parts: string[] = [];
  const params: TemplateParam[] = [];
  let last = 0;
  for (const m of sql.matchAll(tokenizer(opaque))) {
    const name = m.groups?.param;
    if (name === undefined) continue;
    if (!(TEMPLATE_PARAMS as readonly string[]).includes(name)) {
      // Oracle would take an unknown :name as its own bind variable and fail at run time (ORA-01008):
      // every dialect refuses it when the definition is loaded instead.
      throw new Error(`unknown parameter :${name} (known: ${TEMPLATE_PARAMS.map((p) => ':' + p).join(', ')})`);
    }
    parts.push(sql.slice(last, m.index));
    params.push(name as TemplateParam);
    last = m.index + m[0].length;
  }
  parts.push(sql.slice(last));
  return { parts, params };
}

export interface CompiledSql {
  text: string;
  /** Parameter names in positional order. */
  order: TemplateParam[];
}

/**
 * The statement once for all calls, for numbered placeholders ($1) written once per distinct
 * parameter and arrays bound as one value — PostgreSQL's way.
 */
export function compileSql(sql: string, placeholder: (n: number) => string): CompiledSql {
  const { parts, params } = parseSql(sql, ANSI_OPAQUE);
  const order: TemplateParam[] = [];
  let text = parts[0]!;
  params.forEach((name, i) => {
    let idx = order.indexOf(name);
    if (idx === -1) idx = order.push(name) - 1;
    text += placeholder(idx + 1) + parts[i + 1]!;
  });
  return { text, order };
}

export function bindSql(compiled: CompiledSql, params: QueryParams): unknown[] {
  return compiled.order.map((name) => params[name]);
}

/** A statement ready for a driver: `values[i]` is what `placeholder(i + 1)` stands for. */
export interface Statement {
  text: string;
  values: unknown[];
}

export interface ExpandingPlaceholders {
  placeholder(n: number): string;
  /** `@p1` and `:b1` name a value and may be written again; `?` cannot, so each occurrence binds its own. */
  reuse: boolean;
}

/**
 * The statement for one query, for drivers that bind scalars only (MySQL, SQL Server, Oracle): an
 * array parameter becomes one placeholder per element, so templates write `IN (:compact)`. An empty
 * array becomes a single NULL, so `IN (:tokens)` matches nothing rather than being a syntax error.
 */
export function expandSql(t: ParsedSql, params: QueryParams, style: ExpandingPlaceholders): Statement {
  const values: unknown[] = [];
  const written = new Map<TemplateParam, string>();
  let text = t.parts[0]!;
  t.params.forEach((name, i) => {
    let marks = style.reuse ? written.get(name) : undefined;
    if (marks === undefined) {
      const v = params[name];
      const items: unknown[] = Array.isArray(v) ? (v.length > 0 ? v : [null]) : [v];
      marks = items.map((item) => style.placeholder(values.push(item))).join(', ');
      written.set(name, marks);
    }
    text += marks + t.parts[i + 1]!;
  });
  return { text, values };
}
