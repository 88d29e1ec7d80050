import type { A_Const, Node, SelectStmt } from '@pgsql/types';
import { nodeOf, unwrap } from '../../parse/sql/nodes';
import { strings, type ReplayContext } from './context';
import { userFunctionType } from './functions';
import { formatType, withoutTypmod } from './types';

/**
 * The result type of a query's output expressions, as `format_type` prints it, for the columns of
 * CREATE TABLE … AS and materialized views. Only what can be told without PostgreSQL's function and operator
 * catalogs is derived; everything else is `undefined` (the caller marks the column's type as unknown).
 */

/** A relation visible in a query's FROM: its name for qualified references and its columns (undefined when unknown). */
export interface ScopeEntry {
  alias: string;
  schema?: string;
  columns?: { name: string; type?: string }[];
}

/** The FROM entries of one query level; `outer` for correlated subqueries. */
export interface Scope {
  entries: ScopeEntry[];
  outer?: Scope;
}

/** Type of a subquery's first output column; provided by query-columns.ts (it owns FROM and target-list handling). */
export type SubqueryType = (select: SelectStmt, outer: Scope) => string | undefined;

const INTEGERS = ['smallint', 'integer', 'bigint'];
const NUMERICS = [...INTEGERS, 'numeric', 'real', 'double precision'];

/** Functions whose result type does not depend on their arguments. */
const FIXED: Record<string, string> = {
  count: 'bigint', row_number: 'bigint', rank: 'bigint', dense_rank: 'bigint', ntile: 'integer',
  now: 'timestamp with time zone', statement_timestamp: 'timestamp with time zone', clock_timestamp: 'timestamp with time zone',
  transaction_timestamp: 'timestamp with time zone', to_timestamp: 'timestamp with time zone',
  gen_random_uuid: 'uuid', uuid_generate_v4: 'uuid', uuid_generate_v1: 'uuid',
  lower: 'text', upper: 'text', btrim: 'text', ltrim: 'text', rtrim: 'text', concat: 'text', concat_ws: 'text', md5: 'text',
  substr: 'text', replace: 'text', string_agg: 'text', initcap: 'text', left: 'text', right: 'text', format: 'text',
  to_char: 'text', split_part: 'text', regexp_replace: 'text', lpad: 'text', rpad: 'text', repeat: 'text', translate: 'text',
  length: 'integer', char_length: 'integer', octet_length: 'integer', strpos: 'integer',
  random: 'double precision', date_part: 'double precision', extract: 'numeric',
  bool_or: 'boolean', bool_and: 'boolean', every: 'boolean',
  json_agg: 'json', json_build_object: 'json', json_build_array: 'json', json_object_agg: 'json', to_json: 'json', row_to_json: 'json',
  jsonb_agg: 'jsonb', jsonb_build_object: 'jsonb', jsonb_build_array: 'jsonb', jsonb_object_agg: 'jsonb', to_jsonb: 'jsonb',
  current_setting: 'text', version: 'text', txid_current: 'bigint', pg_backend_pid: 'integer', to_date: 'date',
};

const VALUE_FUNCTION_TYPES: Record<string, string> = {
  SVFOP_CURRENT_DATE: 'date', SVFOP_CURRENT_TIME: 'time with time zone', SVFOP_CURRENT_TIME_N: 'time with time zone',
  SVFOP_CURRENT_TIMESTAMP: 'timestamp with time zone', SVFOP_CURRENT_TIMESTAMP_N: 'timestamp with time zone',
  SVFOP_LOCALTIME: 'time without time zone', SVFOP_LOCALTIME_N: 'time without time zone',
  SVFOP_LOCALTIMESTAMP: 'timestamp without time zone', SVFOP_LOCALTIMESTAMP_N: 'timestamp without time zone',
  SVFOP_CURRENT_ROLE: 'name', SVFOP_CURRENT_USER: 'name', SVFOP_USER: 'name', SVFOP_SESSION_USER: 'name',
  SVFOP_CURRENT_CATALOG: 'name', SVFOP_CURRENT_SCHEMA: 'name',
};

const BOOLEAN_OPERATORS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=', '~', '~*', '!~', '!~*', '~~', '~~*', '!~~', '!~~*', '@>', '<@', '&&', '?', '?|', '?&']);

/**
 * The type CASE/COALESCE/UNION branches resolve to, when that is plain: all the same, or numbers promoted along
 * smallint → integer → bigint → numeric → real → double precision (PostgreSQL's implicit casts). `literalCount`
 * untyped literals beside them adopt the type, without a typmod.
 */
