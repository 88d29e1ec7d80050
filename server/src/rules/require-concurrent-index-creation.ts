import { z } from 'zod';
import { layoutById } from '../catalog/layouts';
import { explicitTransactionStatements, isExistingTable, qualifiedName, stmtOf } from '../engine/statements';
import type { Fix, RuleContext, TextEdit } from '../engine/types';
import type { Rule } from '../engine/types';
import type { SqlStatement } from '../parse/sql/parser';
import { insertAfterKeyword, nonTransactionalFix } from '../fixes/edits';

/** Statements the tool runs going up (goose and dbmate keep the down section in the same file). */
function upStatements(ctx: RuleContext<unknown>): SqlStatement[] {
  const { file, fileContext } = ctx;
  const up = layoutById(fileContext.layout).upSection?.(file.text) ?? file.text;
  return file.statements.filter((s) => s.ast && up.slice(s.start, s.end).trim() !== '');
}

/**
 * "Add CONCURRENTLY", only where the result runs: outside BEGIN … COMMIT, in a file its tool runs outside a
 * transaction. A file whose only statement this is may be switched to that (goose NO TRANSACTION, dbmate
 * transaction:false, diesel metadata.toml; Flyway does it on its own when it sees CONCURRENTLY) in the same fix.
 */
function concurrentlyFix(ctx: RuleContext<unknown>, stmt: SqlStatement, edit: TextEdit): Fix | undefined {
  const { file, fileContext } = ctx;
  if (explicitTransactionStatements(file).has(stmt.index)) return undefined;
  if (!fileContext.transactional) return { title: 'Add CONCURRENTLY', edits: [edit] };
  const alone = upStatements(ctx).length === 1;
  if (!alone) return undefined;
  if (fileContext.layout === 'flyway') return { title: 'Add CONCURRENTLY', edits: [edit], safe: true };
  const marker = nonTransactionalFix(file, fileContext);
  if (!marker) return undefined;
  return { title: `Add CONCURRENTLY and ${marker.title.charAt(0).toLowerCase()}${marker.title.slice(1)}`, edits: [...marker.edits, edit], createFiles: marker.createFiles, safe: false };
}

export const requireConcurrentIndexCreation: Rule = {
  id: 'require-concurrent-index-creation',
  meta: {
    description: 'CREATE INDEX without CONCURRENTLY on an existing table blocks writes to it while the index builds.',
    category: 'safety',
    defaultSeverity: 'warning',
    fix: 'safe',
  },
  options: z.object({}).strict(),
  check(ctx) {
    const { file, fileContext } = ctx;
    for (const stmt of file.statements) {
      const index = stmtOf(stmt, 'IndexStmt');
      if (!index || index.concurrent || !isExistingTable(file, stmt, index.relation)) continue;
      const edit = insertAfterKeyword(file, stmt, /\bindex\b/i, ' CONCURRENTLY');
      const table = qualifiedName(index.relation);
      const fix = edit && concurrentlyFix(ctx, stmt, edit);
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
};
