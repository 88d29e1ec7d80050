import type { Constraint } from '@pgsql/types';
import { childrenOf, nodeOf } from '../../parse/sql/nodes';
import type { Deferrable, FkAction, Index, Schema, Table } from '../model';
import { constraintNameTaken, lookupTable, note, relationNameTaken, strings, tablesToChange, type ReplayContext } from './context';
import { indexKeysOf, indexNameAddition, storageOptions } from './index-keys';
import { forgetNames, recordConstraintName, recordIndexName } from './name-cache';
import { chooseName, nameAddition } from './names';
import { clauseInParens, expressionText, parenthesizedAfter } from './source-text';

const ACTIONS: Record<string, FkAction> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };

/** Constraint names already handed out by the statement being replayed (PostgreSQL's `others` list). */
export type PendingNames = Set<string>;

/**
 * Adds a PRIMARY KEY, UNIQUE, EXCLUDE, FOREIGN KEY or CHECK constraint node to `table`, naming it the way PostgreSQL does
 * when the statement leaves it unnamed. `column` is set for a constraint written inline with a column.
 */
export function addConstraint(ctx: ReplayContext, schema: Schema, table: Table, c: Constraint, column?: string, pending: PendingNames = new Set()): void {
  switch (c.contype) {
    case 'CONSTR_PRIMARY': case 'CONSTR_UNIQUE': case 'CONSTR_EXCLUSION':
      addIndexConstraint(ctx, schema, table, c, column);
      break;
    case 'CONSTR_FOREIGN':
      addForeignKey(ctx, schema, table, c, column, pending);
      break;
    case 'CONSTR_CHECK':
      addCheck(ctx, schema, table, c, pending);
      break;
    default:
      break;
  }
}

function addIndexConstraint(ctx: ReplayContext, schema: Schema, table: Table, c: Constraint, column?: string): void {
  const kind = c.contype === 'CONSTR_PRIMARY' ? 'primary' : c.contype === 'CONSTR_UNIQUE' ? 'unique' : 'exclusion';
  if (c.indexname) return adoptIndex(ctx, table, c, kind);
  const include = strings(c.including);
  let keys: Index['keys'];
  let names: string[];
  if (kind === 'exclusion') {
    const pairs = (c.exclusions ?? []).map((pair) => nodeOf(pair, 'List')?.items ?? []);
    const operators = pairs.map((pair) => strings(nodeOf(pair[1], 'List')?.items).join('.'));
    ({ keys, names } = indexKeysOf(ctx, pairs.map((pair) => pair[0]), ctx.stmt.toFileOffset(c.location ?? 0), operators));
  } else {
    names = column !== undefined ? [column] : strings(c.keys);
    keys = names.map((col) => ({ column: col }));
  }
  if (kind === 'primary' && table.primaryKey) {
    // PostgreSQL would refuse a second primary key, so the first was dropped by something the catalog cannot follow (dynamic SQL).
    note(ctx, `table "${table.name}" already has primary key "${table.primaryKey.name}" in the catalog; replacing it`);
    dropConstraint(ctx, table, table.primaryKey.name, true, false);
  }
  const label = kind === 'primary' ? 'pkey' : kind === 'unique' ? 'key' : 'excl';
  const name: string = c.conname ?? chooseName(table.name, kind === 'primary' ? undefined : indexNameAddition(names, include), label,
    (n) => relationNameTaken(schema, n) || constraintNameTaken(schema, n));
  const index: Index = {
    name, keys, include, method: kind === 'exclusion' ? c.access_method ?? 'gist' : 'btree', unique: kind !== 'exclusion', backs: kind, origin: ctx.origin,
  };
  if (c.where_clause) index.predicate = expressionText(ctx, c.where_clause);
  const options = storageOptions(c.options);
  if (options.length) index.options = options;
  table.indexes.push(index);
  recordIndexName(schema, name, true);
  const columns = keys.map((k) => k.column ?? '');
  const deferrable = deferrableOf(c);
  if (kind === 'primary') {
    table.primaryKey = { name, columns, ...deferrable, origin: ctx.origin };
    markNotNull(table, columns);
  } else if (kind === 'unique') {
    table.uniqueConstraints.push({ name, columns, ...deferrable, origin: ctx.origin });
  }
}

/** `ADD CONSTRAINT … PRIMARY KEY / UNIQUE USING INDEX i`: the index becomes the constraint and takes its name. */
function adoptIndex(ctx: ReplayContext, table: Table, c: Constraint, kind: 'primary' | 'unique' | 'exclusion'): void {
  const index = table.indexes.find((i) => i.name === c.indexname);
  if (!index) return note(ctx, `USING INDEX: index "${c.indexname}" is not on table "${table.name}"`);
  if (c.conname) index.name = c.conname;
  index.backs = kind;
  const columns = index.keys.map((k) => k.column ?? '');
  if (kind === 'primary') {
    table.primaryKey = { name: index.name, columns, ...deferrableOf(c), origin: ctx.origin };
    markNotNull(table, columns);
  } else {
    table.uniqueConstraints.push({ name: index.name, columns, ...deferrableOf(c), origin: ctx.origin });
  }
}

/** DEFERRABLE [INITIALLY DEFERRED] of a constraint node, as the field to spread into the catalog's constraint. */
function deferrableOf(c: Constraint): { deferrable?: Deferrable } {
  return c.deferrable ? { deferrable: c.initdeferred ? 'deferred' : 'immediate' } : {};
}

function markNotNull(table: Table, columns: string[]): void {
  for (const col of table.columns) if (columns.includes(col.name)) col.notNull = true;
}

