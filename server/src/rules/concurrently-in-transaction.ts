import { z } from 'zod';
import { explicitTransactionStatements, findWord, isConcurrentReindex, stmtOf } from '../engine/statements';
import type { Rule } from '../engine/types';
import type { SqlStatement } from '../parse/sql/parser';
import { nonTransactionalFix, removeKeyword } from '../fixes/edits';

/** What the statement does CONCURRENTLY, or undefined. */
function concurrentOperation(stmt: SqlStatement): string | undefined {
  const index = stmtOf(stmt, 'IndexStmt');
  if (index?.concurrent) return 'CREATE INDEX CONCURRENTLY';
  const drop = stmtOf(stmt, 'DropStmt');
  if (drop?.concurrent) return 'DROP INDEX CONCURRENTLY';
  if (isConcurrentReindex(stmtOf(stmt, 'ReindexStmt'))) return 'REINDEX CONCURRENTLY';
  const alter = stmtOf(stmt, 'AlterTableStmt');
  if (alter?.cmds?.some((c: any) => c.AlterTableCmd?.def?.PartitionCmd?.concurrent)) return 'DETACH PARTITION CONCURRENTLY';
  return undefined;
}

const FAILS = 'this migration will fail with "cannot run inside a transaction block"';

export const concurrentlyInTransaction: Rule = {
  id: 'concurrently-in-transaction',
  meta: {
    description: 'CONCURRENTLY in a file that runs inside a transaction: PostgreSQL refuses it and the migration fails.',
    category: 'safety',
    defaultSeverity: 'error',
    fix: 'suggestion',
    // A down that cannot run at all leaves a rollback half done.
    inDownMigrations: true,
  },
  options: z.object({}).strict(),
  check(ctx) {
    const { file, fileContext } = ctx;
    const explicit = explicitTransactionStatements(file);
    for (const stmt of file.statements) {
      const op = concurrentOperation(stmt);
      if (!op) continue;
      const inExplicit = explicit.has(stmt.index);
      if (!inExplicit && !fileContext.transactional) {
        if (fileContext.mixedRefusal) {
          const word = findWord(file, stmt, /\bconcurrently\b/i) ?? { start: stmt.start, end: stmt.end };
          ctx.report({
            statement: stmt, start: word.start, end: word.end, severity: 'warning',
            message: `${op} runs outside a transaction here, but ${fileContext.mixedRefusal}: put ${op} in a migration of its own.`,
          });
        }
        continue;
      }
      // Newer releases of some tools run this operation outside their transaction: only older ones fail.
      const newer = inExplicit ? undefined : fileContext.runsAloneFrom?.find((r) => r.operations.includes(op));
      const why = inExplicit ? 'it sits between BEGIN and COMMIT' : fileContext.transactionReason;
      const word = findWord(file, stmt, /\bconcurrently\b/i) ?? { start: stmt.start, end: stmt.end };
      const remove = removeKeyword(file, stmt, /\bconcurrently\b/i);
      const marker = inExplicit ? undefined : nonTransactionalFix(file, fileContext);
      ctx.report({
        statement: stmt,
        start: word.start,
        end: word.end,
        message: newer
          ? `${op} cannot run inside a transaction block, and ${why}: before ${newer.release} ${FAILS}. ${newer.release} and later run ${op} outside the transaction on their own, so there it succeeds.`
          : `${op} cannot run inside a transaction block, and ${why}: ${FAILS}.`,
        // A failure that depends on the tool's release is a warning, not an error.
        severity: newer ? 'warning' : undefined,
        fix: remove && { title: 'Remove CONCURRENTLY', edits: [remove] },
        otherFixes: marker ? [marker] : undefined,
      });
    }
  },
};
