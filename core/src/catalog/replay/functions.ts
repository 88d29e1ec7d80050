import type { AlterFunctionStmt, CreateFunctionStmt, DefElem, DropStmt, Node, ObjectWithArgs, VariableSetStmt } from '@pgsql/types';
import { nodeOf, nodesOf, stringOf } from '../../parse/sql/nodes';
import { quoteIdent } from '../../parse/sql/ast';
import type { FunctionSignature, Schema, Volatility } from '../model';
import { creationSchema, ensureSchema, lookupSchemas, note, strings, type ReplayContext } from './context';
import { formatType, withoutTypmod } from './types';

/**
 * Functions and procedures the history creates (pg_proc): what the security rules ask (SECURITY DEFINER, its
 * `SET search_path`, who may execute it), and the result type a CREATE TABLE … AS or view column computed by one takes
 * (civitai's `iif(cond, a, b) RETURNS anyelement` types dozens of rank columns).
 */

const INPUT_MODES = new Set(['FUNC_PARAM_IN', 'FUNC_PARAM_DEFAULT', 'FUNC_PARAM_INOUT', 'FUNC_PARAM_VARIADIC']);
/** Results no column can have, or rows the catalog does not follow. */
const NOT_A_COLUMN_TYPE = new Set(['record', 'void', 'trigger', 'event_trigger', 'internal', 'cstring']);
/** Settings whose list items proconfig holds quoted as identifiers (GUC_LIST_QUOTE). */
const LIST_QUOTE = new Set(['search_path', 'temp_tablespaces', 'session_preload_libraries', 'shared_preload_libraries', 'local_preload_libraries']);

/** A parameter type as proargtypes prints it: format_type without the typmod PostgreSQL drops from arguments. */
function argType(ctx: ReplayContext, node: Parameters<typeof formatType>[1]): string {
  const type = formatType(ctx, node).type;
  return withoutTypmod(type) ?? type.replace(/^character\(\d+\)/, 'character').replace(/^bit\(\d+\)/, 'bit');
}

function argTypes(ctx: ReplayContext, params: Node[]): { args: string[]; defaults: number; outputs: string[] } {
  const args: string[] = [];
  const outputs: string[] = [];
  let defaults = 0;
  for (const p of nodesOf(params, 'FunctionParameter')) {
    const type = argType(ctx, p.argType ?? {});
    if (p.mode !== undefined && INPUT_MODES.has(p.mode)) { args.push(type); if (p.defexpr) defaults++; }
    if (p.mode === 'FUNC_PARAM_OUT' || p.mode === 'FUNC_PARAM_INOUT' || p.mode === 'FUNC_PARAM_TABLE') outputs.push(formatType(ctx, p.argType ?? {}).type);
  }
  return { args, defaults, outputs };
}

/**
 * `SET name = value` as one proconfig entry (`search_path=""`, `search_path=public, pg_temp`). `SET search_path FROM
 * CURRENT` takes the session's path as the replay follows it; FROM CURRENT of another setting is left out (its value
 * is the server's).
 */
export function configEntry(set: VariableSetStmt, sessionSearchPath: string[]): string | undefined {
  if (set.kind === 'VAR_SET_CURRENT' && set.name === 'search_path') {
    const path = sessionSearchPath.length === 1 && sessionSearchPath[0] === 'public' ? ['"$user"', 'public'] : sessionSearchPath.map(quoteConfigItem);
    return `search_path=${path.join(', ')}`;
  }
  if (set.kind !== 'VAR_SET_VALUE' || !set.name) return undefined;
  const quote = LIST_QUOTE.has(set.name);
  const values = (set.args ?? []).map((a) => {
    const c = nodeOf(a, 'A_Const');
    if (c?.sval) return quote ? quoteConfigItem(c.sval.sval ?? '') : (c.sval.sval ?? '');
    if (c?.ival) return String(c.ival.ival ?? 0);
    if (c?.fval) return String(c.fval.fval);
    if (c?.boolval) return c.boolval.boolval ? 'on' : 'off';
    return stringOf(a) ?? '';
  });
  return `${set.name}=${values.join(', ')}`;
}

/** quote_identifier as PostgreSQL applies it to list settings: `""` for the empty string, keywords quoted. */
function quoteConfigItem(item: string): string {
  return item === '' ? '""' : quoteIdent(item);
}

/** proconfig after a SET or RESET action: one entry per setting, a later SET of the same name replaces the earlier. */
function applyConfig(config: string[], set: VariableSetStmt | undefined, sessionSearchPath: string[]): string[] {
  if (!set) return config;
  if (set.kind === 'VAR_RESET_ALL') return [];
  const rest = config.filter((c) => !c.startsWith(`${set.name}=`));
  if (set.kind === 'VAR_RESET') return rest;
  const entry = configEntry(set, sessionSearchPath);
  return entry ? [...rest, entry] : rest;
}

