import type { RenameStmt } from '@pgsql/types';
import { nodeOf } from '../../parse/sql/nodes';
import { type Table, type View } from '../model';
import { deepCopy } from '../snapshot';
import { renameSequenceOwner } from './columns';
import { findIndex, findTable, findView, lookupSchemas, note, strings, tablesToChange, type ReplayContext } from './context';
import { renameColumnInTexts, renameSequenceInTexts, renameTableInTexts, renameViewColumnInTexts } from './rename-dependents';
import { findEnum, retypeColumns } from './types-stmts';
import { relationMoved } from './view-dependencies';
import { renameAttachedTo } from './partitions';

/** RenameStmt: tables, views, columns, constraints, indexes, sequences, types, schemas and policies. */
export function rename(ctx: ReplayContext, n: RenameStmt): void {
  // The grammar gives every RENAME its new name, and the RENAME of a column, constraint, schema or policy its old one.
  const { newname, subname = '' } = n;
  if (newname === undefined) return;
  switch (n.renameType) {
    case 'OBJECT_TABLE': case 'OBJECT_VIEW': case 'OBJECT_MATVIEW': case 'OBJECT_FOREIGN_TABLE':
      return renameRelation(ctx, n, newname);
    case 'OBJECT_COLUMN': {
      const table = findTable(ctx, n.relation);
      const view = table ? undefined : findView(ctx, n.relation);
      if (view) return renameViewColumn(ctx, view, subname, newname);
      if (!table) { if (!n.missing_ok) note(ctx, `RENAME COLUMN: table "${n.relation?.relname}" is not in the catalog`); return; }
      renameColumn(ctx, table, subname, newname);
      return;
    }
    case 'OBJECT_TABCONSTRAINT': {
      const table = findTable(ctx, n.relation);
      if (!table) { if (!n.missing_ok) note(ctx, `RENAME CONSTRAINT: table "${n.relation?.relname}" is not in the catalog`); return; }
      if (!renameConstraint(table, subname, newname)) note(ctx, `constraint "${subname}" of "${table.name}" is not in the catalog`);
      return;
    }
    case 'OBJECT_INDEX': {
      const hit = findIndex(ctx, n.relation);
      if (!hit) { if (!n.missing_ok) note(ctx, `ALTER INDEX: index "${n.relation?.relname}" is not in the catalog`); return; }
      // Renaming the index behind a constraint renames the constraint too.
      const old = hit.index.name;
      if ('primaryKey' in hit.owner && hit.index.backs) renameConstraint(hit.owner, hit.index.name, newname);
      else hit.index.name = newname;
      if ('kind' in hit.owner) renameAttachedTo(ctx, hit.owner, old, newname);
      return;
    }
    case 'OBJECT_SEQUENCE': {
      renameSequence(ctx, n, newname);
      return;
    }
    case 'OBJECT_TYPE': case 'OBJECT_DOMAIN': {
      const names = strings(nodeOf(n.object, 'List')?.items ?? n.object);
      const e = findEnum(ctx, names);
      const schemaName = e?.schema ?? lookupSchemas(ctx, names.length > 1 ? names[0] : undefined).find((s) => s.otherTypes.has(names[names.length - 1]))?.name;
      if (!schemaName) return;
      const schema = ctx.catalog.schemas.get(schemaName)!;
      const old = names[names.length - 1];
      if (e) { schema.enums.delete(old); schema.enums.set(newname, { ...deepCopy(e), name: newname }); }
      else { const origin = schema.otherTypes.get(old)!; schema.otherTypes.delete(old); schema.otherTypes.set(newname, origin); }
      retypeColumns(ctx, schemaName, old, schemaName, newname);
      return;
    }
    case 'OBJECT_SCHEMA': {
      const schema = ctx.catalog.schemas.get(subname);
      if (!schema) return note(ctx, `schema "${subname}" is not in the catalog`);
      ctx.catalog.schemas.delete(schema.name);
      schema.name = newname;
      ctx.catalog.schemas.set(schema.name, schema);
      // New objects rather than changed ones: the old ones may be shared with a snapshot (catalog/snapshot.ts).
      for (const [k, t] of schema.tables) schema.tables.set(k, { ...deepCopy(t), schema: schema.name });
      for (const [k, v] of schema.views) schema.views.set(k, { ...deepCopy(v), schema: schema.name });
      for (const name of [...schema.tables.keys(), ...schema.views.keys()]) relationMoved(ctx, { schema: subname, name }, { schema: schema.name, name });
      for (const [k, e] of schema.enums) { schema.enums.set(k, { ...deepCopy(e), schema: schema.name }); retypeColumns(ctx, subname, e.name, schema.name, e.name); }
      const fromOld = (fk: Table['foreignKeys'][number]) => fk.references.schema === subname;
      for (const t of tablesToChange(ctx, (x) => x.foreignKeys.some(fromOld))) for (const fk of t.foreignKeys) if (fromOld(fk)) fk.references.schema = schema.name;
      return;
    }
    case 'OBJECT_POLICY': {
      const table = findTable(ctx, n.relation);
      const policy = table?.policies.find((p) => p.name === subname);
      if (policy) policy.name = newname;
      else note(ctx, `policy "${subname}" is not in the catalog`);
      return;
    }
    default:
      return;
  }
}

