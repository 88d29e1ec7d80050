import type { Node, RangeFunction, RangeVar, SelectStmt } from '@pgsql/types';
import { nodeOf, nodesOf } from '../../parse/sql/nodes';
import { lookupSchemas, lookupTable, strings, type ReplayContext } from './context';
import { commonType, expressionType, type Scope, type ScopeEntry } from './expression-type';
import { figureColname } from './index-keys';

/**
 * The output columns of a query (CREATE TABLE … AS, SELECT … INTO, materialized views): names as PostgreSQL
 * gives them, types where the catalog can tell (`type` undefined otherwise). The whole list is undefined only
 * when its length cannot be known: a `*` over a relation whose columns the catalog does not have.
 */
export interface QueryColumn {
  name: string;
  type?: string;
}

type Ctes = Map<string, QueryColumn[] | undefined>;

/** A FROM item: the entries qualified references see, and what `*` expands to (undefined when unknown). */
interface FromItem {
  entries: ScopeEntry[];
  star?: QueryColumn[];
}

export function queryColumns(ctx: ReplayContext, select: SelectStmt, outer?: Scope, inherited: Ctes = new Map()): QueryColumn[] | undefined {
  const ctes = new Map(inherited);
  for (const cte of nodesOf(select.withClause?.ctes, 'CommonTableExpr')) {
    if (!cte.ctename) continue;
    ctes.set(cte.ctename, undefined); // a recursive reference to itself is unknown
    const query = nodeOf(cte.ctequery, 'SelectStmt');
    const cols = query ? queryColumns(ctx, query, outer, ctes) : undefined;
    ctes.set(cte.ctename, cols && renamed(cols, strings(cte.aliascolnames)));
  }
  if (select.op && select.op !== 'SETOP_NONE') return setOperation(ctx, select, outer, ctes);
  if (select.valuesLists) return valuesColumns(ctx, select.valuesLists, outer, ctes);

  const items = (select.fromClause ?? []).map((f) => fromItem(ctx, f, outer, ctes));
  const scope: Scope = { entries: items.flatMap((i) => i.entries), outer };
  const subquery = (s: SelectStmt, o: Scope) => queryColumns(ctx, s, o, ctes)?.[0]?.type;
  const out: QueryColumn[] = [];
  for (const rt of nodesOf(select.targetList, 'ResTarget')) {
    const fields = nodeOf(rt.val, 'ColumnRef')?.fields ?? [];
    if (fields.length && nodeOf(fields[fields.length - 1], 'A_Star') !== undefined) {
      const expanded = fields.length === 1 ? starOf(items) : qualifiedStar(scope, strings(fields));
      if (!expanded) return undefined;
      out.push(...expanded);
      continue;
    }
    out.push({ name: rt.name ?? figureColname(rt.val) ?? '?column?', type: expressionType(ctx, rt.val, scope, subquery) });
  }
  return out;
}

/** Names from an explicit list (`CREATE TABLE t (a, b) AS …`, `AS x(a, b)`) replace the first ones. */
export function renamed(columns: QueryColumn[], names: string[]): QueryColumn[] {
  return columns.map((c, k) => (k < names.length ? { ...c, name: names[k] } : c));
}

function starOf(items: FromItem[]): QueryColumn[] | undefined {
  const out: QueryColumn[] = [];
  for (const i of items) {
    if (!i.star) return undefined;
    out.push(...i.star);
  }
  return out;
}

function qualifiedStar(scope: Scope, fields: string[]): QueryColumn[] | undefined {
  const [schema, rel] = fields.length >= 3 ? [fields[0], fields[1]] : [undefined, fields[0]];
  const entry = scope.entries.find((e) => e.alias === rel && (schema === undefined || e.schema === schema));
  return entry?.columns?.map((c) => ({ ...c }));
}

