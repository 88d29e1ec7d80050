import type { CreateSchemaStmt, DropStmt, RenameStmt } from '@pgsql/types';
import { nodeOf } from '../../parse/sql/nodes';
import { drop } from './drop';
import { findTable, strings, type ReplayContext } from './context';
import { dropExtensions } from './extensions';
import { roleName } from './grants';
import { createSchema } from './misc';
import { migrationRole } from '../privileges';
import { dropFunctions, moveFunctions } from './functions';
import { rename } from './rename';
import { dropTrigger, dropTriggersOf, functionMoved, renameTrigger } from './triggers';

/**
 * RENAME and DROP, routed to the handler of the object kind, with what the functions, triggers and extensions of the
 * catalog must follow: a renamed column in `UPDATE OF`, a renamed schema's functions, DROP SCHEMA … CASCADE.
 */

const ROUTINES = new Set(['OBJECT_FUNCTION', 'OBJECT_PROCEDURE', 'OBJECT_ROUTINE']);

export function renameStatement(ctx: ReplayContext, n: RenameStmt): void {
  if (n.renameType !== undefined && ROUTINES.has(n.renameType)) return moveFunctions(ctx, nodeOf(n.object, 'ObjectWithArgs'), { name: n.newname }, functionMoved);
  if (n.renameType === 'OBJECT_TRIGGER') return renameTrigger(ctx, n);
  const table = n.renameType === 'OBJECT_COLUMN' ? findTable(ctx, n.relation) : undefined;
  rename(ctx, n);
  if (table && n.subname !== undefined && n.newname !== undefined) columnRenamed(ctx, { schema: table.schema, name: table.name }, n.subname, n.newname);
  if (n.renameType === 'OBJECT_SCHEMA' && n.subname !== undefined && n.newname !== undefined) schemaRenamed(ctx, n.subname, n.newname);
}

/** Triggers name their `UPDATE OF` columns by number in PostgreSQL: a renamed column stays theirs. */
function columnRenamed(ctx: ReplayContext, rel: { schema: string; name: string }, from: string, to: string): void {
  const table = findTable(ctx, { schemaname: rel.schema, relname: rel.name });
  if (!table?.triggers.some((t) => t.columns?.includes(from))) return;
  table.triggers = table.triggers.map((t) => (t.columns?.includes(from) ? { ...t, columns: t.columns.map((c) => (c === from ? to : c)) } : t));
}

/** The functions of a renamed schema carry its new name, the triggers executing them follow, and so do its extensions. */
function schemaRenamed(ctx: ReplayContext, from: string, to: string): void {
  const schema = ctx.catalog.schemas.get(to);
  if (!schema) return;
  for (const [name, list] of schema.functions) {
    schema.functions.set(name, list.map((f) => ({ ...f, schema: to })));
    for (const f of list) functionMoved(ctx, f, { schema: to, name: f.name });
  }
  for (const e of ctx.catalog.extensions.values()) if (e.schema === from) ctx.catalog.extensions.set(e.name, { ...e, schema: to });
}

export function dropStatement(ctx: ReplayContext, n: DropStmt): void {
  if (n.removeType !== undefined && ROUTINES.has(n.removeType)) return dropFunctions(ctx, n, dropTriggersOf);
  if (n.removeType === 'OBJECT_TRIGGER') return dropTrigger(ctx, n);
  if (n.removeType === 'OBJECT_EXTENSION') return dropExtensions(ctx, n);
  const names = n.removeType === 'OBJECT_SCHEMA' && n.behavior === 'DROP_CASCADE' ? (n.objects ?? []).flatMap((o) => strings([o])) : [];
  const functions = names.flatMap((s) => [...(ctx.catalog.schemas.get(s)?.functions.values() ?? [])].flat());
  drop(ctx, n);
  // DROP SCHEMA … CASCADE: triggers elsewhere that execute its functions, and the extensions installed in it, go too.
  for (const f of functions) dropTriggersOf(ctx, f);
  for (const e of [...ctx.catalog.extensions.values()]) if (names.includes(e.schema) && !ctx.catalog.schemas.has(e.schema)) ctx.catalog.extensions.delete(e.name);
}

/**
 * CREATE SCHEMA [AUTHORIZATION role]: the role owns it. A `public` the history drops and creates again is an ordinary
 * schema of the migration role, not initdb's (whose ACL gives everyone USAGE).
 */
export function createSchemaStatement(ctx: ReplayContext, n: CreateSchemaStmt): void {
  const name = n.schemaname ?? n.authrole?.rolename;
  const existed = name !== undefined && ctx.catalog.schemas.has(name);
  createSchema(ctx, n);
  const schema = name === undefined || existed ? undefined : ctx.catalog.schemas.get(name);
  if (!schema) return;
  if (n.authrole) schema.owner = roleName(ctx, n.authrole);
  else if (name === 'public') schema.owner = migrationRole(ctx.catalog);
}
