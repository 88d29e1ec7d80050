import { alterTableCommands, alterTablesOfExistingTables, defaultObjectName, qualifiedName, quoteIdent, relationText, stmtOf, tableKey } from '../parse/sql/ast';
import { defineRule } from '../rule-kit/define-rule';
import type { Fix, RuleContext, TextEdit } from '../rule-kit/types';
import type { SqlStatement } from '../parse/sql/parser';
import { insertAfterStatement } from '../fixes/edits';
import { hasDefaultClause, inlineConstraintsOfAddedColumns } from '../rule-kit/added-columns';
import { insertedRunsInSameTransaction, laterMigrationFiles, removeStatementLines, transactionBlocks } from '../fixes/later-migration';
import type { Constraint } from '@pgsql/types';
import { childrenOf, nodeOf, nodesOf, stringOf, stringsOf } from '../parse/sql/nodes';

/** Column references in an expression (deduplicated), to name a CHECK the way PostgreSQL does. */
function referencedColumns(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => referencedColumns(n, out));
  else if (node && typeof node === 'object') {
    const ref = nodeOf(node, 'ColumnRef');
    if (ref) {
      const fields = stringsOf(ref.fields).filter(Boolean);
      if (fields.length) out.add(fields[fields.length - 1]);
    } else childrenOf(node).forEach((v) => referencedColumns(v, out));
  }
  return out;
}

/** PostgreSQL names an unnamed FK `<table>_<cols>_fkey`, and a CHECK `<table>_<col>_check` when it mentions exactly one column. */
function constraintName(table: string, con: Constraint): string {
  if (con.conname) return con.conname;
  if (con.contype === 'CONSTR_FOREIGN') return defaultObjectName(table, (con.fk_attrs ?? []).map(stringOf) as string[], 'fkey');
  const cols = [...referencedColumns(con.raw_expr)];
  return defaultObjectName(table, cols.length === 1 ? cols : [], 'check');
}

/** The lock ADD CONSTRAINT takes, NOT VALID or not: it is held until the end of the transaction. */
function lockOf(table: string, con: Constraint): string {
  return con.contype === 'CONSTR_FOREIGN'
    ? `a SHARE ROW EXCLUSIVE lock on "${table}" and on "${qualifiedName(con.pktable)}"`
    : `an ACCESS EXCLUSIVE lock on "${table}"`;
}

/** Why a VALIDATE written after this statement would share its transaction, for messages. */
function sameTransactionReason(ctx: RuleContext<unknown>, stmt: SqlStatement): string {
  const { fileContext } = ctx;
  if (transactionBlocks(ctx.file).has(stmt.index)) return 'this statement sits between BEGIN and COMMIT';
  if (fileContext.transactional) return fileContext.transactionReason;
  return 'its tool sends the file as one query string, which PostgreSQL runs as one transaction once it holds a second statement';
}

/** The fix of a missing NOT VALID: VALIDATE right after it, or in a new migration where that would share its transaction. */
function notValidFix(ctx: RuleContext<unknown>, stmt: SqlStatement, name: string, notValid: TextEdit[], validate: string): Fix {
  const { file, fileContext } = ctx;
  if (!insertedRunsInSameTransaction(file, fileContext, stmt)) {
    return { title: `Add NOT VALID and validate "${name}" separately`, edits: [...notValid, insertAfterStatement(file, stmt, validate)] };
  }
  const later = laterMigrationFiles(fileContext, `validate_${name}`, [validate], [`-- nothing to undo: VALIDATE CONSTRAINT ${quoteIdent(name)} changed no schema`]);
  return later
    ? { title: `Add NOT VALID and validate "${name}" in a new migration (${later.label})`, edits: notValid, createFiles: later.files }
    : { title: `Add NOT VALID (validate "${name}" in a later migration)`, edits: notValid };
}

/** Constraints added NOT VALID to existing tables in this file, by table and name, with the statement and lock. */
function notValidAdded(ctx: RuleContext<unknown>) {
  const added = new Map<string, { stmt: SqlStatement; lock: string }>();
  for (const { stmt, alter } of alterTablesOfExistingTables(ctx.file)) {
    for (const cmd of nodesOf(alter.cmds, 'AlterTableCmd')) {
      const con = cmd.subtype === 'AT_AddConstraint' ? nodeOf(cmd.def, 'Constraint') : undefined;
      if (!con?.skip_validation || (con.contype !== 'CONSTR_FOREIGN' && con.contype !== 'CONSTR_CHECK')) continue;
      added.set(`${tableKey(alter.relation)}.${constraintName(alter.relation.relname, con)}`, { stmt, lock: lockOf(qualifiedName(alter.relation), con) });
    }
  }
  return added;
}

/**
 * `ADD … NOT VALID` then `VALIDATE CONSTRAINT` in the same transaction: the ADD's lock is still held while
 * VALIDATE scans, so NOT VALID bought nothing.
 */