export function commonType(types: (string | undefined)[], literalCount = 0): string | undefined {
  const known = [...new Set(types)];
  if (known.length === 0 || known.includes(undefined)) return undefined;
  if (known.length > 1) {
    const bare = [...new Set(known.map((t) => withoutTypmod(t!)))];
    if (bare.length === 1 && bare[0] !== undefined) return bare[0]; // numeric(10,2) beside numeric: no typmod
    if (!known.every((t) => NUMERICS.includes(t!))) return undefined;
    return NUMERICS[Math.max(...known.map((t) => NUMERICS.indexOf(t!)))];
  }
  // A literal coerced to the common type has no typmod, so the result has none either.
  return literalCount > 0 ? withoutTypmod(known[0]!) : known[0];
}

function isUntypedLiteral(node: Node | undefined): boolean {
  const c = nodeOf(node, 'A_Const');
  return c !== undefined && (c.sval !== undefined || !!c.isnull);
}

function constType(c: A_Const): string | undefined {
  if (c.ival !== undefined) return 'integer';
  if (c.fval !== undefined) {
    const v = c.fval.fval ?? '';
    if (/^-?\d+$/.test(v)) return BigInt(v) <= 9223372036854775807n && BigInt(v) >= -9223372036854775808n ? 'bigint' : 'numeric';
    return /^0[xob]/i.test(v) ? undefined : 'numeric';
  }
  if (c.boolval !== undefined) return 'boolean';
  if (c.sval !== undefined || c.isnull) return 'text'; // an `unknown` output column becomes text (PostgreSQL 10 and later)
  return undefined;
}

function arithmetic(op: string, a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return undefined;
  if (['+', '-', '*', '/', '%'].includes(op) && b !== undefined && NUMERICS.includes(a) && NUMERICS.includes(b)) {
    if (a === b) return a;
    if (INTEGERS.includes(a) && INTEGERS.includes(b)) return INTEGERS[Math.max(INTEGERS.indexOf(a), INTEGERS.indexOf(b))];
    if ((INTEGERS.includes(a) || a === 'numeric') && (INTEGERS.includes(b) || b === 'numeric')) return 'numeric';
    return undefined;
  }
  // Bitwise operators on integers (`attributes & 127`, `attributes >> 12`); on other types << and >> mean other things.
  if (['&', '|', '#'].includes(op) && b !== undefined && INTEGERS.includes(a) && INTEGERS.includes(b)) return INTEGERS[Math.max(INTEGERS.indexOf(a), INTEGERS.indexOf(b))];
  if ((op === '<<' || op === '>>') && INTEGERS.includes(a) && b === 'integer') return a;
  if (op === '||' && a === 'text' && b === 'text') return 'text';
  if (a === 'json' || a === 'jsonb') {
    if (op === '->>' || op === '#>>') return 'text';
    if (op === '->' || op === '#>' || (op === '-' && a === 'jsonb') || (op === '||' && a === b)) return a;
  }
  return undefined;
}

/** The column a reference names, looked up level by level; undefined type when unknown or ambiguous. */
export function columnRefType(fields: string[], scope: Scope | undefined): string | undefined {
  for (let level = scope; level; level = level.outer) {
    const name = fields[fields.length - 1];
    const rel = fields.length >= 2 ? fields[fields.length - 2] : undefined;
    const schema = fields.length >= 3 ? fields[fields.length - 3] : undefined;
    const candidates = level.entries.filter((e) => (rel === undefined || e.alias === rel) && (schema === undefined || e.schema === schema));
    const hits = candidates.flatMap((e) => (e.columns ?? []).filter((c) => c.name === name));
    if (hits.length === 1) return hits[0].type;
    if (hits.length > 1 || candidates.some((e) => e.columns === undefined)) return undefined;
  }
  return undefined;
}

