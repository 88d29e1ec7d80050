import { indexGoneBefore } from '../rule-kit/dropped-indexes';
import { indexesCreatedBefore, quoteIdent, stmtOf } from '../parse/sql/ast';
import { defineRule } from '../rule-kit/define-rule';
import type { Fix } from '../rule-kit/types';
import type { SqlFile, SqlStatement } from '../parse/sql/parser';
import { concurrentlyWhereItRuns, eol, insertAfterKeyword, upStatements } from '../fixes/edits';
import type { DropStmt } from '@pgsql/types';
import { nodeOf, stringOf } from '../parse/sql/nodes';

// An index's name is a list of String nodes.
function indexNames(drop: DropStmt): string[][] {
  return (drop.objects ?? []).map((o) => (nodeOf(o, 'List')?.items ?? []).map(stringOf) as string[]);
}

/** DROP INDEX CONCURRENTLY takes one index and no CASCADE, so a list becomes one statement per index. */
function concurrentFix(file: SqlFile, stmt: SqlStatement, drop: DropStmt, names: string[][]): Fix | undefined {
  if (drop.behavior === 'DROP_CASCADE') return undefined;
  if (names.length === 1) {
    const edit = insertAfterKeyword(file, stmt, /\bindex\b/i, ' CONCURRENTLY');
    return edit && { title: 'Add CONCURRENTLY', edits: [edit] };
  }
  const ifExists = drop.missing_ok ? 'IF EXISTS ' : '';
  const lines = names.map((n) => `DROP INDEX CONCURRENTLY ${ifExists}${n.map(quoteIdent).join('.')};`);
  return { title: 'Drop each index CONCURRENTLY in its own statement', edits: [{ start: stmt.start, end: stmt.end, newText: lines.join(eol(file.text)) }] };
}

export const requireConcurrentIndexDeletion = defineRule({
  id: 'require-concurrent-index-deletion',
  meta: {
    description: "DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the index's table, blocking reads and writes.",
    category: 'safety',
    defaultSeverity: 'warning',
    fix: 'safe',
  },
  // DROP INDEX of an index dropped with its table earlier in the file takes no lock: the schema before the file
  // tells which table the index was on (see `catalogBefore`).
  historySteps: (file) => {
    const drops = file.parsed.statements.map((s) => stmtOf(s, 'DropStmt')).filter((d) => d !== undefined);
    return drops.some((d) => d.removeType === 'OBJECT_INDEX' && !d.concurrent) && drops.some((d) => d.removeType === 'OBJECT_TABLE');
  },
  check(ctx) {
    const { file, fileContext, catalogBefore } = ctx;
    for (const stmt of file.statements) {
      const drop = stmtOf(stmt, 'DropStmt');
      if (!drop || drop.removeType !== 'OBJECT_INDEX' || drop.concurrent) continue;
      // An index built earlier in this same file is not in use by anyone yet.
      const fresh = indexesCreatedBefore(file, stmt.index);
      // Nor is one already dropped (earlier in the file, with its constraint or with its table).
      const names = indexNames(drop);
      const live = names.filter((n) => !fresh.has(n[n.length - 1]) && !indexGoneBefore(file, stmt.index, n, catalogBefore));
      if (live.length === 0) continue;
      const shown = live.map((n) => `"${n.join('.')}"`).join(', ');
      const cascade = drop.behavior === 'DROP_CASCADE' ? ' DROP INDEX CONCURRENTLY does not support CASCADE: drop the dependent objects first.' : '';
      const fix = concurrentFix(file, stmt, drop, names);
      // Only where the result runs: CONCURRENTLY inside a transaction makes the migration fail.
      const fixed = fix && concurrentlyWhereItRuns(file, fileContext, stmt, fix, upStatements(file, fileContext).length - 1 + names.length);
      ctx.report({
        statement: stmt,
        start: stmt.start,
        end: stmt.end,
        message: `DROP INDEX ${shown} takes an ACCESS EXCLUSIVE lock on the table, blocking every read and write until the drop completes (and queueing behind any long-running query). Use DROP INDEX CONCURRENTLY.`
          + cascade
          + (fileContext.transactional && !fixed ? ` Note: ${fileContext.transactionReason}, and CONCURRENTLY cannot run inside a transaction: drop the index in a migration of its own that runs outside one.` : ''),
        fix: fixed,
      });
    }
  },
});
