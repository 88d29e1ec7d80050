import type { FileContext } from '../catalog/layouts';
import { baseName, segments } from '../catalog/layouts/paths';
import { explicitTransactionStatements, stmtOf } from '../parse/sql/ast';
import type { SqlFile, SqlStatement } from '../parse/sql/parser';
import { ONE_QUERY_STRING_LAYOUTS } from './edits';
import { newMigration } from './new-migration';

/**
 * Whether a statement inserted right after `stmt` would run in the same transaction as `stmt`: between BEGIN and
 * COMMIT, in a file its tool runs in one transaction, or in a file sent as one query string (the insertion makes it
 * a string of several statements).
 */
export function insertedRunsInSameTransaction(file: SqlFile, fileContext: FileContext, stmt: SqlStatement): boolean {
  return fileContext.transactional || ONE_QUERY_STRING_LAYOUTS.has(fileContext.layout) || explicitTransactionStatements(file).has(stmt.index);
}

/**
 * A new migration after this file holding `statements`, for a statement rule, which sees no other file of the
 * history: only where the tool orders migrations by timestamp, so the new one sorts after every existing one
 * (a counter such as `000013` may already be taken by a later file this rule cannot see).
 */
export function laterMigrationFiles(
  fileContext: FileContext,
  name: string,
  statements: string[],
  down: string[],
  concurrent?: { wantsConcurrently: true; plainUp: string[]; plainDown: string[] },
) {
  const path = fileContext.path;
  if (!path) return undefined;
  const entry = fileContext.layout === 'prisma' || fileContext.layout === 'diesel' ? segments(path).at(-2) ?? '' : baseName(path);
  if (!/^(\d{12,}|\d{4}-\d{2}-\d{2}-\d{6})[_-]/.test(entry)) return undefined;
  if (!concurrent) return newMigration({ layout: fileContext.layout, existing: [path], originFile: path, name, up: () => statements, down: () => down, wantsConcurrently: false });
  // `statements`/`down` are the CONCURRENTLY forms, `plainUp`/`plainDown` what the tool gets when it cannot run them.
  return newMigration({
    layout: fileContext.layout, existing: [path], originFile: path, name,
    up: (c) => (c ? statements : concurrent.plainUp), down: (c) => (c ? down : concurrent.plainDown), wantsConcurrently: true,
  });
}

/** Removes a whole statement and the rest of its line, when nothing else shares those lines. */
export function removeStatementLines(file: SqlFile, stmt: SqlStatement) {
  const text = file.text;
  const lineStart = text.lastIndexOf('\n', stmt.start - 1) + 1;
  const nl = text.indexOf('\n', stmt.end);
  const lineEnd = nl < 0 ? text.length : nl + 1;
  const before = text.slice(lineStart, stmt.start);
  const after = text.slice(stmt.end, lineEnd);
  if (before.trim() !== '' || !/^[ \t]*(--[^\n]*)?\r?\n?$/.test(after)) return undefined;
  return { start: lineStart, end: lineEnd, newText: '' };
}

/** For each statement between BEGIN and COMMIT, the number of its block (statements of one block share it). */
export function transactionBlocks(file: SqlFile): Map<number, number> {
  const blocks = new Map<number, number>();
  let block = 0;
  let open = false;
  for (const s of file.statements) {
    const kind = stmtOf(s, 'TransactionStmt')?.kind;
    if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') { open = true; block++; continue; }
    if (kind && /COMMIT|ROLLBACK|PREPARE/.test(kind)) { open = false; continue; }
    if (open && !kind) blocks.set(s.index, block);
  }
  return blocks;
}
