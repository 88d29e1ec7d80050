import type { AlterObjectSchemaStmt, CreateExtensionStmt, DropStmt } from '@pgsql/types';
import { nodesOf, stringOf } from '../../parse/sql/nodes';
import { creationSchema, ensureSchema, note, type ReplayContext } from './context';

/** Extensions (pg_extension): the name and the schema their objects went to. Their objects themselves are not modelled. */

/** Installed in every database by initdb. */
const PREINSTALLED = new Set(['plpgsql']);

export function createExtension(ctx: ReplayContext, n: CreateExtensionStmt): void {
  const name = n.extname;
  if (!name || PREINSTALLED.has(name)) return;
  if (ctx.catalog.extensions.has(name)) {
    if (!n.if_not_exists) note(ctx, `extension "${name}" already exists`);
    return;
  }
  const explicit = stringOf(nodesOf(n.options, 'DefElem').find((d) => d.defname === 'schema')?.arg);
  // Without SCHEMA, the first existing schema of the search path (some extensions fix their own schema: not known here).
  const schema = explicit ? ensureSchema(ctx, explicit).name : creationSchema(ctx);
  ctx.catalog.extensions.set(name, { name, schema, origin: ctx.origin });
}

export function dropExtensions(ctx: ReplayContext, n: DropStmt): void {
  for (const obj of n.objects ?? []) {
    const name = stringOf(obj) ?? '';
    if (!ctx.catalog.extensions.delete(name) && !n.missing_ok) note(ctx, `DROP EXTENSION: "${name}" is not in the catalog`);
  }
}

/** ALTER EXTENSION … SET SCHEMA. */
export function setExtensionSchema(ctx: ReplayContext, n: AlterObjectSchemaStmt): void {
  const name = stringOf(n.object) ?? '';
  const ext = ctx.catalog.extensions.get(name);
  if (!ext) { if (!n.missing_ok) note(ctx, `ALTER EXTENSION: "${name}" is not in the catalog`); return; }
  ctx.catalog.extensions.set(name, { ...ext, schema: ensureSchema(ctx, n.newschema ?? '').name });
}