function checkValidateInSameTransaction(ctx: RuleContext<unknown>): void {
  const { file, fileContext } = ctx;
  const added = notValidAdded(ctx);
  if (added.size === 0) return;
  const blocks = transactionBlocks(file);
  for (const stmt of file.statements) {
    const alter = stmtOf(stmt, 'AlterTableStmt');
    if (!alter) continue;
    for (const { cmd, start, end } of alterTableCommands(file, stmt, ['AT_ValidateConstraint'])) {
      const add = added.get(`${tableKey(alter.relation)}.${cmd.name}`);
      if (!add || add.stmt.index >= stmt.index) continue;
      const block = blocks.get(stmt.index);
      const explicit = block !== undefined && block === blocks.get(add.stmt.index);
      if (!explicit && !fileContext.transactional) continue;
      const newer = explicit ? undefined : fileContext.runsAloneFrom?.find((r) => r.operations.includes('VALIDATE CONSTRAINT'));
      const why = explicit ? 'both sit between the same BEGIN and COMMIT' : fileContext.transactionReason;
      const consequence = `the ${add.lock.replace(/^an? /, '')} that ADD CONSTRAINT … NOT VALID took is still held while VALIDATE scans every row, so writes wait for the whole scan, as without NOT VALID.`;
      const remove = (alter.cmds ?? []).length === 1 ? removeStatementLines(file, stmt) : undefined;
      const later = remove && laterMigrationFiles(fileContext, `validate_${cmd.name}`, [file.text.slice(stmt.start, stmt.end).trim().replace(/;?$/, ';')], [`-- nothing to undo: VALIDATE CONSTRAINT changed no schema`]);
      ctx.report({
        statement: stmt,
        start,
        end,
        message: `VALIDATE CONSTRAINT "${cmd.name}" runs in the same transaction as the ADD CONSTRAINT … NOT VALID before it (${why}): `
          + (newer ? `before ${newer.release} ${consequence} ${newer.release} and later run each statement in its own transaction, so there the lock is gone. ` : `${consequence} `)
          + 'Validate it in a later migration.',
        fix: remove && later ? { title: `Move VALIDATE CONSTRAINT "${cmd.name}" to a new migration (${later.label})`, edits: [remove], createFiles: later.files } : undefined,
      });
    }
  }
}

export const constraintMissingNotValid = defineRule({
  id: 'constraint-missing-not-valid',
  meta: {
    description: 'ADD CONSTRAINT … FOREIGN KEY/CHECK on an existing table without NOT VALID, or validated in the same transaction, scans the whole table while holding a lock that blocks writes.',
    category: 'safety',
    defaultSeverity: 'warning',
    fix: 'suggestion',
  },
  check(ctx) {
    const { file } = ctx;
    for (const { stmt, alter } of alterTablesOfExistingTables(file)) {
      for (const { cmd, start, end, located } of alterTableCommands(file, stmt, ['AT_AddConstraint'])) {
        const con = cmd.subtype === 'AT_AddConstraint' ? nodeOf(cmd.def, 'Constraint') : undefined;
        if (!con || con.skip_validation || (con.contype !== 'CONSTR_FOREIGN' && con.contype !== 'CONSTR_CHECK')) continue;
        const table = qualifiedName(alter.relation);
        const name = constraintName(alter.relation.relname, con);
        const kind = con.contype === 'CONSTR_FOREIGN' ? 'FOREIGN KEY' : 'CHECK';
        const notValid: TextEdit[] = [{ start: end, end, newText: ' NOT VALID' }];
        // Name it explicitly, so VALIDATE refers to it even if PostgreSQL would have had to pick another name.
        if (!con.conname && con.location !== undefined) {
          const at = stmt.toFileOffset(con.location);
          notValid.push({ start: at, end: at, newText: `CONSTRAINT ${quoteIdent(name)} ` });
        }
        const validate = `ALTER TABLE ${relationText(file, stmt, alter.relation)} VALIDATE CONSTRAINT ${quoteIdent(name)};`;
        const sameTransaction = insertedRunsInSameTransaction(file, ctx.fileContext, stmt);
        ctx.report({
          statement: stmt,
          start,
          end,
          message: `Adding ${kind} constraint "${name}" to existing table "${table}" checks every row while holding ${lockOf(table, con)}, blocking writes for the whole scan. `
            + 'Add it NOT VALID (instant; new rows are still checked), then run VALIDATE CONSTRAINT, which scans under a lock that lets reads and writes continue.'
            + (sameTransaction ? ` Validate it in a later migration: ${sameTransactionReason(ctx, stmt)}, so a VALIDATE in this file would scan while the ADD's lock is still held.` : ''),
          fix: located ? notValidFix(ctx, stmt, name, notValid, validate) : undefined,
        });
      }
    }
    checkValidateInSameTransaction(ctx);
    checkAddedColumnConstraints(ctx);
  },
});

/**
 * REFERENCES or CHECK written inline in ADD COLUMN (where NOT VALID cannot be written): a CHECK is checked on every
 * row, a REFERENCES only when the column has a DEFAULT clause (without one PostgreSQL knows the column is all NULL).
 * Checked on PostgreSQL in test/rules/added-column-constraints.pg.test.ts.
 */
function checkAddedColumnConstraints(ctx: RuleContext<unknown>): void {
  for (const { stmt, alter, start, end, def, con } of inlineConstraintsOfAddedColumns(ctx.file, ['CONSTR_FOREIGN', 'CONSTR_CHECK'])) {
    if (con.contype === 'CONSTR_FOREIGN' && !hasDefaultClause(def)) continue;
    const table = qualifiedName(alter.relation);
    const kind = con.contype === 'CONSTR_FOREIGN' ? `REFERENCES ${qualifiedName(con.pktable)}` : 'CHECK';
    ctx.report({
      statement: stmt,
      start,
      end,
      message: `Adding column "${def.colname}" with ${kind} to existing table "${table}" checks every row while holding an ACCESS EXCLUSIVE lock${con.contype === 'CONSTR_FOREIGN' ? ' (the DEFAULT fills every row, so each must be checked)' : ''}. `
        + `Add the column on its own, then ADD CONSTRAINT … ${con.contype === 'CONSTR_FOREIGN' ? `FOREIGN KEY ("${def.colname}") REFERENCES …` : 'CHECK (…)'} NOT VALID, then VALIDATE CONSTRAINT in a later migration, which scans under a lock that lets reads and writes continue.`,
    });
  }
}
