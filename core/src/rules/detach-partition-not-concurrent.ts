import { alterTableCommands, alterTablesOfExistingTables, qualifiedName, stmtOf, tableKey } from '../parse/sql/ast';
import { nodeOf, nodesOf } from '../parse/sql/nodes';
import type { SqlFile, SqlStatement } from '../parse/sql/parser';
import type { Catalog } from '../catalog/model';
import { concurrentlyWhereItRuns, upStatements } from '../fixes/edits';
import { defineRule } from '../rule-kit/define-rule';
import { createdInSchemaElement, namesIndexOfFile, partitionsIn, tableBefore } from '../rule-kit/partitioned-tables';
import type { TableRef } from '../parse/sql/nodes';

/**
 * Whether the parent is known to have no DEFAULT partition at this statement (DETACH … CONCURRENTLY refuses to run
 * when it has one): from the schema before the file and the partitions this file created before the statement.
 */
function knownWithoutDefault(file: SqlFile, catalogBefore: Catalog | undefined, stmt: SqlStatement, parent: TableRef): boolean {
  const before = tableBefore(catalogBefore, parent);
  if (before?.kind !== 'partitioned') return false;
  if (partitionsIn(catalogBefore!, before).some((p) => p.partitionBound === 'DEFAULT')) return false;
  return !file.statements.some((s) => {
    if (s.index >= stmt.index) return false;
    const create = stmtOf(s, 'CreateStmt');
    const attach = nodesOf(stmtOf(s, 'AlterTableStmt')?.cmds, 'AlterTableCmd').some((c) => c.subtype === 'AT_AttachPartition' && nodeOf(c.def, 'PartitionCmd')?.bound?.is_default);
    return (create?.partbound?.is_default && create.inhRelations?.some((r) => tableKey(nodeOf(r, 'RangeVar')) === tableKey(parent))) || (attach && tableKey(stmtOf(s, 'AlterTableStmt')?.relation) === tableKey(parent));
  });
}

export const detachPartitionNotConcurrent = defineRule({
  id: 'detach-partition-not-concurrent',
  meta: {
    description: 'DETACH PARTITION without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the partitioned table, blocking every query on it.',
    category: 'safety',
    defaultSeverity: 'warning',
    fix: 'suggestion',
  },
  // Whether the parent has a DEFAULT partition (CONCURRENTLY refuses to run then) comes from the schema before the file.
  historySteps: (file) => file.parsed.statements.some((s) => nodesOf(stmtOf(s, 'AlterTableStmt')?.cmds, 'AlterTableCmd').some((c) => c.subtype === 'AT_DetachPartition')),
  check(ctx) {
    const { file, fileContext, catalogBefore } = ctx;
    for (const { stmt, alter } of alterTablesOfExistingTables(file)) {
      for (const { cmd, start, end, located } of alterTableCommands(file, stmt, ['AT_DetachPartition'])) {
        const partition = nodeOf(cmd.def, 'PartitionCmd');
        if (!partition || partition.concurrent || createdInSchemaElement(file, stmt, alter.relation) || namesIndexOfFile(file, stmt, alter.relation)) continue;
        const parent = qualifiedName(alter.relation);
        const child = qualifiedName(partition.name);
        const noDefault = knownWithoutDefault(file, catalogBefore, stmt, alter.relation);
        // CONCURRENTLY must be the only subcommand, outside a transaction, on a parent without a DEFAULT partition.
        const candidate = located && (alter.cmds ?? []).length === 1 && noDefault
          ? { title: 'Add CONCURRENTLY (PostgreSQL 14+)', edits: [{ start: end, end, newText: ' CONCURRENTLY' }] }
          : undefined;
        const fix = candidate && concurrentlyWhereItRuns(file, fileContext, stmt, candidate, upStatements(file, fileContext).length);
        const notes: string[] = [];
        if (fileContext.transactional && !fix) notes.push(`${fileContext.transactionReason}, and DETACH … CONCURRENTLY cannot run inside a transaction: put it in a migration of its own that runs outside one`);
        if (!noDefault) notes.push(`CONCURRENTLY is refused when "${parent}" has a DEFAULT partition${catalogBefore ? '' : ' (pgvet cannot see whether it has one)'}`);
        ctx.report({
          statement: stmt,
          start,
          end,
          message: `DETACH PARTITION "${child}" takes an ACCESS EXCLUSIVE lock on the partitioned table "${parent}": every query on it waits, and the DETACH itself waits behind every running query. `
            + 'On PostgreSQL 14 and later, DETACH PARTITION … CONCURRENTLY takes only a SHARE UPDATE EXCLUSIVE lock, so reads and writes go on.'
            + (notes.length ? ` Note: ${notes.join('; ')}.` : ''),
          fix,
        });
      }
    }
  },
});
