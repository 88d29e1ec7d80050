import type { FileContext } from '../catalog/layouts';
import { LAYOUTS_WITH_DOWNS } from '../catalog/layouts/downs';
import { explicitTransactionStatements, findWord, isConcurrentReindex, isExistingTable, quoteIdent, stmtOf } from '../parse/sql/ast';
import { defineRule } from '../rule-kit/define-rule';
import type { Fix } from '../rule-kit/types';
import type { SqlFile, SqlStatement } from '../parse/sql/parser';
import { nonTransactionalFix, removeKeyword } from '../fixes/edits';
import { laterMigrationFiles, removeStatementLines } from '../fixes/later-migration';
import { nodeOf, stringOf } from '../parse/sql/nodes';

/** What the statement does CONCURRENTLY, or undefined. */
function concurrentOperation(stmt: SqlStatement): string | undefined {
  const index = stmtOf(stmt, 'IndexStmt');
  if (index?.concurrent) return 'CREATE INDEX CONCURRENTLY';
  const drop = stmtOf(stmt, 'DropStmt');
  if (drop?.concurrent) return 'DROP INDEX CONCURRENTLY';
  if (isConcurrentReindex(stmtOf(stmt, 'ReindexStmt'))) return 'REINDEX CONCURRENTLY';
  const alter = stmtOf(stmt, 'AlterTableStmt');
  if (alter?.cmds?.some((c) => nodeOf(nodeOf(c, 'AlterTableCmd')?.def, 'PartitionCmd')?.concurrent)) return 'DETACH PARTITION CONCURRENTLY';
  return undefined;
}

const FAILS = 'this migration will fail with "cannot run inside a transaction block"';

export const concurrentlyInTransaction = defineRule({
  id: 'concurrently-in-transaction',
  meta: {
    description: 'CONCURRENTLY in a file that runs inside a transaction: PostgreSQL refuses it and the migration fails.',
    category: 'safety',
    defaultSeverity: 'error',
    fix: 'suggestion',
    // A down that cannot run at all leaves a rollback half done.
    inDownMigrations: true,
  },
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
      // Without CONCURRENTLY the statement locks the table, unless what it works on is new in this file.
      const remove = onNewObject(file, stmt) ? removeKeyword(file, stmt, /\bconcurrently\b/i) : undefined;
      const move = inExplicit ? undefined : moveToOwnMigration(file, fileContext, stmt, op);
      const marker = inExplicit ? undefined : nonTransactionalFix(file, fileContext);
      const fixes = [remove && { title: 'Remove CONCURRENTLY (the object is new in this file: nothing waits on its lock)', edits: [remove] }, move, marker].filter((f): f is Fix => !!f);
      ctx.report({
        statement: stmt,
        start: word.start,
        end: word.end,
        message: newer
          ? `${op} cannot run inside a transaction block, and ${why}: before ${newer.release} ${FAILS}. ${newer.release} and later run ${op} outside the transaction on their own, so there it succeeds.`
          : `${op} cannot run inside a transaction block, and ${why}: ${FAILS}.`,
        // A failure that depends on the tool's release is a warning, not an error.
        severity: newer ? 'warning' : undefined,
        fix: fixes[0],
        otherFixes: fixes.length > 1 ? fixes.slice(1) : undefined,
      });
    }
  },
});

/** CREATE INDEX on a table, or DROP INDEX of an index, made earlier in the same file: no deployed code waits on it. */
function onNewObject(file: SqlFile, stmt: SqlStatement): boolean {
  const index = stmtOf(stmt, 'IndexStmt');
  if (index) return !isExistingTable(file, stmt, index.relation);
  const drop = stmtOf(stmt, 'DropStmt');
  if (drop?.removeType !== 'OBJECT_INDEX') return false;
  const created = new Set<string>();
  for (const s of file.statements) {
    if (s.index >= stmt.index) break;
    const name = stmtOf(s, 'IndexStmt')?.idxname;
    if (name) created.add(name);
  }
  const names = (drop.objects ?? []).map((o) => stringOf((nodeOf(o, 'List')?.items ?? []).at(-1)));
  return names.length > 0 && names.every((n) => n !== undefined && created.has(n));
}

/**
 * The statement moved into a migration of its own, where the tool runs a one-statement file outside a transaction
 * (Prisma and golang-migrate send it as one query string; goose, dbmate and diesel get their switch). Only for
 * CREATE INDEX of a named index where the tool keeps downs (the down drops it), and for any operation where it
 * keeps none; only where migrations are named by timestamp, so the new one sorts last.
 */
function moveToOwnMigration(file: SqlFile, fileContext: FileContext, stmt: SqlStatement, op: string): Fix | undefined {
  const index = stmtOf(stmt, 'IndexStmt');
  const keepsDowns = LAYOUTS_WITH_DOWNS.has(fileContext.layout);
  if (keepsDowns && !index?.idxname) return undefined;
  const removal = removeStatementLines(file, stmt);
  if (!removal) return undefined;
  const text = file.text.slice(stmt.start, stmt.end).trim().replace(/;?$/, ';');
  const plain = text.replace(/\s+concurrently\b/i, '');
  const schema = index?.relation?.schemaname ? `${quoteIdent(index.relation.schemaname)}.` : '';
  const down = index?.idxname ? `DROP INDEX CONCURRENTLY IF EXISTS ${schema}${quoteIdent(index.idxname)};` : undefined;
  const slug = index?.idxname ? `create_${index.idxname}` : op.toLowerCase().replace(/\s+/g, '_');
  const created = laterMigrationFiles(fileContext, slug, [text], down ? [down] : [], { wantsConcurrently: true, plainUp: [plain], plainDown: down ? [down.replace(' CONCURRENTLY', '')] : [] });
  if (!created?.concurrently) return undefined;
  return { title: `Move ${op} to a migration of its own (${created.label}), which runs outside a transaction`, edits: [removal], createFiles: created.files };
}