function fromItem(ctx: ReplayContext, node: Node | undefined, outer: Scope | undefined, ctes: Ctes): FromItem {
  const rv = nodeOf(node, 'RangeVar');
  if (rv) {
    const alias = rv.alias?.aliasname ?? rv.relname ?? '';
    const columns = rv.schemaname === undefined && ctes.has(rv.relname ?? '') ? ctes.get(rv.relname ?? '') : relationColumns(ctx, rv);
    return item({ alias, schema: rv.alias ? undefined : rv.schemaname, columns: columns && renamed(columns, strings(rv.alias?.colnames)) });
  }
  const r = nodeOf(node, 'RangeSubselect');
  if (r) {
    const select = nodeOf(r.subquery, 'SelectStmt');
    const columns = select ? queryColumns(ctx, select, outer, ctes) : undefined;
    return item({ alias: r.alias?.aliasname ?? '', columns: columns && renamed(columns, strings(r.alias?.colnames)) });
  }
  const rangeFunction = nodeOf(node, 'RangeFunction');
  if (rangeFunction) return functionItem(ctx, rangeFunction, outer);
  const j = nodeOf(node, 'JoinExpr');
  if (j) {
    const left = fromItem(ctx, j.larg, outer, ctes);
    const right = fromItem(ctx, j.rarg, outer, ctes);
    const entries = [...left.entries, ...right.entries];
    // USING and NATURAL merge the shared columns into one, listed first; the rest is not modelled.
    if (j.usingClause?.length || j.isNatural || j.alias) return { entries, star: undefined };
    return { entries, star: left.star && right.star ? [...left.star, ...right.star] : undefined };
  }
  return { entries: [{ alias: '' }], star: undefined };
}

function item(entry: ScopeEntry): FromItem {
  return { entries: [entry], star: entry.columns?.map((c) => ({ name: c.name, type: c.type })) };
}

/** Columns of a table (or a view whose columns are known) as a query sees them; undefined when unknown. */
function relationColumns(ctx: ReplayContext, rv: RangeVar): QueryColumn[] | undefined {
  const table = lookupTable(ctx, rv);
  if (table) return table.columnsUnknown ? undefined : table.columns.map((c) => ({ name: c.name, type: c.typeUnknown ? undefined : c.type }));
  for (const schema of lookupSchemas(ctx, rv.schemaname)) {
    const view = schema.views.get(rv.relname ?? '');
    if (view) return view.columns?.map((c) => ({ name: c.name, type: c.typeUnknown ? undefined : c.type }));
  }
  return undefined;
}

/** `generate_series(1, 10) x` and `unnest(arr) AS u(v)`: one column named after the alias (or the function). */
function functionItem(ctx: ReplayContext, r: RangeFunction, outer: Scope | undefined): FromItem {
  const alias = r.alias?.aliasname;
  const calls = (r.functions ?? []).map((f) => nodeOf(f, 'List')?.items?.[0]);
  const call = calls.length === 1 && !r.is_rowsfrom ? nodeOf(calls[0], 'FuncCall') : undefined;
  const name = call ? strings(call.funcname).at(-1) : undefined;
  const args = call?.args ?? [];
  if (!call || (name !== 'generate_series' && name !== 'unnest') || args.length === 0 || (name === 'unnest' && args.length > 1)) {
    return { entries: [{ alias: alias ?? '' }], star: undefined };
  }
  const scope: Scope = { entries: [], outer };
  let type = expressionType(ctx, { FuncCall: call }, scope, () => undefined);
  if (name === 'unnest') {
    const arg = expressionType(ctx, args[0], scope, () => undefined);
    type = arg?.endsWith('[]') ? arg.slice(0, -2) : undefined;
  }
  const names = strings(r.alias?.colnames);
  const columns: QueryColumn[] = [{ name: names[0] ?? alias ?? name!, type }];
  if (r.ordinality) columns.push({ name: names[1] ?? 'ordinality', type: 'bigint' });
  return item({ alias: alias ?? name!, columns });
}

function setOperation(ctx: ReplayContext, select: SelectStmt, outer: Scope | undefined, ctes: Ctes): QueryColumn[] | undefined {
  const left = select.larg ? queryColumns(ctx, select.larg, outer, ctes) : undefined;
  const right = select.rarg ? queryColumns(ctx, select.rarg, outer, ctes) : undefined;
  if (!left) return undefined;
  return left.map((c, k) => ({ name: c.name, type: commonType([c.type, right?.[k]?.type]) }));
}

function valuesColumns(ctx: ReplayContext, rows: Node[], outer: Scope | undefined, ctes: Ctes): QueryColumn[] {
  const first = nodeOf(rows[0], 'List')?.items ?? [];
  const scope: Scope = { entries: [], outer };
  const subquery = (s: SelectStmt, o: Scope) => queryColumns(ctx, s, o, ctes)?.[0]?.type;
  return first.map((_, k) => {
    const cells = rows.map((r) => nodeOf(r, 'List')?.items?.[k]);
    const types = cells.map((c) => expressionType(ctx, c, scope, subquery));
    return { name: `column${k + 1}`, type: commonType(types) };
  });
}
