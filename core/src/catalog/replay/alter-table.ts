import type { AlterTableCmd, AlterTableStmt } from '@pgsql/types';
import { nodeOf, nodesOf } from '../../parse/sql/nodes';
import { type Schema, type Table } from '../model';
import { buildColumn, createOwnedSequence, dropOwnedSequences, storesNoDefault } from './columns';
import { addConstraint, dropConstraint, dropIndexByName, type PendingNames } from './constraints';
import { findTable, note, tablesToChange, type ReplayContext } from './context';
import { expressionText } from './source-text';
import { formatType } from './types';
import { alterTableSecurity } from './views';

/** ALTER TABLE with its sub-commands, in order. */
export function alterTable(ctx: ReplayContext, n: AlterTableStmt): void {
  if (n.objtype && n.objtype !== 'OBJECT_TABLE' && n.objtype !== 'OBJECT_FOREIGN_TABLE') return;
  const table = findTable(ctx, n.relation);
  if (!table) {
    if (!n.missing_ok) note(ctx, `ALTER TABLE: table "${n.relation?.relname}" is not in the catalog`);
    return;
  }
  const schema = ctx.catalog.schemas.get(table.schema)!;
  const pending: PendingNames = new Set();
  for (const cmd of nodesOf(n.cmds, 'AlterTableCmd')) alterTableCommand(ctx, schema, table, cmd, pending);
}

/** The column a subcommand names (the grammar always names one where this is asked; a missing name is noted as unknown). */
function column(ctx: ReplayContext, table: Table, name: string | undefined) {
  const col = table.columns.find((c) => c.name === name);
  if (!col) note(ctx, `column "${name}" of table "${table.name}" is not in the catalog`);
  return col;
}

function alterTableCommand(ctx: ReplayContext, schema: Schema, table: Table, cmd: AlterTableCmd, pending: PendingNames): void {
  switch (cmd.subtype) {
    case 'AT_AddColumn': {
      const def = nodeOf(cmd.def, 'ColumnDef');
      if (!def) return;
      if (table.columns.some((c) => c.name === def.colname)) {
        if (!cmd.missing_ok) note(ctx, `column "${def.colname}" of table "${table.name}" already exists`);
        return;
      }
      const { column: col, constraints } = buildColumn(ctx, schema, table, def);
      table.columns.push(col);
      for (const child of partitionsOf(ctx, table)) child.columns.push({ ...col });
      for (const c of constraints) addConstraint(ctx, schema, table, c, col.name, pending);
      return;
    }
    case 'AT_DropColumn': {
      if (!table.columns.some((c) => c.name === cmd.name)) {
        if (!cmd.missing_ok) note(ctx, `column "${cmd.name}" of table "${table.name}" is not in the catalog`);
        return;
      }
      const name = cmd.name ?? '';
      dropColumn(ctx, schema, table, name);
      for (const child of partitionsOf(ctx, table)) dropColumn(ctx, schema, child, name);
      return;
    }
    case 'AT_AlterColumnType': {
      const col = column(ctx, table, cmd.name);
      const typeName = nodeOf(cmd.def, 'ColumnDef')?.typeName;
      if (!col || !typeName) return;
      const oldType = col.type;
      col.type = formatType(ctx, typeName).type;
      // The default keeps the type it had and is cast to the new one: a quoted literal was a constant of the old type
      // (without its length or precision: `'new'::character varying`, as pg_get_expr prints it).
      if (col.default !== undefined && oldType !== col.type && /^'(?:[^']|'')*'$/.test(col.default)) col.default = `${col.default}::${typeWithoutModifiers(oldType)}`;
      for (const child of partitionsOf(ctx, table)) { const c = child.columns.find((x) => x.name === cmd.name); if (c) c.type = col.type; }
      return;
    }
    case 'AT_SetNotNull': case 'AT_DropNotNull': {
      const col = column(ctx, table, cmd.name);
      if (!col) return;
      col.notNull = cmd.subtype === 'AT_SetNotNull';
      for (const child of partitionsOf(ctx, table)) { const c = child.columns.find((x) => x.name === cmd.name); if (c) c.notNull = col.notNull; }
      return;
    }
    case 'AT_ColumnDefault': {
      const col = column(ctx, table, cmd.name);
      if (col) col.default = cmd.def && !storesNoDefault(ctx, cmd.def, col.type) ? expressionText(ctx, cmd.def) : undefined;
      return;
    }
    case 'AT_AddIdentity': {
      const col = column(ctx, table, cmd.name);
      if (!col) return;
      col.identity = nodeOf(cmd.def, 'Constraint')?.generated_when === 'a' ? 'always' : 'by default';
      createOwnedSequence(ctx, schema, table, col.name);
      return;
    }
    case 'AT_DropIdentity': {
      const col = column(ctx, table, cmd.name);
      if (col) col.identity = undefined;
      dropOwnedSequences(schema, table, cmd.name);
      return;
    }
    case 'AT_DropExpression': {
      const col = column(ctx, table, cmd.name);
      if (col) col.generated = undefined;
      return;
    }
    case 'AT_AddConstraint': {
      const c = nodeOf(cmd.def, 'Constraint');
      if (c) addConstraint(ctx, schema, table, c, undefined, pending);
      return;
    }
    case 'AT_ValidateConstraint': {
      const check = table.checks.findIndex((c) => c.name === cmd.name && c.notValid);
      // Replaced, not changed in place: the check object may be shared with an earlier snapshot.
      if (check >= 0) table.checks[check] = { name: table.checks[check].name, expression: table.checks[check].expression, origin: table.checks[check].origin };
      const fk = table.foreignKeys.findIndex((c) => c.name === cmd.name && c.notValid);
      if (fk >= 0) {
        const { notValid: _validated, ...valid } = table.foreignKeys[fk];
        table.foreignKeys[fk] = valid;
      }
      return;
    }
    case 'AT_DropConstraint':
      dropConstraint(ctx, table, cmd.name ?? '', !!cmd.missing_ok);
      return;
    case 'AT_EnableRowSecurity': table.rls.enabled = true; table.rls.origin = ctx.origin; return;
    case 'AT_DisableRowSecurity': table.rls.enabled = false; table.rls.origin = ctx.origin; return;
    case 'AT_ForceRowSecurity': table.rls.forced = true; return;
    case 'AT_NoForceRowSecurity': table.rls.forced = false; return;
    case 'AT_AttachPartition': {
      const child = findTable(ctx, nodeOf(cmd.def, 'PartitionCmd')?.name);
      if (child) child.partitionOf = { schema: table.schema, name: table.name };
      return;
    }
    case 'AT_DetachPartition': {
      const child = findTable(ctx, nodeOf(cmd.def, 'PartitionCmd')?.name);
      if (child) child.partitionOf = undefined;
      return;
    }
    default:
      alterTableSecurity(ctx, table, cmd); // owner, triggers; storage, statistics, replica identity …: not modelled
      return;
  }
}

