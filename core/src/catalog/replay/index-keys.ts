import type { Node } from '@pgsql/types';
import { nodeOf, nodesOf, stringOf, unwrap } from '../../parse/sql/nodes';
import type { IndexKey } from '../model';
import { strings, type ReplayContext } from './context';
import { dedupeColumnNames, nameAddition, quoteIdent } from './names';
import { expressionText, leadingExpression, listItemSpans } from './source-text';

export interface IndexKeys {
  keys: IndexKey[];
  /** The per-column names PostgreSQL builds index names from (ChooseIndexColumnNames), before INCLUDE columns. */
  names: string[];
}

/**
 * Keys of an index from its IndexElem nodes; `(col)` written as an expression counts as the column, as in PostgreSQL.
 * `listFrom` is a file offset before the `(` that opens the key list (the relation of CREATE INDEX, the EXCLUDE
 * keyword): an expression's text is cut from its own element of that list. `operators` are an EXCLUDE's `WITH` operators.
 */
export function indexKeysOf(ctx: ReplayContext, elems: (Node | undefined)[], listFrom?: number, operators: string[] = []): IndexKeys {
  const keys: IndexKey[] = [];
  const names: string[] = [];
  const spans = listFrom === undefined ? [] : listItemSpans(ctx.text, listFrom, ctx.stmt.end);
  elems.forEach((wrapped, k) => {
    const e = nodeOf(wrapped, 'IndexElem');
    if (!e) return;
    const bareColumn = e.name ?? simpleColumnRef(e.expr);
    const key: IndexKey = bareColumn !== undefined ? { column: bareColumn } : { expression: expressionOf(ctx, e.expr, spans[k]) };
    const collation = strings(e.collation).length ? strings(e.collation) : bareColumn !== undefined ? collateOf(e.expr) : [];
    if (collation.length) key.collation = collation.map(quoteIdent).join('.');
    if (strings(e.opclass).length) key.opclass = strings(e.opclass).map(quoteIdent).join('.');
    if (e.ordering === 'SORTBY_DESC') key.descending = true;
    if (e.nulls_ordering === 'SORTBY_NULLS_FIRST') key.nulls = 'first';
    if (e.nulls_ordering === 'SORTBY_NULLS_LAST') key.nulls = 'last';
    if (operators[k]) key.operator = operators[k];
    keys.push(key);
    names.push(e.indexcolname ?? bareColumn ?? figureColname(e.expr) ?? 'expr');
  });
  return { keys, names };
}

/** An expression key's text from its element of the key list, or (no list found) from its first location on. */
function expressionOf(ctx: ReplayContext, expr: unknown, span: { start: number; end: number } | undefined): string {
  return (span && leadingExpression(ctx.text, span)) ?? expressionText(ctx, expr, /^(asc|desc|nulls|collate)\b/i) ?? '';
}

/** `(name COLLATE "C")`: the collation of a column written as an expression. */
function collateOf(expr: Node | undefined): string[] {
  const collate = nodeOf(expr, 'CollateClause');
  return collate ? strings(collate.collname) : [];
}

/** `WITH (fillfactor = 90)` as pg_get_indexdef prints it: `fillfactor='90'`. */
export function storageOptions(options: Node[] | undefined): string[] {
  return nodesOf(options, 'DefElem').map((d) => {
    const arg = d.arg;
    const integer = nodeOf(arg, 'Integer');
    const value = integer ? integer.ival ?? 0 : nodeOf(arg, 'Float')?.fval ?? stringOf(arg) ?? nodeOf(arg, 'Boolean')?.boolval ?? stringOf(nodeOf(arg, 'TypeName')?.names?.at(-1)) ?? nodeOf(arg, 'A_Const')?.sval?.sval ?? '';
    return `${d.defname}='${String(value).replace(/'/g, "''")}'`;
  });
}

