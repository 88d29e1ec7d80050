import type { Node, RangeVar } from '@pgsql/types';
import { parseSync, scanSync } from '../../parse/sql/libpg';
import { fieldsOf, nodeOf, stringOf, type UnwrappedNode } from '../../parse/sql/nodes';
import type { Table } from '../model';

/** What name resolution needs of a table or a view: where it is and which columns it has. */
export interface Relation {
  schema: string;
  name: string;
  columns: { name: string }[];
  columnsUnknown?: boolean;
}
import { strings } from './context';

/**
 * Renames inside the expression texts the catalog keeps (index expressions and predicates, CHECKs, defaults,
 * generated columns, policies). PostgreSQL stores these as trees that point at columns, sequences and enum labels
 * by number, so a rename shows up in them at once; pgvet keeps source text, so it rewrites the tokens that name
 * the renamed thing: found through the parse tree (never by substring), replaced token by token, the rest of the
 * text left exactly as written.
 */

/** A replacement of the token that starts at byte `start` of the wrapped statement. */
export interface TokenEdit {
  start: number;
  text: string;
}

/** What an edit finder sees: a node of the expression (switch on its kind), the FROM scopes around it (innermost first), and a token helper. */
export type EditFinder = (node: UnwrappedNode, scopes: FromEntry[][], tokens: TokenLookup) => TokenEdit | undefined | 'unsure';

export interface TokenLookup {
  /** Byte offset of the `k`-th token after the one at `location` (0 = that one); undefined when there is none. */
  nth(location: number, k: number): number | undefined;
}

/** A relation in a FROM clause of a subquery: its alias and the table it is, when the catalog has it. */
export interface FromEntry {
  alias: string;
  table?: Relation;
  /** Written with an alias (`FROM members m`): references use the alias, not the table's name. */
  aliased?: boolean;
}

const PREFIX = 'SELECT ';

/**
 * Applies `find` to every node of `text` parsed as an expression; undefined when nothing changes, 'unsure' when
 * a finder could not tell whether a reference is the renamed thing (the caller leaves the text and says so).
 */
export function rewriteExpression(text: string, top: FromEntry[], resolveFrom: (rv: RangeVar) => Relation | undefined, find: EditFinder): string | undefined | 'unsure' {
  const sql = `${PREFIX}(${text})`;
  let tree: Node | undefined;
  try {
    tree = parseSync(sql).stmts?.[0]?.stmt;
  } catch {
    return undefined; // not an expression on its own (a slice the replay got wrong): leave it as it is
  }
  const tokens = scanSync(sql).tokens;
  const lookup: TokenLookup = {
    nth: (location, k) => {
      const first = tokens.findIndex((t) => t.start === location);
      return first < 0 ? undefined : tokens[first + k]?.start;
    },
  };
  const edits: TokenEdit[] = [];
  let unsure = false;
  const visit = (node: unknown, scopes: FromEntry[][]): void => {
    if (Array.isArray(node)) { for (const x of node) visit(x, scopes); return; }
    if (!node || typeof node !== 'object') return;
    for (const [kind, value] of fieldsOf(node)) {
      if (!value || typeof value !== 'object') continue;
      const select = kind === 'SelectStmt' && scopes.length > 0 ? nodeOf(node, 'SelectStmt') : undefined;
      if (select) {
        const inner = fromEntries(select.fromClause ?? [], resolveFrom);
        visit(select, [inner, ...scopes]);
        continue;
      }
      // In the parse tree only node kinds are capitalised: the key and its value are a node's kind and inner object.
      if (/^[A-Z]/.test(kind)) {
        const hit = find({ kind, node: value } as UnwrappedNode, scopes, lookup);
        if (hit === 'unsure') unsure = true;
        else if (hit) edits.push(hit);
      }
      visit(value, scopes);
    }
  };
  const target = nodeOf(nodeOf(tree, 'SelectStmt')?.targetList?.[0], 'ResTarget')?.val;
  if (!target) return undefined;
  visit(target, [top]);
  if (unsure) return 'unsure';
  if (edits.length === 0) return undefined;
  const bytes = Buffer.from(sql, 'utf8');
  let out = '';
  let at = Buffer.byteLength(PREFIX) + 1;
  for (const e of [...new Map(edits.map((x) => [x.start, x])).values()].sort((a, b) => a.start - b.start)) {
    const token = tokens.find((t) => t.start === e.start);
    if (!token) return undefined;
    out += bytes.subarray(at, token.start).toString('utf8') + e.text;
    at = token.end;
  }
  return out + bytes.subarray(at, bytes.length - 1).toString('utf8');
}

