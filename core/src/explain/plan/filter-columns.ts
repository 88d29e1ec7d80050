/**
 * Reads index candidates out of a plan node's `Filter` text, e.g.
 * `((orders.amount > '10'::numeric) AND (lower(orders.note) = 'abc'::text))` → lower(note) (equality), amount (range).
 * Only plain conjunctions of `col op value` / `lower(col) op value` count; anything with OR gives nothing.
 */
export interface FilterColumn {
  /** Column name or expression as it goes inside CREATE INDEX's parentheses: `status`, `(lower(note))`. */
  indexTerm: string;
  /** For the index name: `status`, `lower_note`. */
  namePart: string;
  column: string;
  equality: boolean;
  /** The other side references another relation (`o.customer_id = c.id`): a join key. */
  joinKey: boolean;
}

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const CONJUNCT = new RegExp(String.raw`^(?:(lower|upper)\()?(?:(${IDENT})\.)?(${IDENT})\)?\s*(=|<=|>=|<|>)\s*(.+)$`);

/** Splits at top-level ` AND `, outside parentheses and quotes; undefined when there is a top-level OR. */
function conjuncts(text: string): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) { if (ch === quote) quote = undefined; continue; }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && text.startsWith(' AND ', i)) { parts.push(text.slice(start, i)); start = i + 5; i += 4; }
    else if (depth === 0 && text.startsWith(' OR ', i)) return undefined;
  }
  parts.push(text.slice(start));
  return parts.map(stripParens);
}

/** Removes parentheses that wrap the whole text. */
function stripParens(text: string): string {
  let t = text.trim();
  while (t.startsWith('(') && t.endsWith(')') && wrapsWhole(t)) t = t.slice(1, -1).trim();
  return t;
}

function wrapsWhole(t: string): boolean {
  let depth = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] === '(') depth++;
    else if (t[i] === ')' && --depth === 0 && i < t.length - 1) return false;
  }
  return true;
}

const unquote = (id: string) => (id.startsWith('"') ? id.slice(1, -1).replace(/""/g, '"') : id);

/** `alias` (when given) limits the result to columns of that relation. */
export function filterColumns(filter: string | undefined, alias?: string): FilterColumn[] {
  if (!filter) return [];
  const parts = conjuncts(stripParens(filter));
  if (!parts) return [];
  const found: FilterColumn[] = [];
  for (const part of parts) {
    const m = CONJUNCT.exec(part);
    if (!m) continue;
    const [, fn, qualifier, rawColumn, op, rhs] = m;
    if (alias && qualifier && unquote(qualifier) !== alias) continue;
    const column = unquote(rawColumn);
    const fnName = fn?.toLowerCase();
    const joinKey = new RegExp(String.raw`^\(?${IDENT}\.${IDENT}\)?$`).test(rhs.trim());
    const indexTerm = fnName ? `(${fnName}(${quoteIdent(column)}))` : quoteIdent(column);
    if (found.some((f) => f.indexTerm === indexTerm)) continue;
    found.push({
      column,
      indexTerm,
      namePart: fnName ? `${fnName}_${column}` : column,
      equality: op === '=',
      joinKey,
    });
  }
  // Equality columns first: a B-tree serves `a = … AND b > …` best as (a, b).
  return [...found.filter((f) => f.equality), ...found.filter((f) => !f.equality)];
}

export function quoteIdent(id: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(id) ? id : `"${id.replace(/"/g, '""')}"`;
}

/** `CREATE INDEX CONCURRENTLY <table>_<cols>_idx ON <schema>.<table> (<cols>);` (name cut to PostgreSQL's 63 bytes). */
export function createIndexSql(schema: string | undefined, table: string, columns: FilterColumn[]): string {
  const name = `${table}_${columns.map((c) => c.namePart).join('_')}`.replace(/[^A-Za-z0-9_]/g, '_').toLowerCase().slice(0, 59) + '_idx';
  const target = (schema ? `${quoteIdent(schema)}.` : '') + quoteIdent(table);
  return `CREATE INDEX CONCURRENTLY ${quoteIdent(name)} ON ${target} (${columns.map((c) => c.indexTerm).join(', ')});`;
}
