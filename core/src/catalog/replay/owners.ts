import type { AlterOwnerStmt, AlterTableCmd, DefElem, Node } from '@pgsql/types';
import { nodeOf, nodesOf, stringOf } from '../../parse/sql/nodes';
import type { Table, View, ViewOptions } from '../model';
import { aclForNewOwner, ownerOf } from '../privileges';
import { type ReplayContext } from './context';
import { findFunctions, replaceFunction } from './functions';
import { roleName } from './grants';

/** OWNER TO for functions, procedures and schemas (ALTER FUNCTION / PROCEDURE / ROUTINE / SCHEMA … OWNER TO). */
export function alterOwner(ctx: ReplayContext, n: AlterOwnerStmt): void {
  const owner = roleName(ctx, n.newowner);
  switch (n.objectType) {
    case 'OBJECT_FUNCTION': case 'OBJECT_PROCEDURE': case 'OBJECT_ROUTINE':
      for (const { schema, function: f } of findFunctions(ctx, nodeOf(n.object, 'ObjectWithArgs'))) {
        replaceFunction(schema, f, withOwner(ctx, f, owner));
      }
      return;
    case 'OBJECT_SCHEMA': {
      const schema = ctx.catalog.schemas.get(stringOf(n.object) ?? '');
      if (!schema) return;
      const from = ownerOf(ctx.catalog, schema);
      schema.owner = owner;
      schema.acl = aclForNewOwner(schema.acl, from, owner);
      return;
    }
    default:
      return;
  }
}

/** A copy of `o` owned by `owner`, its ACL's items of the old owner passed on. */
export function withOwner<T extends { owner?: string; acl?: Table['acl'] }>(ctx: ReplayContext, o: T, owner: string): T {
  const acl = aclForNewOwner(o.acl, ownerOf(ctx.catalog, o), owner);
  return { ...o, owner, ...(acl ? { acl } : {}) };
}

/**
 * ALTER TABLE / VIEW / MATERIALIZED VIEW … OWNER TO (changes `rel` in place: the caller made it writable). A table's
 * serial and identity sequences change owner with it, as in PostgreSQL.
 */
export function changeRelationOwner(ctx: ReplayContext, rel: Table | View, cmd: AlterTableCmd): void {
  const owner = roleName(ctx, cmd.newowner);
  const next = withOwner(ctx, rel, owner);
  rel.owner = next.owner;
  rel.acl = next.acl;
  if ('materialized' in rel) return;
  const schema = ctx.catalog.schemas.get(rel.schema);
  for (const seq of [...(schema?.sequences.values() ?? [])]) {
    if (seq.ownedBy?.startsWith(`${rel.name}.`)) schema!.sequences.set(seq.name, withOwner(ctx, seq, owner)); // a new object: it may be shared with a snapshot
  }
}

/** A `WITH (…)` option list as reloptions prints it: a bare name is `name=true`, values as written (lower-cased keywords). */
export function relOptions(list: Node[] | undefined): ViewOptions {
  const out: ViewOptions = {};
  for (const d of nodesOf(list, 'DefElem')) if (d.defname) out[d.defname] = optionValue(d);
  return out;
}

function optionValue(d: DefElem): string {
  if (d.arg === undefined) return 'true';
  const c = nodeOf(d.arg, 'A_Const');
  if (c?.ival) return String(c.ival.ival ?? 0);
  if (c?.fval) return String(c.fval.fval);
  if (c?.boolval) return c.boolval.boolval ? 'true' : 'false';
  const integer = nodeOf(d.arg, 'Integer');
  if (integer) return String(integer.ival ?? 0);
  const float = nodeOf(d.arg, 'Float');
  if (float) return String(float.fval);
  const type = nodeOf(d.arg, 'TypeName');
  if (type) return (type.names ?? []).map(stringOf).join('.');
  return stringOf(d.arg) ?? '';
}

/** ALTER VIEW … SET (…) / RESET (…), and WITH CHECK OPTION, which PostgreSQL keeps as the `check_option` reloption. */
export function changeViewOptions(view: View, cmd: AlterTableCmd): void {
  const list = nodeOf(cmd.def, 'List')?.items;
  const options = { ...view.options };
  if (cmd.subtype === 'AT_SetRelOptions') Object.assign(options, relOptions(list));
  else for (const d of nodesOf(list, 'DefElem')) if (d.defname) delete options[d.defname];
  view.options = Object.keys(options).length ? options : undefined;
}
