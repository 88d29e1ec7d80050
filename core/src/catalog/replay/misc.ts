import type { AlterObjectSchemaStmt, AlterSeqStmt, CreateSchemaStmt, CreateSeqStmt, Node, SelectStmt, VariableSetStmt } from '@pgsql/types';
import { nodeOf } from '../../parse/sql/nodes';
import { deepCopy } from '../snapshot';
import { creationSchema, ensureSchema, findTable, findView, lookupSchemas, note, strings, tablesToChange, type ReplayContext } from './context';
import { retypeColumns } from './types-stmts';
import { relationMoved } from './view-dependencies';

export function createSchema(ctx: ReplayContext, n: CreateSchemaStmt): void {
  const name = n.schemaname ?? n.authrole?.rolename;
  if (!name) return;
  if (ctx.catalog.schemas.has(name)) {
    if (!n.if_not_exists) note(ctx, `schema "${name}" already exists`);
    return;
  }
  ensureSchema(ctx, name);
}

/** `SET [LOCAL] search_path TO a, b` when the list is plain names; `"$user"` is left out (no such schema in a migration run). */
export function setSearchPath(ctx: ReplayContext, values: string[]): void {
  ctx.catalog.searchPath = values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim().replace(/^"(.*)"$/, '$1'))
    .filter((v) => v !== '' && v !== '$user' && v !== 'pg_catalog');
}

export function variableSet(ctx: ReplayContext, n: VariableSetStmt): void {
  if (n.name !== 'search_path') return;
  if (n.kind === 'VAR_SET_DEFAULT' || n.kind === 'VAR_RESET') { ctx.catalog.searchPath = ['public']; return; }
  const values = (n.args ?? []).map((a) => nodeOf(a, 'A_Const')?.sval?.sval).filter((s): s is string => typeof s === 'string');
  setSearchPath(ctx, values);
}

/** `SELECT pg_catalog.set_config('search_path', '…', false)` as pg_dump writes it. */
export function selectSetConfig(ctx: ReplayContext, n: SelectStmt): void {
  const call = nodeOf(nodeOf(n.targetList?.[0], 'ResTarget')?.val, 'FuncCall');
  if (!call || strings(call.funcname).at(-1) !== 'set_config') return;
  const [name, value] = (call.args ?? []).map((a) => nodeOf(a, 'A_Const')?.sval?.sval);
  if (name === 'search_path' && typeof value === 'string') setSearchPath(ctx, [value]);
}

export function createSequence(ctx: ReplayContext, n: CreateSeqStmt): void {
  const schema = ensureSchema(ctx, creationSchema(ctx, n.sequence?.schemaname));
  const name = n.sequence?.relname;
  if (!name) return;
  if (schema.sequences.has(name)) { if (!n.if_not_exists) note(ctx, `sequence "${name}" already exists`); return; }
  const ownedBy = ownedByOption(n.options);
  schema.sequences.set(name, { schema: schema.name, name, ...(ownedBy ? { ownedBy } : {}), origin: ctx.origin });
}

/** OWNED BY [schema.]table.column ties a sequence to a column as serial does: `table.column`; OWNED BY NONE: null; absent: undefined. */
function ownedByOption(options: Node[] | undefined): string | null | undefined {
  const option = (options ?? []).map((o) => nodeOf(o, 'DefElem')).find((d) => d?.defname === 'owned_by');
  if (!option) return undefined;
  const owner = strings(nodeOf(option.arg, 'List')?.items);
  return owner.length >= 2 ? `${owner[owner.length - 2]}.${owner[owner.length - 1]}` : null;
}

/** ALTER SEQUENCE … OWNED BY t.c / NONE (civitai and hatchet tie sequences they made to a column this way). */
export function alterSequence(ctx: ReplayContext, n: AlterSeqStmt): void {
  const ownedBy = ownedByOption(n.options);
  const sequence = n.sequence;
  const relname = sequence?.relname;
  if (ownedBy === undefined || !sequence || !relname) return;
  const schema = lookupSchemas(ctx, sequence.schemaname).find((s) => s.sequences.has(relname));
  if (!schema) { if (!n.missing_ok) note(ctx, `ALTER SEQUENCE: sequence "${relname}" is not in the catalog`); return; }
  // A new object, not a change: the sequence may be shared with a snapshot (catalog/snapshot.ts).
  const { ownedBy: _old, ...seq } = schema.sequences.get(relname)!;
  schema.sequences.set(seq.name, ownedBy ? { ...seq, ownedBy } : seq);
}

/** ALTER … SET SCHEMA for tables, views and types. */
export function setSchema(ctx: ReplayContext, n: AlterObjectSchemaStmt): void {
  const target = ensureSchema(ctx, n.newschema ?? '');
  if (n.objectType === 'OBJECT_TABLE') {
    const table = findTable(ctx, n.relation);
    if (!table) return note(ctx, `SET SCHEMA: table "${n.relation?.relname}" is not in the catalog`);
    const old = table.schema;
    ctx.catalog.schemas.get(old)!.tables.delete(table.name);
    table.schema = target.name;
    target.tables.set(table.name, table);
    const pointsHere = (fk: (typeof table.foreignKeys)[number]) => fk.references.schema === old && fk.references.name === table.name;
    for (const t of tablesToChange(ctx, (x) => x.foreignKeys.some(pointsHere))) for (const fk of t.foreignKeys) if (pointsHere(fk)) fk.references.schema = target.name;
    relationMoved(ctx, { schema: old, name: table.name }, { schema: target.name, name: table.name });
    return;
  }
  if (n.objectType === 'OBJECT_VIEW' || n.objectType === 'OBJECT_MATVIEW') {
    const view = findView(ctx, n.relation);
    if (!view) return;
    ctx.catalog.schemas.get(view.schema)!.views.delete(view.name);
    const old = view.schema;
    view.schema = target.name;
    target.views.set(view.name, view);
    relationMoved(ctx, { schema: old, name: view.name }, { schema: target.name, name: view.name });
    return;
  }
  if (n.objectType === 'OBJECT_TYPE' || n.objectType === 'OBJECT_DOMAIN') {
    const names = strings(nodeOf(n.object, 'List')?.items ?? n.object);
    const name = names[names.length - 1];
    const from = lookupSchemas(ctx, names.length > 1 ? names[0] : undefined).find((s) => s.enums.has(name) || s.otherTypes.has(name));
    if (!from) return;
    const e = from.enums.get(name);
    if (e) { from.enums.delete(name); target.enums.set(name, { ...deepCopy(e), schema: target.name }); }
    else { target.otherTypes.set(name, from.otherTypes.get(name)!); from.otherTypes.delete(name); }
    retypeColumns(ctx, from.name, name, target.name, name);
  }
}
