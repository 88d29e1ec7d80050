import type { AlterTableStmt, PartitionBoundSpec, PartitionCmd, PartitionSpec } from '@pgsql/types';
import { nodeOf, nodesOf } from '../../parse/sql/nodes';
import type { Index, PartitionKey, Table } from '../model';
import { deepCopy } from '../snapshot';
import { findIndex, findTable, note, relationNameTaken, tablesToChange, type ReplayContext } from './context';
import { attemptMemo, recordConstraintName, recordIndexName } from './name-cache';
import { chooseName, dedupeColumnNames, nameAddition } from './names';
import { matchingParen, parenthesizedAfter } from './source-text';

/** The partitions of a partitioned table, writable (the caller changes them as it changes the parent). */
export function partitionsOf(ctx: ReplayContext, table: Table): Table[] {
  if (table.kind !== 'partitioned') return [];
  return tablesToChange(ctx, (t) => t.partitionOf?.schema === table.schema && t.partitionOf.name === table.name);
}

/** `PARTITION BY RANGE (a, lower(b))`: the key's columns (undefined for an expression) and the list as written. */
export function partitionKeyOf(ctx: ReplayContext, spec: PartitionSpec): PartitionKey {
  const columns = nodesOf(spec.partParams, 'PartitionElem').map((e) => e.name);
  const from = ctx.stmt.toFileOffset(spec.location ?? 0);
  return { columns, text: parenthesizedAfter(ctx.text, from, ctx.stmt.end) ?? columns.join(', ') };
}

/**
 * A partition bound as written, from `FOR VALUES` to its last parenthesis (`DEFAULT` for a default partition),
 * whitespace collapsed. The node's location is inside the clause, so the text is found from the last `FOR VALUES`
 * before it.
 */
export function partitionBoundText(ctx: ReplayContext, bound: PartitionBoundSpec | undefined): string | undefined {
  if (!bound) return undefined;
  if (bound.is_default) return 'DEFAULT';
  const at = ctx.stmt.toFileOffset(bound.location ?? 0);
  const before = ctx.text.slice(ctx.stmt.start, Math.min(at + 11, ctx.stmt.end));
  const matches = [...before.matchAll(/\bfor\s+values\b/gi)];
  const last = matches.at(-1);
  if (!last || last.index === undefined) return undefined;
  const start = ctx.stmt.start + last.index;
  const open = ctx.text.indexOf('(', start);
  if (open < 0 || open >= ctx.stmt.end) return undefined;
  let close = matchingParen(ctx.text, open, ctx.stmt.end);
  if (bound.strategy === 'r') {
    const to = ctx.text.indexOf('(', close + 1);
    if (to >= 0 && to < ctx.stmt.end) close = matchingParen(ctx.text, to, ctx.stmt.end);
  }
  return ctx.text.slice(start, close + 1).replace(/\s+/g, ' ').replace(/^for values/i, 'FOR VALUES');
}

/** Whether a partition's index can be attached to the parent's (PostgreSQL's CompareIndexInfo, as far as the catalog models it). */
export function sameIndexDefinition(a: Index, b: Index): boolean {
  const keys = (i: Index) => JSON.stringify(i.keys.map((k) => [k.column, k.expression, k.opclass, k.collation, !!k.descending, k.nulls]));
  return a.method === b.method && a.unique === b.unique && keys(a) === keys(b) && a.include.join(',') === b.include.join(',')
    && a.predicate === b.predicate && (a.backs === undefined) === (b.backs === undefined);
}

/**
 * An index created on a partitioned table (without ONLY) is made on every partition too: a partition's unattached
 * index of the same definition is attached instead, otherwise a new one gets the partition's generated name.
 */
export function indexPartitions(ctx: ReplayContext, parent: Table, index: Index, addition: string | undefined): void {
  for (const child of partitionsOf(ctx, parent)) {
    const attachedTo = { schema: parent.schema, name: index.name };
    const existing = child.indexes.find((i) => !i.attachedTo && sameIndexDefinition(i, index));
    if (existing) { existing.attachedTo = attachedTo; continue; }
    const schema = ctx.catalog.schemas.get(child.schema)!;
    const name = chooseName(child.name, addition, 'idx', (x) => relationNameTaken(schema, x), { attempts: attemptMemo(schema), kind: 'relation' });
    const copy: Index = { ...index, name, keys: index.keys.map((k) => ({ ...k })), include: [...index.include], attachedTo };
    child.indexes.push(copy);
    recordIndexName(schema, name, false);
    indexPartitions(ctx, child, copy, addition);
  }
}

/** A copy of a parent's index on a new or attached partition, named as PostgreSQL names an unnamed index there. */
export function clonePartitionIndex(ctx: ReplayContext, parent: Table, index: Index, child: Table): void {
  const schema = ctx.catalog.schemas.get(child.schema)!;
  const names = dedupeColumnNames([...index.keys.map((k) => k.column ?? 'expr'), ...index.include]);
  const label = index.backs === 'primary' ? 'pkey' : index.backs === 'unique' ? 'key' : index.backs === 'exclusion' ? 'excl' : 'idx';
  const name = chooseName(child.name, index.backs === 'primary' ? undefined : nameAddition(names), label, (x) => relationNameTaken(schema, x));
  const copy: Index = { ...index, name, keys: index.keys.map((k) => ({ ...k })), include: [...index.include], attachedTo: { schema: parent.schema, name: index.name }, origin: ctx.origin };
  child.indexes.push(copy);
  recordIndexName(schema, name, index.backs !== undefined);
  if (index.backs === 'primary') child.primaryKey = { name, columns: index.keys.map((k) => k.column ?? ''), origin: ctx.origin };
  if (index.backs === 'unique') child.uniqueConstraints.push({ name, columns: index.keys.map((k) => k.column ?? ''), origin: ctx.origin });
}