/** Volatility, SECURITY, SET and LANGUAGE options of CREATE or ALTER FUNCTION, applied to `f`. */
function withOptions(ctx: ReplayContext, f: FunctionSignature, options: DefElem[]): FunctionSignature {
  let out = f;
  for (const o of options) {
    if (o.defname === 'security') out = { ...out, securityDefiner: nodeOf(o.arg, 'Boolean')?.boolval === true };
    else if (o.defname === 'volatility') out = { ...out, volatility: (stringOf(o.arg) ?? 'volatile') as Volatility };
    else if (o.defname === 'language') out = { ...out, language: (stringOf(o.arg) ?? '').toLowerCase() };
    else if (o.defname === 'set') out = { ...out, config: applyConfig(out.config, nodeOf(o.arg, 'VariableSetStmt'), ctx.catalog.searchPath) };
  }
  return out;
}

/** CREATE [OR REPLACE] FUNCTION / PROCEDURE: one entry per argument-type list, as PostgreSQL keys overloads. */
export function createFunction(ctx: ReplayContext, n: CreateFunctionStmt): void {
  const names = strings(n.funcname);
  const name = names[names.length - 1];
  if (!name) return;
  const procedure = !!n.is_procedure;
  const schema = ensureSchema(ctx, creationSchema(ctx, names.length > 1 ? names[names.length - 2] : undefined));
  const { args, defaults, outputs } = argTypes(ctx, n.parameters ?? []);
  // With OUT parameters the result is their row (or the one OUT parameter's type); otherwise RETURNS says it.
  const declared = n.returnType ? formatType(ctx, n.returnType).type : undefined;
  const result = procedure ? undefined : outputs.length ? (outputs.length === 1 ? outputs[0] : undefined) : declared;
  const existing = schema.functions.get(name) ?? [];
  const same = existing.findIndex((f) => f.args.join(',') === args.join(','));
  if (same >= 0 && !n.replace) return note(ctx, `function "${name}" with these arguments already exists`);
  const old = same >= 0 ? existing[same] : undefined;
  // A body without LANGUAGE is SQL-standard (RETURN … / BEGIN ATOMIC): language sql.
  const fresh: FunctionSignature = {
    schema: schema.name, name, kind: procedure ? 'procedure' : 'function', args, defaults,
    returns: result && !NOT_A_COLUMN_TYPE.has(result) ? result : undefined, ...(declared === 'trigger' ? { returnsTrigger: true as const } : {}),
    securityDefiner: false, config: [], volatility: 'volatile', language: 'sql', origin: ctx.origin,
  };
  // OR REPLACE keeps the owner, the privileges and the comment: it is the same pg_proc row.
  const kept = old ? { ...(old.owner !== undefined ? { owner: old.owner } : {}), ...(old.acl ? { acl: old.acl } : {}), ...(old.comment !== undefined ? { comment: old.comment } : {}) } : {};
  const signature = { ...withOptions(ctx, fresh, nodesOf(n.options, 'DefElem')), ...kept };
  schema.functions.set(name, old ? existing.map((f, k) => (k === same ? signature : f)) : [...existing, signature]);
}

export interface FunctionHit {
  schema: Schema;
  function: FunctionSignature;
}

/**
 * The functions an ObjectWithArgs names (`f(int, text)`, or `f` alone for the one overload), found as PostgreSQL
 * looks them up: in the named schema, else along the search path, the first schema that has the name.
 */
export function findFunctions(ctx: ReplayContext, o: ObjectWithArgs | undefined): FunctionHit[] {
  const names = strings(o?.objname);
  const name = names[names.length - 1];
  if (!o || !name) return [];
  const args = o.args_unspecified ? undefined : (o.objargs ?? []).map((t) => argType(ctx, nodeOf(t, 'TypeName') ?? {})).join(',');
  for (const schema of lookupSchemas(ctx, names.length > 1 ? names[names.length - 2] : undefined)) {
    const hits = (schema.functions.get(name) ?? []).filter((f) => args === undefined || f.args.join(',') === args);
    if (hits.length) return hits.map((f) => ({ schema, function: f }));
  }
  return [];
}

/** Puts `next` in place of `prev`, or removes `prev` (signatures are replaced, never changed: snapshots share them). */
export function replaceFunction(schema: Schema, prev: FunctionSignature, next?: FunctionSignature): void {
  const list = schema.functions.get(prev.name) ?? [];
  if (next) { schema.functions.set(prev.name, list.map((f) => (f === prev ? next : f))); return; }
  const rest = list.filter((f) => f !== prev);
  if (rest.length) schema.functions.set(prev.name, rest); else schema.functions.delete(prev.name);
}