function fromEntries(from: (Node | undefined)[], resolve: (rv: RangeVar) => Relation | undefined): FromEntry[] {
  const out: FromEntry[] = [];
  for (const f of from) {
    const rv = nodeOf(f, 'RangeVar');
    const join = nodeOf(f, 'JoinExpr');
    if (rv) out.push({ alias: rv.alias?.aliasname ?? rv.relname ?? '', table: resolve(rv), aliased: !!rv.alias });
    else if (join) out.push(...fromEntries([join.larg, join.rarg], resolve));
    else out.push({ alias: nodeOf(f, 'RangeSubselect')?.alias?.aliasname ?? nodeOf(f, 'RangeFunction')?.alias?.aliasname ?? '' });
  }
  return out;
}

/**
 * The table a column reference binds to, as PostgreSQL's parser resolves it: the innermost scope that has the
 * column (or the alias); 'unsure' when a scope holds a relation the catalog does not know.
 */
export function bindColumnRef(fields: string[], scopes: FromEntry[][]): Relation | undefined | 'unsure' {
  const name = fields[fields.length - 1];
  const rel = fields.length >= 2 ? fields[fields.length - 2] : undefined;
  const schema = fields.length >= 3 ? fields[fields.length - 3] : undefined;
  for (const scope of scopes) {
    const candidates = scope.filter((e) => (rel === undefined || e.alias === rel) && (schema === undefined || e.table?.schema === schema));
    const hits = candidates.filter((e) => e.table?.columns.some((c) => c.name === name));
    if (hits.length === 1) return hits[0].table;
    if (hits.length > 1) return undefined; // ambiguous: PostgreSQL would have rejected it
    if (candidates.some((e) => !e.table || e.table.columnsUnknown)) return 'unsure';
    if (rel !== undefined && candidates.length) return undefined;
  }
  return undefined;
}

/** Finder for RENAME COLUMN: references to `from` of `table` become `to`. */
export function columnRenamer(table: Relation, from: string, to: string, quote: (s: string) => string): EditFinder {
  return ({ kind, node }, scopes, tokens) => {
    if (kind !== 'ColumnRef') return undefined;
    const fields = strings(node.fields);
    if (fields.length !== (node.fields ?? []).length || fields[fields.length - 1] !== from) return undefined; // `t.*` or another name
    const bound = bindColumnRef(fields, scopes);
    if (bound === 'unsure') return 'unsure';
    if (!bound || bound.schema !== table.schema || bound.name !== table.name) return undefined;
    const start = tokens.nth(node.location ?? -1, 2 * (fields.length - 1)); // fields are separated by `.` tokens
    return start === undefined ? 'unsure' : { start, text: quote(to) };
  };
}

/** Every expression text of a table, with a setter: what a rename may have to rewrite. */
export function expressionTexts(table: Table): { text: string; set: (s: string) => void; what: string }[] {
  const out: { text: string; set: (s: string) => void; what: string }[] = [];
  for (const i of table.indexes) {
    for (const k of i.keys) if (k.expression) out.push({ text: k.expression, set: (s) => { k.expression = s; }, what: `index "${i.name}"` });
    if (i.predicate) out.push({ text: i.predicate, set: (s) => { i.predicate = s; }, what: `predicate of index "${i.name}"` });
  }
  for (const c of table.checks) out.push({ text: c.expression, set: (s) => { c.expression = s; }, what: `check "${c.name}"` });
  for (const c of table.columns) {
    if (c.default) out.push({ text: c.default, set: (s) => { c.default = s; }, what: `default of "${c.name}"` });
    if (c.generated) out.push({ text: c.generated, set: (s) => { c.generated = s; }, what: `generated column "${c.name}"` });
  }
  for (const p of table.policies) {
    if (p.using) out.push({ text: p.using, set: (s) => { p.using = s; }, what: `policy "${p.name}"` });
    if (p.withCheck) out.push({ text: p.withCheck, set: (s) => { p.withCheck = s; }, what: `policy "${p.name}"` });
  }
  return out;
}