/** The partitions of a partitioned table, writable (the caller changes them as it changes the parent). */
function partitionsOf(ctx: ReplayContext, table: Table): Table[] {
  if (table.kind !== 'partitioned') return [];
  return tablesToChange(ctx, (t) => t.partitionOf?.schema === table.schema && t.partitionOf.name === table.name);
}

function mentions(text: string | undefined, column: string): boolean {
  if (!text) return false;
  const escaped = column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_$"])"?${escaped}"?($|[^A-Za-z0-9_$"])`).test(text);
}

/** DROP COLUMN: indexes and constraints on the column go too, and foreign keys elsewhere that reference it (CASCADE). */
export function dropColumn(ctx: ReplayContext, schema: Schema, table: Table, name: string): void {
  table.columns = table.columns.filter((c) => c.name !== name);
  for (const index of [...table.indexes]) {
    const uses = index.keys.some((k) => k.column === name || mentions(k.expression, name)) || index.include.includes(name) || mentions(index.predicate, name);
    if (!uses) continue;
    if (index.backs) dropConstraint(ctx, table, index.name, true);
    else dropIndexByName(ctx, table, index.name);
  }
  table.foreignKeys = table.foreignKeys.filter((fk) => !fk.columns.includes(name));
  table.checks = table.checks.filter((c) => !mentions(c.expression, name));
  table.policies = table.policies.filter((p) => !mentions(p.using, name) && !mentions(p.withCheck, name));
  const references = (fk: Table['foreignKeys'][number]) => fk.references.schema === table.schema && fk.references.name === table.name && fk.referencedColumns.includes(name);
  for (const other of tablesToChange(ctx, (t) => t.foreignKeys.some(references))) other.foreignKeys = other.foreignKeys.filter((fk) => !references(fk));
  dropOwnedSequences(schema, table, name);
}

/** `character varying(20)` → `character varying`, `timestamp(3) without time zone` → `timestamp without time zone`; `character` prints as bpchar then. */
function typeWithoutModifiers(type: string): string {
  const bare = type.replace(/\(\d+(,\d+)?\)/, '');
  return bare === 'character' ? 'bpchar' : bare.replace(/^character\[/, 'bpchar[');
}
