import { isExistingTable, qualifiedName, stmtOf } from '../parse/sql/ast';
import { concurrentlyWhereItRuns, insertAfterKeyword, upStatements } from '../fixes/edits';
import { defineRule } from '../rule-kit/define-rule';
import { indexesTableOfEarlierMigration, partitionedTableAt } from '../rule-kit/partitioned-tables';

export const requireConcurrentIndexCreation = defineRule({
  id: 'require-concurrent-index-creation',
  meta: {
    description: 'CREATE INDEX without CONCURRENTLY on an existing table blocks writes to it while the index builds.',
    category: 'safety',
    defaultSeverity: 'warning',
    fix: 'safe',
  },
  // Whether the table is partitioned comes from the schema before the file (see below).
  historySteps: (file) => indexesTableOfEarlierMigration(file.parsed),
  check(ctx) {
    const { file, fileContext, catalogBefore } = ctx;
    for (const stmt of file.statements) {
      const index = stmtOf(stmt, 'IndexStmt');
      if (!index || index.concurrent || !isExistingTable(file, stmt, index.relation)) continue;
      // A partitioned table refuses CONCURRENTLY, so adding it would break the migration: index-on-partitioned-table
      // reports those. ON ONLY (no inh) is written for a partitioned table and builds nothing.
      if (!index.relation?.inh || partitionedTableAt(file, catalogBefore, stmt, index.relation)) continue;
      const edit = insertAfterKeyword(file, stmt, /\bindex\b/i, ' CONCURRENTLY');
      const table = qualifiedName(index.relation);
      // Only where the result runs: CONCURRENTLY inside a transaction makes the migration fail.
      const fix = edit && concurrentlyWhereItRuns(file, fileContext, stmt, { title: 'Add CONCURRENTLY', edits: [edit] }, upStatements(file, fileContext).length);
      ctx.report({
        statement: stmt,
        start: stmt.start,
        end: stmt.end,
        message: `CREATE INDEX on existing table "${table}" takes a SHARE lock that blocks every INSERT, UPDATE and DELETE until the index is built. Use CREATE INDEX CONCURRENTLY.`
          + (fileContext.transactional && !fix ? ` Note: ${fileContext.transactionReason}, and CONCURRENTLY cannot run inside a transaction: put the index in a migration of its own that runs outside one.` : ''),
        fix,
      });
    }
  },
});
