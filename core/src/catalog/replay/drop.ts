import type { DropStmt } from '@pgsql/types';
import { nodeOf } from '../../parse/sql/nodes';
import { type Table } from '../model';
import { dropOwnedSequences } from './columns';
import { dropConstraint, dropIndexByName } from './constraints';
import { partitionsOf } from './partitions';
import { findIndex, findTable, findView, lookupSchemas, lookupTable, nameListToRangeVar, note, strings, tablesToChange, type ReplayContext } from './context';
import { printUserType } from './types';
import { dropDependentViews } from './view-dependencies';

/** DROP TABLE / INDEX / VIEW / TYPE / SCHEMA / POLICY / SEQUENCE. Functions, triggers and the like are not modelled. */
export function drop(ctx: ReplayContext, n: DropStmt): void {
  const missingOk = !!n.missing_ok;
  const cascade = n.behavior === 'DROP_CASCADE';
  for (const obj of n.objects ?? []) {
    const list = nodeOf(obj, 'List');
    const name = nodeOf(obj, 'String');
    const type = nodeOf(obj, 'TypeName');
    const items = list ? strings(list.items) : name ? [name.sval ?? ''] : type ? strings(type.names) : [];
    if (items.length === 0) continue;
    const missing = (what: string) => { if (!missingOk) note(ctx, `DROP ${what}: "${items.join('.')}" is not in the catalog`); };
    switch (n.removeType) {
      case 'OBJECT_TABLE': case 'OBJECT_FOREIGN_TABLE': {
        const table = lookupTable(ctx, nameListToRangeVar(items));
        if (!table) { missing('TABLE'); break; }
        dropTable(ctx, table);
        if (cascade) dropDependentViews(ctx, [table]);
        break;
      }
      case 'OBJECT_VIEW': case 'OBJECT_MATVIEW': {
        const view = findView(ctx, nameListToRangeVar(items));
        if (!view) { missing('VIEW'); break; }
        ctx.catalog.schemas.get(view.schema)!.views.delete(view.name);
        if (cascade) dropDependentViews(ctx, [view]);
        break;
      }
      case 'OBJECT_INDEX': {
        const hit = findIndex(ctx, nameListToRangeVar(items));
        if (!hit) { missing('INDEX'); break; }
        if ('primaryKey' in hit.owner) {
          if (hit.index.backs) dropConstraint(ctx, hit.owner, hit.index.name, true);
          else dropIndexByName(ctx, hit.owner, hit.index.name);
        } else hit.owner.indexes = hit.owner.indexes.filter((i) => i !== hit.index);
        if ('kind' in hit.owner) dropAttachedIndexes(ctx, hit.owner, hit.index.name);
        break;
      }
      case 'OBJECT_SEQUENCE': {
        const rv = nameListToRangeVar(items);
        const schema = lookupSchemas(ctx, rv.schemaname).find((s) => s.sequences.has(rv.relname));
        if (schema) schema.sequences.delete(rv.relname); else missing('SEQUENCE');
        break;
      }
      case 'OBJECT_TYPE': case 'OBJECT_DOMAIN': {
        const rv = nameListToRangeVar(items);
        const schema = lookupSchemas(ctx, rv.schemaname).find((s) => s.enums.has(rv.relname) || s.otherTypes.has(rv.relname));
        if (!schema) { missing('TYPE'); break; }
        schema.enums.delete(rv.relname);
        schema.otherTypes.delete(rv.relname);
        if (cascade) dropColumnsOfType(ctx, printUserType(schema.name, rv.relname));
        break;
      }
      case 'OBJECT_SCHEMA': {
        const schema = ctx.catalog.schemas.get(items[0]);
        if (!schema) { missing('SCHEMA'); break; }
        const relations = [...schema.tables.values(), ...schema.views.values()].map((r) => ({ schema: r.schema, name: r.name }));
        for (const table of [...schema.tables.values()]) dropTable(ctx, table);
        ctx.catalog.schemas.delete(schema.name);
        if (cascade) dropDependentViews(ctx, relations);
        break;
      }
      case 'OBJECT_POLICY': {
        const policy = items[items.length - 1];
        const table = findTable(ctx, nameListToRangeVar(items.slice(0, -1)));
        const before = table?.policies.length ?? 0;
        if (table) table.policies = table.policies.filter((p) => p.name !== policy);
        if (!table || table.policies.length === before) missing('POLICY');
        break;
      }
      default:
        break;
    }
  }
}

/** Drops a table, its partitions and owned sequences, and the foreign keys of other tables that point at it. */
export function dropTable(ctx: ReplayContext, table: Table): void {
  const schema = ctx.catalog.schemas.get(table.schema)!;
  schema.tables.delete(table.name);
  dropOwnedSequences(schema, table);
  const pointsHere = (fk: Table['foreignKeys'][number]) => fk.references.schema === table.schema && fk.references.name === table.name;
  for (const other of tablesToChange(ctx, (t) => t.foreignKeys.some(pointsHere))) other.foreignKeys = other.foreignKeys.filter((fk) => !pointsHere(fk));
  for (const other of tablesToChange(ctx, (t) => t.partitionOf?.schema === table.schema && t.partitionOf.name === table.name)) dropTable(ctx, other);
}

function dropColumnsOfType(ctx: ReplayContext, type: string): void {
  const ofType = (c: { type: string }) => c.type === type || c.type === `${type}[]`;
  for (const table of tablesToChange(ctx, (t) => t.columns.some(ofType))) table.columns = table.columns.filter((c) => !ofType(c));
}

/** Dropping a partitioned index drops the partitions' indexes attached to it, and theirs in turn. */
function dropAttachedIndexes(ctx: ReplayContext, parent: Table, name: string): void {
  for (const child of partitionsOf(ctx, parent)) {
    for (const index of child.indexes.filter((i) => i.attachedTo?.schema === parent.schema && i.attachedTo.name === name)) {
      dropIndexByName(ctx, child, index.name);
      dropAttachedIndexes(ctx, child, index.name);
    }
  }
}