function renameRelation(ctx: ReplayContext, n: RenameStmt, newname: string): void {
  const found = findTable(ctx, n.relation);
  if (found) {
    // Texts first, while the old name still resolves; the rewrite may copy this table, so look it up again.
    renameTableInTexts(ctx, found, newname);
    const table = findTable(ctx, { schemaname: found.schema, relname: found.name })!;
    const schema = ctx.catalog.schemas.get(table.schema)!;
    const old = table.name;
    schema.tables.delete(old);
    table.name = newname;
    schema.tables.set(table.name, table);
    renameSequenceOwner(schema, old, table.name);
    const pointsHere = (fk: Table['foreignKeys'][number]) => fk.references.schema === table.schema && fk.references.name === old;
    const partition = (t: Table) => t.partitionOf?.schema === table.schema && t.partitionOf.name === old;
    for (const t of tablesToChange(ctx, (x) => x.foreignKeys.some(pointsHere) || partition(x))) {
      for (const fk of t.foreignKeys) if (pointsHere(fk)) fk.references.name = table.name;
      if (partition(t)) t.partitionOf!.name = table.name;
    }
    relationMoved(ctx, { schema: table.schema, name: old }, { schema: table.schema, name: table.name });
    return;
  }
  const view = findView(ctx, n.relation);
  if (view) {
    const schema = ctx.catalog.schemas.get(view.schema)!;
    schema.views.delete(view.name);
    const old = view.name;
    view.name = newname;
    schema.views.set(view.name, view);
    relationMoved(ctx, { schema: view.schema, name: old }, { schema: view.schema, name: view.name });
    return;
  }
  if (renameSequence(ctx, n, newname)) return; // … and sequences
  const index = findIndex(ctx, n.relation); // ALTER TABLE … RENAME also renames indexes
  if (index) { index.index.name = newname; return; }
  if (!n.missing_ok) note(ctx, `RENAME: relation "${n.relation?.relname}" is not in the catalog`);
}

/** Renames the sequence `n.relation` names, and its uses in defaults; false when no schema on the path has it. */
function renameSequence(ctx: ReplayContext, n: RenameStmt, newname: string): boolean {
  for (const schema of lookupSchemas(ctx, n.relation?.schemaname)) {
    const seq = schema.sequences.get(n.relation?.relname ?? '');
    if (!seq) continue;
    renameSequenceInTexts(ctx, schema.name, seq.name, newname);
    schema.sequences.delete(seq.name);
    schema.sequences.set(newname, { ...seq, name: newname });
    return true;
  }
  return false;
}

/** Renames a column everywhere the catalog names it: keys, indexes, FKs of this table and FKs that reference it. */
export function renameColumn(ctx: ReplayContext, table: Table, from: string, to: string): void {
  if (!table.columns.some((c) => c.name === from)) return note(ctx, `column "${from}" of table "${table.name}" is not in the catalog`);
  // Texts first, while the catalog still resolves the old name; the rewrite may copy this table, so look it up again.
  renameColumnInTexts(ctx, table, from, to);
  table = findTable(ctx, { schemaname: table.schema, relname: table.name })!;
  const col = table.columns.find((c) => c.name === from)!;
  col.name = to;
  const swap = (list: string[]) => list.map((c) => (c === from ? to : c));
  if (table.primaryKey) table.primaryKey.columns = swap(table.primaryKey.columns);
  for (const u of table.uniqueConstraints) u.columns = swap(u.columns);
  for (const i of table.indexes) { for (const k of i.keys) if (k.column === from) k.column = to; i.include = swap(i.include); }
  for (const fk of table.foreignKeys) fk.columns = swap(fk.columns);
  const schema = ctx.catalog.schemas.get(table.schema)!;
  renameSequenceOwner(schema, table.name, table.name, from, to);
  const pointsHere = (fk: Table['foreignKeys'][number]) => fk.references.schema === table.schema && fk.references.name === table.name;
  const partition = (t: Table) => t.partitionOf?.schema === table.schema && t.partitionOf.name === table.name;
  for (const t of tablesToChange(ctx, (x) => x.foreignKeys.some(pointsHere) || partition(x))) {
    for (const fk of t.foreignKeys) if (pointsHere(fk)) fk.referencedColumns = swap(fk.referencedColumns);
    if (partition(t)) renameColumn(ctx, t, from, to);
  }
}

/** A view's or materialized view's column, and the index keys on it that name the column. */
function renameViewColumn(ctx: ReplayContext, view: View, from: string, to: string): void {
  const col = view.columns?.find((c) => c.name === from);
  if (view.columns && !col) return note(ctx, `column "${from}" of view "${view.name}" is not in the catalog`);
  renameViewColumnInTexts(ctx, view, from, to); // while the old name still resolves
  if (col) col.name = to;
  for (const i of view.indexes) { for (const k of i.keys) if (k.column === from) k.column = to; i.include = i.include.map((c) => (c === from ? to : c)); }
}

/** Renames a constraint; PRIMARY KEY, UNIQUE and EXCLUDE constraints rename their index with them. */
function renameConstraint(table: Table, from: string, to: string): boolean {
  let found = false;
  if (table.primaryKey?.name === from) { table.primaryKey.name = to; found = true; }
  for (const list of [table.uniqueConstraints, table.foreignKeys, table.checks] as { name: string }[][]) {
    for (const c of list) if (c.name === from) { c.name = to; found = true; }
  }
  for (const i of table.indexes) if (i.backs && i.name === from) { i.name = to; found = true; }
  return found;
}