/** The parent's foreign keys a partition gets (kept when it is detached, as PostgreSQL keeps them). */
export function clonePartitionForeignKeys(ctx: ReplayContext, parent: Table, child: Table): void {
  const schema = ctx.catalog.schemas.get(child.schema)!;
  for (const fk of parent.foreignKeys) {
    const same = child.foreignKeys.some((c) => c.columns.join(',') === fk.columns.join(',') && c.references.schema === fk.references.schema
      && c.references.name === fk.references.name && c.referencedColumns.join(',') === fk.referencedColumns.join(','));
    if (same) continue;
    child.foreignKeys.push({ ...deepCopy(fk), origin: ctx.origin });
    recordConstraintName(schema, fk.name);
  }
}

/** `ALTER TABLE parent ATTACH PARTITION child FOR VALUES …`: the child's matching indexes are attached, the missing ones created. */
export function attachPartition(ctx: ReplayContext, parent: Table, cmd: PartitionCmd | undefined): void {
  const child = findTable(ctx, cmd?.name);
  if (!child) return note(ctx, `ATTACH PARTITION: table "${cmd?.name?.relname}" is not in the catalog`);
  child.partitionOf = { schema: parent.schema, name: parent.name };
  const bound = partitionBoundText(ctx, cmd?.bound);
  if (bound !== undefined) child.partitionBound = bound;
  for (const index of parent.indexes) {
    if (child.indexes.some((i) => i.attachedTo?.schema === parent.schema && i.attachedTo.name === index.name)) continue;
    const existing = child.indexes.find((i) => !i.attachedTo && sameIndexDefinition(i, index));
    if (existing) existing.attachedTo = { schema: parent.schema, name: index.name };
    else clonePartitionIndex(ctx, parent, index, child);
  }
  clonePartitionForeignKeys(ctx, parent, child);
}

/** `DETACH PARTITION [CONCURRENTLY]`: the child becomes a table of its own; its indexes and foreign keys stay, detached. */
export function detachPartition(ctx: ReplayContext, parent: Table, cmd: PartitionCmd | undefined): void {
  const child = findTable(ctx, cmd?.name);
  if (!child) return note(ctx, `DETACH PARTITION: table "${cmd?.name?.relname}" is not in the catalog`);
  child.partitionOf = undefined;
  child.partitionBound = undefined;
  for (const index of child.indexes) {
    if (index.attachedTo?.schema === parent.schema && parent.indexes.some((i) => i.name === index.attachedTo?.name)) index.attachedTo = undefined;
  }
}

/** `ALTER INDEX parent_index ATTACH PARTITION partition_index` (after `CREATE INDEX … ON ONLY parent`). */
export function alterIndexAttach(ctx: ReplayContext, n: AlterTableStmt): void {
  for (const cmd of nodesOf(n.cmds, 'AlterTableCmd')) {
    if (cmd.subtype !== 'AT_AttachPartition') continue;
    const parent = findIndex(ctx, n.relation);
    const child = findIndex(ctx, nodeOf(cmd.def, 'PartitionCmd')?.name);
    if (!parent || !child) { note(ctx, 'ALTER INDEX … ATTACH PARTITION: index not in the catalog'); continue; }
    child.index.attachedTo = { schema: parent.owner.schema, name: parent.index.name };
  }
}

/** ALTER INDEX … RENAME of a partitioned index: the partitions' indexes stay attached to it under its new name. */
export function renameAttachedTo(ctx: ReplayContext, parent: Table, oldName: string, newName: string): void {
  for (const child of partitionsOf(ctx, parent)) {
    for (const index of child.indexes) if (index.attachedTo?.schema === parent.schema && index.attachedTo.name === oldName) index.attachedTo = { schema: parent.schema, name: newName };
  }
}

/**
 * ALTER TABLE … DROP CONSTRAINT on a partitioned table: the partitions' constraints cloned from it go too (their
 * indexes attached to the dropped one, their foreign keys of the same name), and theirs in turn.
 */
export function dropConstraintOnPartitions(ctx: ReplayContext, parent: Table, name: string, drop: (child: Table, name: string) => void): void {
  for (const child of partitionsOf(ctx, parent)) {
    const attached = child.indexes.filter((i) => i.backs && i.attachedTo?.schema === parent.schema && i.attachedTo.name === name).map((i) => i.name);
    const clonedFk = child.foreignKeys.some((fk) => fk.name === name) ? [name] : [];
    for (const childName of [...attached, ...clonedFk]) {
      drop(child, childName);
      dropConstraintOnPartitions(ctx, child, childName, drop);
    }
  }
}

/**
 * ALTER TABLE … ADD PRIMARY KEY / UNIQUE / EXCLUDE / FOREIGN KEY on a partitioned table: each partition gets it too
 * (an equal constraint index of the partition is attached instead of a new one), and their partitions in turn.
 */
export function addConstraintToPartitions(ctx: ReplayContext, parent: Table, indexes: Index[], foreignKey: boolean): void {
  for (const child of partitionsOf(ctx, parent)) {
    const added: Index[] = [];
    for (const index of indexes) {
      const existing = child.indexes.find((i) => !i.attachedTo && sameIndexDefinition(i, index));
      if (existing) { existing.attachedTo = { schema: parent.schema, name: index.name }; continue; }
      clonePartitionIndex(ctx, parent, index, child);
      added.push(child.indexes[child.indexes.length - 1]);
    }
    if (foreignKey) clonePartitionForeignKeys(ctx, parent, child);
    if (added.length || foreignKey) addConstraintToPartitions(ctx, child, added, foreignKey);
  }
}