/** The type of an output expression, or undefined when the catalog cannot tell. */
export function expressionType(ctx: ReplayContext, node: Node | undefined, scope: Scope, subquery: SubqueryType): string | undefined {
  const type = (x: Node | undefined): string | undefined => expressionType(ctx, x, scope, subquery);
  const unwrapped = unwrap(node);
  if (!unwrapped) return undefined;
  const { kind, node: n } = unwrapped;
  switch (kind) {
    case 'A_Const': return constType(n);
    case 'TypeCast': return formatType(ctx, n.typeName ?? {}).type;
    case 'ColumnRef': return columnRefType(strings(n.fields), scope);
    case 'CollateClause': return type(n.arg);
    case 'SQLValueFunction': {
      const base = VALUE_FUNCTION_TYPES[n.op ?? ''];
      return base && n.typmod !== undefined && n.typmod >= 0 ? base.replace(/^(timestamp|time)/, `$1(${n.typmod})`) : base;
    }
    case 'BoolExpr': case 'NullTest': case 'BooleanTest': return 'boolean';
    case 'SubLink':
      if (n.subLinkType === 'EXPR_SUBLINK') return subquery(nodeOf(n.subselect, 'SelectStmt') ?? {}, scope);
      if (n.subLinkType === 'ARRAY_SUBLINK') { const t = subquery(nodeOf(n.subselect, 'SelectStmt') ?? {}, scope); return t && !t.endsWith('[]') ? `${t}[]` : undefined; }
      return n.subLinkType === 'MULTIEXPR_SUBLINK' || n.subLinkType === 'ROWCOMPARE_SUBLINK' ? undefined : 'boolean';
    case 'A_Expr': {
      if (n.kind === 'AEXPR_NULLIF') return type(n.lexpr);
      if (n.kind !== 'AEXPR_OP') return 'boolean'; // IN, LIKE, BETWEEN, IS DISTINCT FROM, = ANY …
      const op = strings(n.name).at(-1) ?? '';
      if (BOOLEAN_OPERATORS.has(op)) return 'boolean';
      if (!n.lexpr) return op === '-' || op === '+' ? type(n.rexpr) : undefined;
      return arithmetic(op, type(n.lexpr), type(n.rexpr));
    }
    case 'CaseExpr': {
      const results = [...(n.args ?? []).map((w) => nodeOf(w, 'CaseWhen')?.result), ...(n.defresult ? [n.defresult] : [])];
      return branchesType(results, type);
    }
    case 'CoalesceExpr': return branchesType(n.args ?? [], type);
    case 'MinMaxExpr': return branchesType(n.args ?? [], type);
    case 'A_ArrayExpr': {
      const element = branchesType(n.elements ?? [], type);
      return element && !element.endsWith('[]') ? `${element}[]` : undefined;
    }
    case 'FuncCall': return functionType(ctx, strings(n.funcname), n.args ?? [], type);
    default: return undefined;
  }
}

/** CASE/COALESCE/GREATEST branches: one known type, literals beside it adopt it; only literals resolve to text. */
function branchesType(branches: (Node | undefined)[], type: (x: Node | undefined) => string | undefined): string | undefined {
  const typed = branches.filter((b) => !isUntypedLiteral(b));
  if (typed.length === 0) return branches.length ? 'text' : undefined;
  return commonType(typed.map(type), branches.length - typed.length);
}

function functionType(ctx: ReplayContext, names: string[], args: Node[], type: (x: Node | undefined) => string | undefined): string | undefined {
  const schema = names.length > 1 ? names[names.length - 2] : undefined;
  // pg_catalog comes first on the search path, so a built-in wins; then the functions the history created.
  const builtin = schema === undefined || schema === 'pg_catalog' ? builtinFunctionType(names[names.length - 1], args, type) : undefined;
  if (builtin !== undefined || schema === 'pg_catalog') return builtin;
  return userFunctionType(ctx, names, args.length, (k) => (isUntypedLiteral(args[k]) ? undefined : type(args[k])), (types) => commonType(types));
}

function builtinFunctionType(name: string, args: Node[], type: (x: Node | undefined) => string | undefined): string | undefined {
  if (FIXED[name]) return FIXED[name];
  // A function's result has no typmod (max of a numeric(10,2) is numeric).
  const given = args[0] === undefined ? undefined : type(args[0]);
  const first = given === undefined ? undefined : withoutTypmod(given);
  switch (name) {
    case 'min': case 'max': return first?.startsWith('character') ? 'text' : first; // no max(varchar): it is max(text)
    case 'sum':
      if (first === 'smallint' || first === 'integer') return 'bigint';
      return first === 'bigint' || first === 'numeric' ? 'numeric' : first === 'real' || first === 'double precision' ? first : undefined;
    case 'avg':
      return first && (INTEGERS.includes(first) || first === 'numeric') ? 'numeric' : first === 'real' || first === 'double precision' ? 'double precision' : undefined;
    case 'array_agg': return first && !first.endsWith('[]') ? `${first}[]` : undefined;
    case 'abs': return first && NUMERICS.includes(first) ? first : undefined;
    case 'floor': case 'ceil': case 'ceiling': case 'round': case 'trunc':
      return first === 'numeric' || first === 'double precision' ? first : undefined;
    case 'date_trunc': {
      const t = args[1] === undefined ? undefined : type(args[1]);
      return t && /^(timestamp|interval)/.test(t) ? withoutTypmod(t) : undefined;
    }
    case 'nullif': case 'coalesce': return first;
    case 'generate_series': return first && INTEGERS.includes(first) ? first : undefined;
    default: return undefined;
  }
}