/** Finder for ALTER TABLE … RENAME TO: the table's name in FROM clauses of subqueries and as a column qualifier. */
export function tableRenamer(refersTo: (rv: RangeVar) => boolean, table: Relation, to: string, quote: (s: string) => string): EditFinder {
  const same = (t?: Relation) => t !== undefined && t.schema === table.schema && t.name === table.name;
  return ({ kind, node }, scopes, tokens) => {
    if (kind === 'RangeVar') {
      if (!refersTo(node)) return undefined;
      const start = tokens.nth(node.location ?? -1, node.schemaname ? 2 : 0);
      return start === undefined ? 'unsure' : { start, text: quote(to) };
    }
    if (kind !== 'ColumnRef') return undefined;
    const fields = node.fields ?? [];
    const rel = fields.length >= 2 ? stringOf(fields[fields.length - 2]) : undefined; // `t.col` or `t.*`
    if (rel !== table.name) return undefined;
    // The innermost scope with an entry of that name decides, as in PostgreSQL.
    for (const scope of scopes) {
      const entry = scope.find((e) => e.alias === rel);
      if (!entry) continue;
      if (entry.aliased || !same(entry.table)) return undefined;
      const start = tokens.nth(node.location ?? -1, 2 * (fields.length - 2));
      return start === undefined ? 'unsure' : { start, text: quote(to) };
    }
    return undefined;
  };
}

/** `'a.b'` (a regclass literal's text) as a name list, quotes removed and unquoted parts folded to lower case. */
export function regclassNames(text: string): { names: string[]; quoted: boolean[] } | undefined {
  const names: string[] = [];
  const quoted: boolean[] = [];
  const re = /\s*(?:"((?:[^"]|"")*)"|([^".\s]+))\s*(\.|$)/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text))) {
    names.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2].toLowerCase());
    quoted.push(m[1] !== undefined);
    if (m[3] === '') break;
  }
  return names.length && re.lastIndex >= text.length ? { names, quoted } : undefined;
}

const sqlLiteral = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Finder for ALTER SEQUENCE … RENAME: `nextval('old'::regclass)` (and currval, setval) names the new sequence. */
export function sequenceRenamer(refersTo: (names: string[]) => boolean, to: string, quote: (s: string) => string): EditFinder {
  return ({ kind, node }) => {
    if (kind !== 'FuncCall' || !['nextval', 'currval', 'setval'].includes(strings(node.funcname).at(-1) ?? '')) return undefined;
    const arg = node.args?.[0];
    const lit = nodeOf(arg, 'A_Const') ?? nodeOf(nodeOf(arg, 'TypeCast')?.arg, 'A_Const');
    const value = lit?.sval?.sval;
    const parsed = value === undefined ? undefined : regclassNames(value);
    if (!parsed || !refersTo(parsed.names)) return undefined;
    const prefix = value!.slice(0, value!.length - value!.trimStart().length) + (parsed.names.length > 1 ? value!.trim().slice(0, value!.trim().lastIndexOf('.') + 1) : '');
    return { start: lit?.location ?? -1, text: sqlLiteral(prefix + quote(to)) };
  };
}

/** Finder for ALTER TYPE … RENAME VALUE: `'old'::the_enum` becomes `'new'::the_enum`. */
export function enumValueRenamer(isTheEnum: (typeNames: string[]) => boolean, enumType: string, from: string, to: string): EditFinder {
  return ({ kind, node }, scopes) => {
    if (kind === 'TypeCast') {
      const literal = nodeOf(node.arg, 'A_Const');
      if (literal?.sval?.sval !== from || !isTheEnum(strings(node.typeName?.names))) return undefined;
      return { start: literal.location ?? -1, text: sqlLiteral(to) };
    }
    // `status <> 'gone'`, `status IN ('a', 'gone')`: PostgreSQL made the literal a label of the column's enum.
    if (kind !== 'A_Expr' || !['AEXPR_OP', 'AEXPR_IN', 'AEXPR_DISTINCT', 'AEXPR_NOT_DISTINCT'].includes(node.kind ?? '')) return undefined;
    const sides = [node.lexpr, node.rexpr];
    const ref = sides.map((x) => nodeOf(x, 'ColumnRef')).find(Boolean);
    const fields = ref ? strings(ref.fields) : [];
    const bound = fields.length ? bindColumnRef(fields, scopes) : undefined;
    if (!bound || bound === 'unsure') return undefined;
    const column = bound.columns.find((c) => c.name === fields[fields.length - 1]) as { type?: string } | undefined;
    if (column?.type !== enumType) return undefined;
    const literal = sides.flatMap((x) => nodeOf(x, 'List')?.items ?? [x]).map((x) => nodeOf(x, 'A_Const')).find((c) => c?.sval?.sval === from);
    return literal ? { start: literal.location ?? -1, text: sqlLiteral(to) } : undefined;
  };
}
