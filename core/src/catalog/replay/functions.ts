import type { CreateFunctionStmt, DropStmt, Node } from '@pgsql/types';
import { nodeOf, nodesOf } from '../../parse/sql/nodes';
import type { FunctionSignature } from '../model';
import { creationSchema, ensureSchema, lookupSchemas, note, strings, type ReplayContext } from './context';
import { formatType, withoutTypmod } from './types';

/**
 * Functions the history creates, kept only as signatures: a CREATE TABLE … AS or view column computed by one takes
 * its return type (civitai's `iif(cond, a, b) RETURNS anyelement` types dozens of rank columns).
 */

const INPUT_MODES = new Set(['FUNC_PARAM_IN', 'FUNC_PARAM_DEFAULT', 'FUNC_PARAM_INOUT', 'FUNC_PARAM_VARIADIC']);
/** Results no column can have, or rows the catalog does not follow. */
const NOT_A_COLUMN_TYPE = new Set(['record', 'void', 'trigger', 'event_trigger', 'internal', 'cstring']);

function argTypes(ctx: ReplayContext, params: Node[]): { args: string[]; defaults: number; outputs: string[] } {
  const args: string[] = [];
  const outputs: string[] = [];
  let defaults = 0;
  for (const p of nodesOf(params, 'FunctionParameter')) {
    const type = formatType(ctx, p.argType ?? {}).type;
    if (p.mode !== undefined && INPUT_MODES.has(p.mode)) { args.push(type); if (p.defexpr) defaults++; }
    if (p.mode === 'FUNC_PARAM_OUT' || p.mode === 'FUNC_PARAM_INOUT' || p.mode === 'FUNC_PARAM_TABLE') outputs.push(type);
  }
  return { args, defaults, outputs };
}

/** CREATE [OR REPLACE] FUNCTION: one signature per argument-type list, as PostgreSQL keys overloads. */
export function createFunction(ctx: ReplayContext, n: CreateFunctionStmt): void {
  if (n.is_procedure) return;
  const names = strings(n.funcname);
  const name = names[names.length - 1];
  if (!name) return;
  const schema = ensureSchema(ctx, creationSchema(ctx, names.length > 1 ? names[names.length - 2] : undefined));
  const { args, defaults, outputs } = argTypes(ctx, n.parameters ?? []);
  // With OUT parameters the result is their row (or the one OUT parameter's type); otherwise RETURNS says it.
  const result = outputs.length ? (outputs.length === 1 ? outputs[0] : undefined) : n.returnType ? formatType(ctx, n.returnType).type : undefined;
  const signature: FunctionSignature = { schema: schema.name, name, args, defaults, returns: result && !NOT_A_COLUMN_TYPE.has(result) ? result : undefined, origin: ctx.origin };
  const existing = schema.functions.get(name) ?? [];
  const same = existing.findIndex((f) => f.args.join(',') === args.join(','));
  if (same >= 0 && !n.replace) return note(ctx, `function "${name}" with these arguments already exists`);
  schema.functions.set(name, same >= 0 ? existing.map((f, k) => (k === same ? signature : f)) : [...existing, signature]);
}

/** DROP FUNCTION name[(types)], …: the overload with those argument types, or every overload when none are given. */
export function dropFunctions(ctx: ReplayContext, n: DropStmt): void {
  for (const obj of n.objects ?? []) {
    const o = nodeOf(obj, 'ObjectWithArgs');
    const names = strings(o?.objname);
    const name = names[names.length - 1];
    if (!o || !name) continue;
    const args = o.args_unspecified ? undefined : (o.objargs ?? []).map((t) => formatType(ctx, nodeOf(t, 'TypeName') ?? {}).type).join(',');
    for (const schema of lookupSchemas(ctx, names.length > 1 ? names[names.length - 2] : undefined)) {
      const list = schema.functions.get(name);
      if (!list) continue;
      const rest = list.filter((f) => args !== undefined && f.args.join(',') !== args);
      if (rest.length === list.length) continue;
      if (rest.length) schema.functions.set(name, rest);
      else schema.functions.delete(name);
      break;
    }
  }
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
    .filter((f) => argCount <= f.args.length && argCount >= f.args.length - f.defaults);
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