function addForeignKey(ctx: ReplayContext, schema: Schema, table: Table, c: Constraint, column: string | undefined, pending: PendingNames): void {
  if (c.conname && constraintOnTable(table, c.conname)) return note(ctx, `constraint "${c.conname}" for relation "${table.name}" already exists`);
  const columns = column !== undefined ? [column] : strings(c.fk_attrs);
  const target = lookupTable(ctx, c.pktable);
  if (!target) note(ctx, `foreign key references unknown table "${c.pktable?.relname}"`);
  let referencedColumns = strings(c.pk_attrs);
  if (referencedColumns.length === 0) referencedColumns = target?.primaryKey?.columns.slice() ?? [];
  const name: string = c.conname ?? chooseName(table.name, nameAddition(columns), 'fkey', (n) => pending.has(n) || constraintNameTaken(schema, n));
  pending.add(name);
  recordConstraintName(schema, name);
  table.foreignKeys.push({
    name, columns,
    references: { schema: target?.schema ?? c.pktable?.schemaname ?? schema.name, name: target?.name ?? c.pktable?.relname ?? '' },
    referencedColumns,
    onDelete: ACTIONS[c.fk_del_action ?? ''] ?? 'no action',
    onUpdate: ACTIONS[c.fk_upd_action ?? ''] ?? 'no action',
    ...(c.skip_validation ? { notValid: true as const } : {}),
    ...deferrableOf(c),
    origin: ctx.origin,
  });
}

/** Column names an expression mentions (the last field of each column reference). */
export function referencedColumns(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => referencedColumns(n, out));
  else if (node && typeof node === 'object') {
    const ref = nodeOf(node, 'ColumnRef');
    if (ref) {
      const fields = strings(ref.fields);
      if (fields.length) out.add(fields[fields.length - 1]);
    } else for (const v of childrenOf(node)) if (typeof v === 'object') referencedColumns(v, out);
  }
  return out;
}

/** A constraint of this name on the table already (PostgreSQL refuses a second one). */
function constraintOnTable(table: Table, name: string): boolean {
  return table.primaryKey?.name === name || [table.uniqueConstraints, table.foreignKeys, table.checks].some((list) => list.some((x) => x.name === name));
}

function addCheck(ctx: ReplayContext, schema: Schema, table: Table, c: Constraint, pending: PendingNames): void {
  if (c.conname && constraintOnTable(table, c.conname)) return note(ctx, `constraint "${c.conname}" for relation "${table.name}" already exists`);
  // PostgreSQL names an unnamed CHECK after its column only when the expression mentions exactly one column.
  const cols = [...referencedColumns(c.raw_expr)].filter((n) => table.columns.some((col) => col.name === n));
  const name: string = c.conname ?? chooseName(table.name, cols.length === 1 ? cols[0] : undefined, 'check', (n) => pending.has(n) || constraintNameTaken(schema, n));
  pending.add(name);
  const start = ctx.stmt.toFileOffset(c.location ?? 0);
  const expression = parenthesizedAfter(ctx.text, start, ctx.stmt.end) ?? clauseInParens(ctx, /check\b/i) ?? '';
  recordConstraintName(schema, name);
  table.checks.push({ name, expression, ...(c.skip_validation ? { notValid: true as const } : {}), origin: ctx.origin });
}

/**
 * Drops a constraint by name; its index goes with it, and (with `cascade`) so do the foreign keys of other
 * tables that lean on that index. `table` must be writable (replay handlers get it from `findTable`).
 */
export function dropConstraint(ctx: ReplayContext, table: Table, name: string, missingOk: boolean, cascade = true): void {
  forgetNames();
  if (table.primaryKey?.name === name) {
    table.primaryKey = undefined;
    dropIndexByName(ctx, table, name, cascade);
    return;
  }
  const lists = [table.uniqueConstraints, table.foreignKeys, table.checks] as { name: string }[][];
  for (const list of lists) {
    const k = list.findIndex((c) => c.name === name);
    if (k >= 0) {
      list.splice(k, 1);
      if (list === table.uniqueConstraints) dropIndexByName(ctx, table, name, cascade);
      return;
    }
  }
  const excl = table.indexes.findIndex((i) => i.backs === 'exclusion' && i.name === name);
  if (excl >= 0) { table.indexes.splice(excl, 1); return; }
  if (!missingOk) note(ctx, `constraint "${name}" of table "${table.name}" is not in the catalog`);
}

/** Removes an index; foreign keys elsewhere that reference exactly its columns lose their support and are dropped (CASCADE). */
export function dropIndexByName(ctx: ReplayContext, table: Table, name: string, cascade = true): void {
  const k = table.indexes.findIndex((i) => i.name === name);
  if (k < 0) return;
  const [index] = table.indexes.splice(k, 1);
  if (!cascade || !index.unique || index.predicate) return;
  const cols = index.keys.map((x) => x.column ?? '\0').sort().join(',');
  const stillUnique = (refCols: string): boolean =>
    table.indexes.some((i) => i.unique && !i.predicate && i.keys.map((x) => x.column ?? '\0').sort().join(',') === refCols);
  if (stillUnique(cols)) return;
  const leans = (fk: Table['foreignKeys'][number]) =>
    fk.references.schema === table.schema && fk.references.name === table.name && fk.referencedColumns.slice().sort().join(',') === cols;
  for (const other of tablesToChange(ctx, (t) => t.foreignKeys.some(leans))) other.foreignKeys = other.foreignKeys.filter((fk) => !leans(fk));
}
