import type { Constraint, CreateStmt } from '@pgsql/types';
import { nodeOf, stringOf, unwrap } from '../../parse/sql/nodes';
import { newTable, type Table } from '../model';
import { buildColumn } from './columns';
import { addConstraint, type PendingNames } from './constraints';
import { creationSchema, ensureSchema, lookupTable, namedRelation, note, type ReplayContext } from './context';
import { clonePartitionForeignKeys, clonePartitionIndex, partitionBoundText, partitionKeyOf } from './partitions';

/** CREATE TABLE, including PARTITION OF / INHERITS (columns copied from the parent). */
export function createTable(ctx: ReplayContext, n: CreateStmt): void {
  const rel = namedRelation(n.relation);
  const schema = ensureSchema(ctx, creationSchema(ctx, rel.schemaname, rel.relpersistence));
  if (schema.tables.has(rel.relname) || schema.views.has(rel.relname)) {
    if (!n.if_not_exists) note(ctx, `table "${rel.relname}" already exists`);
    return;
  }
  const table = newTable(schema.name, rel.relname, ctx.origin);
  if (n.partspec) {
    table.kind = 'partitioned';
    table.partitionBy = String(n.partspec.strategy ?? '').replace('PARTITION_STRATEGY_', '').toLowerCase();
    table.partitionKey = partitionKeyOf(ctx, n.partspec);
  }
  const parents = (n.inhRelations ?? []).map((r) => lookupTable(ctx, nodeOf(r, 'RangeVar'))).filter((t): t is Table => t !== undefined);
  for (const parent of parents) {
    for (const col of parent.columns) if (!table.columns.some((c) => c.name === col.name)) table.columns.push({ ...col, origin: ctx.origin });
  }
  if (n.partbound && parents[0]) {
    table.partitionOf = { schema: parents[0].schema, name: parents[0].name };
    const bound = partitionBoundText(ctx, n.partbound);
    if (bound !== undefined) table.partitionBound = bound;
  }
  schema.tables.set(table.name, table);

  // PostgreSQL adds CHECKs with the table, then the PRIMARY KEY, the UNIQUEs in order, and the FOREIGN KEYs last.
  const checks: [Constraint, string?][] = [];
  const keys: [Constraint, string?][] = [];
  const fks: [Constraint, string?][] = [];
  const sort = (c: Constraint, column?: string): void => {
    if (c.contype === 'CONSTR_CHECK') checks.push([c, column]);
    else if (c.contype === 'CONSTR_FOREIGN') fks.push([c, column]);
    else if (c.contype === 'CONSTR_PRIMARY') keys.unshift([c, column]);
    else keys.push([c, column]);
  };
  for (const elt of n.tableElts ?? []) {
    const { kind, node } = unwrap(elt) ?? {};
    if (kind === 'ColumnDef') {
      const { column, constraints } = buildColumn(ctx, schema, table, node);
      const inherited = table.columns.find((c) => c.name === column.name);
      if (inherited) Object.assign(inherited, { ...column, notNull: column.notNull || inherited.notNull });
      else table.columns.push(column);
      for (const c of constraints) sort(c, column.name);
    } else if (kind === 'Constraint') {
      sort(node);
    } else if (kind === 'TableLikeClause') {
      const source = lookupTable(ctx, node.relation);
      if (!source) note(ctx, `LIKE: table "${node.relation?.relname}" is not in the catalog`);
      for (const col of source?.columns ?? []) table.columns.push({ ...col, default: undefined, origin: ctx.origin });
    }
  }
  const pending: PendingNames = new Set();
  for (const [c, column] of checks) addConstraint(ctx, schema, table, c, column, pending);
  for (const [c, column] of dedupeKeyConstraints(keys)) addConstraint(ctx, schema, table, c, column, pending);
  for (const [c, column] of fks) addConstraint(ctx, schema, table, c, column, pending);
  if (table.partitionOf && parents[0]) {
    for (const index of parents[0].indexes) clonePartitionIndex(ctx, parents[0], index, table);
    clonePartitionForeignKeys(ctx, parents[0], table);
  }
}

/** CREATE TABLE drops a UNIQUE that repeats the primary key's (or an earlier UNIQUE's) columns, as PostgreSQL does. */
function dedupeKeyConstraints(list: [Constraint, string?][]): [Constraint, string?][] {
  const seen: string[] = [];
  const out: [Constraint, string?][] = [];
  for (const [c, column] of list) {
    if (c.contype === 'CONSTR_EXCLUSION' || c.indexname) { out.push([c, column]); continue; }
    const cols = JSON.stringify(column !== undefined ? [column] : (c.keys ?? []).map(stringOf));
    if (seen.includes(cols) && !c.conname) continue;
    seen.push(cols);
    out.push([c, column]);
  }
  return out;
}