/** Adds a function under its (new) schema and name, replacing one with the same arguments. */
export function putFunction(ctx: ReplayContext, f: FunctionSignature): void {
  const schema = ensureSchema(ctx, f.schema);
  const list = (schema.functions.get(f.name) ?? []).filter((x) => x.args.join(',') !== f.args.join(','));
  schema.functions.set(f.name, [...list, f]);
}

/** DROP FUNCTION / PROCEDURE / ROUTINE name[(types)], …: with CASCADE, the triggers that execute it go too. */
export function dropFunctions(ctx: ReplayContext, n: DropStmt, dropTriggersOf: (ctx: ReplayContext, f: FunctionSignature) => void): void {
  for (const obj of n.objects ?? []) {
    const hits = findFunctions(ctx, nodeOf(obj, 'ObjectWithArgs'));
    if (!hits.length && !n.missing_ok) note(ctx, `DROP FUNCTION: "${strings(nodeOf(obj, 'ObjectWithArgs')?.objname).join('.')}" is not in the catalog`);
    for (const { schema, function: f } of hits) {
      replaceFunction(schema, f);
      if (n.behavior === 'DROP_CASCADE') dropTriggersOf(ctx, f);
    }
  }
}

/** ALTER FUNCTION / PROCEDURE / ROUTINE … SECURITY, SET / RESET, volatility, LANGUAGE-free options. */
export function alterFunction(ctx: ReplayContext, n: AlterFunctionStmt): void {
  const hits = findFunctions(ctx, n.func);
  if (!hits.length) return note(ctx, `ALTER FUNCTION: "${strings(n.func?.objname).join('.')}" is not in the catalog`);
  for (const { schema, function: f } of hits) replaceFunction(schema, f, withOptions(ctx, f, nodesOf(n.actions, 'DefElem')));
}

const POLYMORPHIC = new Set(['anyelement', 'anycompatible', 'anynonarray', 'anyenum']);
const POLYMORPHIC_ARRAY = new Set(['anyarray', 'anycompatiblearray']);

/**
 * The result type of a call to a function the history created: the overloads that take this many arguments must
 * agree on it. A polymorphic result (anyelement …) is the common type of the arguments given for the polymorphic
 * parameters; `argType(k)` is the k-th argument's type, undefined for NULL or an untyped literal.
 */
export function userFunctionType(ctx: ReplayContext, names: string[], argCount: number, argType: (k: number) => string | undefined, common: (types: (string | undefined)[]) => string | undefined): string | undefined {
  const name = names[names.length - 1];
  const candidates = lookupSchemas(ctx, names.length > 1 ? names[names.length - 2] : undefined)
    .flatMap((s) => s.functions.get(name) ?? [])
    .filter((f) => f.kind === 'function' && argCount <= f.args.length && argCount >= f.args.length - f.defaults);
  // A type with a typmod is left unknown: PostgreSQL drops it from a function's result, unless it inlines a SQL
  // function's body, whose expression may keep it (iif(c, varchar(20) column, 'x') is character varying(20)).
  const results = new Set(candidates.map((f) => { const t = resolve(f, argCount, argType, common); return t && withoutTypmod(t) === t ? t : undefined; }));
  return results.size === 1 ? [...results][0] : undefined;
}

function resolve(f: FunctionSignature, argCount: number, argType: (k: number) => string | undefined, common: (types: (string | undefined)[]) => string | undefined): string | undefined {
  if (!f.returns || (!POLYMORPHIC.has(f.returns) && !POLYMORPHIC_ARRAY.has(f.returns))) return f.returns;
  const elements: (string | undefined)[] = [];
  for (let k = 0; k < argCount; k++) {
    const declared = f.args[k];
    const actual = argType(k);
    if (actual === undefined) continue;
    if (POLYMORPHIC.has(declared)) elements.push(actual);
    else if (POLYMORPHIC_ARRAY.has(declared)) elements.push(actual.endsWith('[]') ? actual.slice(0, -2) : undefined);
  }
  const element = elements.length ? common(elements) : undefined;
  if (!element) return undefined;
  return POLYMORPHIC_ARRAY.has(f.returns) ? `${element}[]` : element;
}

/** ALTER FUNCTION … RENAME TO / SET SCHEMA: the same function under another name; `moved` lets its triggers follow. */
export function moveFunctions(ctx: ReplayContext, o: ObjectWithArgs | undefined, to: { schema?: string; name?: string }, moved: (ctx: ReplayContext, f: FunctionSignature, to: { schema: string; name: string }) => void): void {
  const hits = findFunctions(ctx, o);
  if (!hits.length) return note(ctx, `ALTER FUNCTION: "${strings(o?.objname).join('.')}" is not in the catalog`);
  for (const { schema, function: f } of hits) {
    const next = { ...f, schema: to.schema ?? f.schema, name: to.name ?? f.name };
    replaceFunction(schema, f);
    putFunction(ctx, next);
    moved(ctx, f, next);
  }
}
