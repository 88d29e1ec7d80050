import { z } from 'zod';
import { indexesCreatedBefore, quoteIdent, stmtOf } from '../engine/statements';
import type { Fix, Rule } from '../engine/types';
import type { SqlFile, SqlStatement } from '../parse/sql/parser';
import { eol, insertAfterKeyword } from '../fixes/edits';

function indexNames(drop: Record<string, any>): string[][] {
  return (drop.objects ?? []).map((o: any) => (o.List?.items ?? []).map((i: any) => i.String?.sval as string));
}

/** DROP INDEX CONCURRENTLY takes one index and no CASCADE, so a list becomes one statement per index. */
function concurrentFix(file: SqlFile, stmt: SqlStatement, drop: Record<string, any>, names: string[][], safe: boolean): Fix | undefined {
  if (drop.behavior === 'DROP_CASCADE') return undefined;
  if (names.length === 1) {
    const edit = insertAfterKeyword(file, stmt, /\bindex\b/i, ' CONCURRENTLY');
    return edit && { title: 'Add CONCURRENTLY', edits: [edit], safe };
  }
  const ifExists = drop.missing_ok ? 'IF EXISTS ' : '';
  const lines = names.map((n) => `DROP INDEX CONCURRENTLY ${ifExists}${n.map(quoteIdent).join('.')};`);
  return { title: 'Drop each index CONCURRENTLY in its own statement', edits: [{ start: stmt.start, end: stmt.end, newText: lines.join(eol(file.text)) }], safe };
}

export const requireConcurrentIndexDeletion: Rule = {
  id: 'require-concurrent-index-deletion',
  meta: {
    description: "DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the index's table, blocking reads and writes.",
    category: 'safety',
    defaultSeverity: 'warning',
    fix: 'safe',
  },
  options: z.object({}).strict(),
  check(ctx) {
    const { file, fileContext } = ctx;
    for (const stmt of file.statements) {
      const drop = stmtOf(stmt, 'DropStmt');
      if (!drop || drop.removeType !== 'OBJECT_INDEX' || drop.concurrent) continue;
      // An index built earlier in this same file is not in use by anyone yet.
      const fresh = indexesCreatedBefore(file, stmt.index);
      const names = indexNames(drop);
      if (names.every((n) => fresh.has(n[n.length - 1]))) continue;
      const shown = names.map((n) => `"${n.join('.')}"`).join(', ');
      const cascade = drop.behavior === 'DROP_CASCADE' ? ' DROP INDEX CONCURRENTLY does not support CASCADE: drop the dependent objects first.' : '';
      ctx.report({
        statement: stmt,
        start: stmt.start,
        end: stmt.end,
        message: `DROP INDEX ${shown} takes an ACCESS EXCLUSIVE lock on the table, blocking every read and write until the drop completes (and queueing behind any long-running query). Use DROP INDEX CONCURRENTLY.`
          + cascade
          + (fileContext.transactional ? ` Note: ${fileContext.transactionReason}, and CONCURRENTLY cannot run inside a transaction.` : ''),
        // In a transactional file CONCURRENTLY would make the migration fail: offer it, but never apply it blindly.
        fix: concurrentFix(file, stmt, drop, names, !fileContext.transactional),
      });
    }
  },
};
