import { z } from 'zod';
import { explicitTransactionStatements, findWord, stmtOf } from '../engine/statements';
import type { Rule } from '../engine/types';
import type { SqlStatement } from '../parse/sql/parser';
import { nonTransactionalFix, removeKeyword } from '../fixes/edits';

/** What the statement does CONCURRENTLY, or undefined. */
function concurrentOperation(stmt: SqlStatement): string | undefined {
  const index = stmtOf(stmt, 'IndexStmt');
  if (index?.concurrent) return 'CREATE INDEX CONCURRENTLY';
  const drop = stmtOf(stmt, 'DropStmt');
  if (drop?.concurrent) return 'DROP INDEX CONCURRENTLY';
  const reindex = stmtOf(stmt, 'ReindexStmt');
  if (reindex?.params?.some((p: any) => p.DefElem?.defname === 'concurrently')) return 'REINDEX CONCURRENTLY';
  const alter = stmtOf(stmt, 'AlterTableStmt');
  if (alter?.cmds?.some((c: any) => c.AlterTableCmd?.def?.PartitionCmd?.concurrent)) return 'DETACH PARTITION CONCURRENTLY';
  return undefined;
}

export const concurrentlyInTransaction: Rule = {
  id: 'concurrently-in-transaction',
  meta: {
    description: 'CONCURRENTLY in a file that runs inside a transaction: PostgreSQL refuses it and the migration fails.',
    category: 'safety',
    defaultSeverity: 'error',
    fix: 'suggestion',
  },
  options: z.object({}).strict(),
  check(ctx) {
    const { file, fileContext } = ctx;
    const explicit = explicitTransactionStatements(file);
    for (const stmt of file.statements) {
      const op = concurrentOperation(stmt);
      if (!op) continue;
      const inExplicit = explicit.has(stmt.index);
      if (!inExplicit && !fileContext.transactional) continue;
      const why = inExplicit ? 'it sits between BEGIN and COMMIT' : fileContext.transactionReason;
      const word = findWord(file, stmt, /\bconcurrently\b/i) ?? { start: stmt.start, end: stmt.end };
      const remove = removeKeyword(file, stmt, /\bconcurrently\b/i);
      const marker = inExplicit ? undefined : nonTransactionalFix(file, fileContext);
      ctx.report({
        statement: stmt,
        start: word.start,
        end: word.end,
        message: `${op} cannot run inside a transaction block, and ${why}: this migration will fail with "cannot run inside a transaction block".`,
        fix: remove && { title: 'Remove CONCURRENTLY', edits: [remove] },
        otherFixes: marker ? [marker] : undefined,
      });
    }
  },
};
