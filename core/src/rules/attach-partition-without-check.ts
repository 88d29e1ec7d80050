import type { PartitionBoundSpec } from '@pgsql/types';
import { referencedColumns } from '../catalog/replay/constraints';
import { mentionsColumn } from '../catalog/queries';
import { alterTableCommands, defaultObjectName, isExistingTable, qualifiedName, quoteIdent, relationText, stmtOf, tableKey } from '../parse/sql/ast';
import { nodeOf, nodesOf, type TableRef } from '../parse/sql/nodes';
import type { SqlFile, SqlStatement } from '../parse/sql/parser';
import { insertAfterStatement, insertBeforeStatement } from '../fixes/edits';
import { insertedRunsInSameTransaction } from '../fixes/later-migration';
import { defineRule } from '../rule-kit/define-rule';
import { createdInSchemaElement, namesIndexOfFile, partitionedTableAt, partitionsIn, tableBefore } from '../rule-kit/partitioned-tables';
import type { Fix, RuleContext } from '../rule-kit/types';

/**
 * Whether a validated CHECK on the partition mentions every partition key column, before `stmt`: one from an earlier
 * migration, or one this file adds valid (or adds NOT VALID and validates) before the ATTACH. Whether it implies the
 * bound is PostgreSQL's proof to make; such a CHECK is taken as written for the purpose, so it is not reported.
 */
function hasValidCheckOnKey(ctx: RuleContext<unknown>, stmt: SqlStatement, child: TableRef, keyColumns: (string | undefined)[] | undefined): boolean {
  const columns = (keyColumns ?? []).filter((c): c is string => c !== undefined);
  const covers = (mentions: (c: string) => boolean) => columns.every(mentions);
  const before = tableBefore(ctx.catalogBefore, child);
  if (before?.checks.some((c) => !c.notValid && covers((col) => mentionsColumn(c.expression, col)))) return true;
  const validated = new Set<string>();
  const addedNotValid = new Map<string, boolean>();
  for (const s of ctx.file.statements) {
    if (s.index >= stmt.index) break;
    const alter = stmtOf(s, 'AlterTableStmt');
    if (!alter || tableKey(alter.relation) !== tableKey(child)) continue;
    for (const cmd of nodesOf(alter.cmds, 'AlterTableCmd')) {
      if (cmd.subtype === 'AT_ValidateConstraint' && cmd.name) validated.add(cmd.name);
      const con = cmd.subtype === 'AT_AddConstraint' ? nodeOf(cmd.def, 'Constraint') : undefined;
      if (con?.contype !== 'CONSTR_CHECK') continue;
      const mentioned = referencedColumns(con.raw_expr);
      if (!covers((col) => mentioned.has(col))) continue;
      if (!con.skip_validation) return true;
      if (con.conname) addedNotValid.set(con.conname, true);
    }
  }
  return [...addedNotValid.keys()].some((name) => validated.has(name));
}

/** The CHECK expression PostgreSQL proves the bound from, for a one-column key: undefined where none is written simply. */
function boundCheck(file: SqlFile, cmdText: string, column: string, bound: PartitionBoundSpec): string | undefined {
  const col = quoteIdent(column);
  if (bound.strategy === 'r') {
    const m = /\bfrom\s*\(([^()]*)\)\s*to\s*\(([^()]*)\)\s*$/is.exec(cmdText);
    if (!m || m[1].includes(',') || m[2].includes(',')) return undefined;
    const parts = [`${col} IS NOT NULL`];
    if (!/^\s*minvalue\s*$/i.test(m[1])) parts.push(`${col} >= ${m[1].trim()}`);
    if (!/^\s*maxvalue\s*$/i.test(m[2])) parts.push(`${col} < ${m[2].trim()}`);
    return parts.join(' AND ');
  }
  if (bound.strategy === 'l') {
    const m = /\bin\s*\(([^()]*)\)\s*$/is.exec(cmdText);
    if (!m || /\bnull\b/i.test(m[1])) return undefined;
    return `${col} IS NOT NULL AND ${col} IN (${m[1].trim()})`;
  }
  return undefined;
}