/** The `<cols>` part of a generated index name: key names then INCLUDE columns, de-duplicated, joined by `_`. */
export function indexNameAddition(names: string[], include: string[]): string {
  return nameAddition(dedupeColumnNames([...names, ...include]));
}

function simpleColumnRef(expr: Node | undefined): string | undefined {
  const collate = nodeOf(expr, 'CollateClause');
  if (collate) return simpleColumnRef(collate.arg); // `(name COLLATE "C")` is still the column
  const ref = nodeOf(expr, 'ColumnRef');
  const fields = ref ? strings(ref.fields) : [];
  return fields.length === 1 && ref?.fields?.length === 1 ? fields[0] : undefined;
}

const VALUE_FUNCTIONS: Record<string, string> = {
  SVFOP_CURRENT_DATE: 'current_date', SVFOP_CURRENT_TIME: 'current_time', SVFOP_CURRENT_TIME_N: 'current_time',
  SVFOP_CURRENT_TIMESTAMP: 'current_timestamp', SVFOP_CURRENT_TIMESTAMP_N: 'current_timestamp', SVFOP_LOCALTIME: 'localtime',
  SVFOP_LOCALTIME_N: 'localtime', SVFOP_LOCALTIMESTAMP: 'localtimestamp', SVFOP_LOCALTIMESTAMP_N: 'localtimestamp',
  SVFOP_CURRENT_ROLE: 'current_role', SVFOP_CURRENT_USER: 'current_user', SVFOP_USER: 'user', SVFOP_SESSION_USER: 'session_user',
  SVFOP_CURRENT_CATALOG: 'current_catalog', SVFOP_CURRENT_SCHEMA: 'current_schema',
};

/** PostgreSQL's FigureColnameInternal (names index columns and query output columns): a name and how sure it is (0 = none). */
function figure(node: unknown): [string | undefined, number] {
  const unwrapped = unwrap(node);
  if (!unwrapped) return [undefined, 0];
  const { kind, node: n } = unwrapped;
  switch (kind) {
    case 'ColumnRef': {
      const last = nodeOf(n.fields?.at(-1), 'String');
      return last ? [last.sval, 2] : [undefined, 0];
    }
    case 'A_Indirection': {
      const last = nodeOf(n.indirection?.at(-1), 'String');
      return last ? [last.sval, 2] : figure(n.arg);
    }
    case 'FuncCall': return [strings(n.funcname).at(-1), 2];
    case 'A_Expr': return n.kind === 'AEXPR_NULLIF' ? ['nullif', 2] : [undefined, 0];
    case 'TypeCast': {
      const inner = figure(n.arg);
      if (inner[1] <= 1) return [strings(n.typeName?.names).at(-1), 1];
      return inner;
    }
    case 'CollateClause': return figure(n.arg);
    case 'CaseExpr': return ['case', 1];
    case 'A_ArrayExpr': return ['array', 2];
    case 'RowExpr': return ['row', 2];
    case 'CoalesceExpr': return ['coalesce', 2];
    case 'MinMaxExpr': return [n.op === 'IS_GREATEST' ? 'greatest' : 'least', 2];
    case 'SQLValueFunction': return [VALUE_FUNCTIONS[n.op ?? ''], 2];
    case 'XmlExpr': return ['xml', 2];
    case 'GroupingFunc': return ['grouping', 2];
    case 'SubLink': {
      if (n.subLinkType === 'EXISTS_SUBLINK') return ['exists', 2];
      if (n.subLinkType === 'ARRAY_SUBLINK') return ['array', 2];
      if (n.subLinkType !== 'EXPR_SUBLINK') return [undefined, 0];
      let select = nodeOf(n.subselect, 'SelectStmt');
      while (select?.larg) select = select.larg;
      const first = nodeOf(select?.targetList?.[0], 'ResTarget');
      return first ? [first.name ?? figureColname(first.val) ?? '?column?', 2] : [undefined, 0];
    }
    default: return [undefined, 0];
  }
}

export function figureColname(expr: unknown): string | undefined {
  return figure(expr)[0];
}
