import type { QueryParams } from '../model/query.ts';

// Admin-declared SQL names its parameters (:value, :compact, :limit…) so one template reads the same
// whatever the driver's placeholder style; compiling turns them into the driver's positional form once.
// Values are always bound, never spliced into the text.

export const TEMPLATE_PARAMS = ['raw', 'value', 'compact', 'tokens', 'prefixes', 'limit'] as const;
type TemplateParam = (typeof TEMPLATE_PARAMS)[number];

export interface CompiledSql {
  text: string;
  /** Parameter names in positional order. */
  order: TemplateParam[];
}

// `::` is a PostgreSQL cast, not a parameter; quoted strings and identifiers are skipped.
const TOKEN = /'(?:[^']|'')*'|"(?:[^"]|"")*"|::|:([A-Za-z_]\w*)/g;

export function compileSql(sql: string, placeholder: (n: number) => string): CompiledSql {
  const order: TemplateParam[] = [];
  const unknown: string[] = [];
  const text = sql.replace(TOKEN, (match, name: string | undefined) => {
    if (name === undefined) return match;
    if (!(TEMPLATE_PARAMS as readonly string[]).includes(name)) {
      unknown.push(name);
      return match;
    }
    let idx = order.indexOf(name as TemplateParam);
    if (idx === -1) idx = order.push(name as TemplateParam) - 1;
    return placeholder(idx + 1);
  });
  if (unknown.length > 0) {
    throw new Error(`unknown parameter :${unknown[0]} (known: ${TEMPLATE_PARAMS.map((p) => ':' + p).join(', ')})`);
  }
  return { text, order };
}

export function bindSql(compiled: CompiledSql, params: QueryParams): unknown[] {
  return compiled.order.map((name) => params[name]);
}