export const attachPartitionWithoutCheck = defineRule({
  id: 'attach-partition-without-check',
  meta: {
    description: 'ATTACH PARTITION of an existing table scans all its rows under an ACCESS EXCLUSIVE lock, unless a validated CHECK constraint already proves they fit the bound.',
    category: 'safety',
    defaultSeverity: 'warning',
    fix: 'suggestion',
  },
  // The partition's CHECK constraints and the parent's key and DEFAULT partition come from the schema before the file.
  historySteps: (file) => file.parsed.statements.some((s) => nodesOf(stmtOf(s, 'AlterTableStmt')?.cmds, 'AlterTableCmd').some((c) => c.subtype === 'AT_AttachPartition')),
  check(ctx) {
    const { file, fileContext, catalogBefore } = ctx;
    for (const stmt of file.statements) {
      const alter = stmtOf(stmt, 'AlterTableStmt');
      if (alter?.objtype !== 'OBJECT_TABLE') continue;
      for (const { cmd, start, end, located } of alterTableCommands(file, stmt, ['AT_AttachPartition'])) {
        const partition = nodeOf(cmd.def, 'PartitionCmd');
        const child = partition?.name;
        // A table created in this file is empty: its scan costs nothing (and a foreign table is never scanned).
        if (!partition?.bound || !child?.relname || !isExistingTable(file, stmt, child) || createdInSchemaElement(file, stmt, child) || namesIndexOfFile(file, stmt, alter.relation)) continue;
        const parent = partitionedTableAt(file, catalogBefore, stmt, alter.relation);
        if (hasValidCheckOnKey(ctx, stmt, child as TableRef, parent?.keyColumns)) continue;
        const childName = qualifiedName(child);
        const parentName = qualifiedName(alter.relation);
        const defaultPartition = parent?.before && catalogBefore ? partitionsIn(catalogBefore, parent.before).find((p) => p.partitionBound === 'DEFAULT') : undefined;
        const key = parent?.keyColumns.length === 1 ? parent.keyColumns[0] : undefined;
        const check = key && !partition.bound.is_default && located ? boundCheck(file, file.text.slice(start, end), key, partition.bound) : undefined;
        const separate = !insertedRunsInSameTransaction(file, fileContext, stmt) && fileContext.layout !== 'flyway';
        let fix: Fix | undefined;
        if (check && separate) {
          const name = quoteIdent(defaultObjectName(child.relname, ['bound'], 'check'));
          const table = relationText(file, stmt, child);
          fix = {
            title: `Prove the bound with a CHECK on "${childName}" validated before the ATTACH, dropped after it`,
            edits: [
              insertBeforeStatement(file, stmt, `ALTER TABLE ${table} ADD CONSTRAINT ${name} CHECK (${check}) NOT VALID;\nALTER TABLE ${table} VALIDATE CONSTRAINT ${name};`),
              insertAfterStatement(file, stmt, `ALTER TABLE ${table} DROP CONSTRAINT ${name};`),
            ],
          };
        }
        const notes: string[] = [];
        if (defaultPartition) notes.push(`the DEFAULT partition "${defaultPartition.name}" is scanned too, under an ACCESS EXCLUSIVE lock, for rows that belong in the new partition, unless a CHECK on it excludes them`);
        if (check && !separate) notes.push(`${fileContext.transactional ? fileContext.transactionReason : 'this file runs as one transaction'}, and the ADD CONSTRAINT's ACCESS EXCLUSIVE lock would be held through the VALIDATE: add and validate the CHECK in an earlier migration`);
        ctx.report({
          statement: stmt,
          start,
          end,
          message: `ATTACH PARTITION "${childName}" scans every row of "${childName}" to check it fits the partition bound, holding an ACCESS EXCLUSIVE lock on it (no reads or writes) and a SHARE UPDATE EXCLUSIVE lock on "${parentName}". `
            + `pgvet sees no validated CHECK constraint on "${childName}" over the partition key that would let PostgreSQL skip the scan. `
            + 'Add a CHECK matching the bound NOT VALID, VALIDATE it (which scans without blocking reads or writes), attach, then drop the CHECK.'
            + (notes.length ? ` Note: ${notes.join('; ')}.` : ''),
          fix,
        });
      }
    }
  },
});
