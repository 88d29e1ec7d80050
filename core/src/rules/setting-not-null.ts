import { alterTableCommands, alterTablesOfExistingTables, qualifiedName, stmtOf, tableKey } from '../parse/sql/ast';
import type { Table } from '../catalog/model';
import type { AlterTableStmt, Node } from '@pgsql/types';
import { nodeOf, nodesOf } from '../parse/sql/nodes';
import { findTable } from '../rule-kit/lookup';
import type { SqlFile } from '../parse/sql/parser';
import { defineRule } from '../rule-kit/define-rule';

/** The column of a CHECK expression that is exactly `column IS NOT NULL`. */
function notNullCheckColumn(expr: Node | undefined): string | undefined {
  const test = nodeOf(expr, 'NullTest');
  if (test?.nulltesttype !== 'IS_NOT_NULL') return undefined;
  return nodeOf(nodeOf(test.arg, 'ColumnRef')?.fields?.at(-1), 'String')?.sval;
}

/** The column of a CHECK's source text when it is exactly `column IS NOT NULL` (the catalog keeps the text). */
function notNullCheckText(expression: string): string | undefined {
  const m = /^\(*\s*(?:"((?:[^"]|"")+)"|([A-Za-z_][\w$]*))\s+is\s+not\s+null\s*\)*$/i.exec(expression.trim());
  return m ? (m[1]?.replace(/""/g, '"') ?? m[2].toLowerCase()) : undefined;
}

/**
 * Columns of a table proven NOT NULL by a valid CHECK (added valid, or added NOT VALID and then validated), from
 * an earlier migration of the history or earlier in this file: SET NOT NULL then uses the constraint and skips
 * the scan (PostgreSQL 12+).
 */
function provenNotNull(file: SqlFile, beforeIndex: number, table: string, existing: Table | undefined): Set<string> {
  const checks = new Map<string, { column: string; valid: boolean }>();
  for (const check of existing?.checks ?? []) {
    const column = notNullCheckText(check.expression);
    if (column) checks.set(check.name, { column, valid: !check.notValid });
  }
  for (const stmt of file.statements) {
    if (stmt.index >= beforeIndex) break;
    const alter = stmtOf(stmt, 'AlterTableStmt');
    if (!alter || tableKey(alter.relation) !== table) continue;
    for (const cmd of nodesOf(alter.cmds, 'AlterTableCmd')) {
      const con = cmd.subtype === 'AT_AddConstraint' ? nodeOf(cmd.def, 'Constraint') : undefined;
      const column = con?.contype === 'CONSTR_CHECK' ? notNullCheckColumn(con.raw_expr) : undefined;
      if (con && column) checks.set(con.conname ?? `#${checks.size}`, { column, valid: !con.skip_validation });
      const validated = cmd.subtype === 'AT_ValidateConstraint' && cmd.name !== undefined ? checks.get(cmd.name) : undefined;
      if (validated) validated.valid = true;
      if (cmd.subtype === 'AT_DropConstraint' && cmd.name !== undefined) checks.delete(cmd.name);
    }
  }
  return new Set([...checks.values()].filter((c) => c.valid).map((c) => c.column));
}

/** The column was NOT NULL before the file and nothing earlier in it dropped that: SET NOT NULL is then a no-op without a scan. */
function alreadyNotNull(file: SqlFile, beforeIndex: number, table: string, column: string, existing: Table | undefined): boolean {
  if (!existing?.columns.find((c) => c.name === column)?.notNull) return false;
  return !file.statements.some((stmt) => {
    const alter = stmt.index < beforeIndex ? stmtOf(stmt, 'AlterTableStmt') : undefined;
    // A DROP NOT NULL, or the column dropped and added again, undoes it.
    return !!alter && tableKey(alter.relation) === table && nodesOf(alter.cmds, 'AlterTableCmd').some((cmd) => (cmd.subtype === 'AT_DropNotNull' || cmd.subtype === 'AT_DropColumn' || cmd.subtype === 'AT_AlterColumnType') && cmd.name === column);
  });
}

const setsNotNull = (alter: AlterTableStmt) => nodesOf(alter.cmds, 'AlterTableCmd').some((cmd) => cmd.subtype === 'AT_SetNotNull');

export const settingNotNull = defineRule({
  id: 'setting-not-null',
  meta: {
    description: 'ALTER COLUMN … SET NOT NULL on an existing table scans every row under an ACCESS EXCLUSIVE lock.',
    category: 'safety',
    defaultSeverity: 'warning',
    fix: 'none',
  },
  // CHECKs added by earlier migrations come from the schema before the file (see `catalogBefore`).
  historySteps: (file) => alterTablesOfExistingTables(file.parsed).some(({ alter }) => setsNotNull(alter)),
  check(ctx) {
    const { file, catalogBefore } = ctx;
    for (const { stmt, alter } of alterTablesOfExistingTables(file)) {
      // Only statements that SET NOT NULL need the (linear) look back at earlier CHECKs.
      if (!setsNotNull(alter)) continue;
      const rel = alter.relation;
      const existing = catalogBefore && findTable(catalogBefore, [rel.schemaname, rel.relname].filter((s): s is string => !!s));
      const proven = provenNotNull(file, stmt.index, tableKey(rel), existing);
      for (const { cmd, start, end } of alterTableCommands(file, stmt, ['AT_SetNotNull'])) {
        if (cmd.subtype !== 'AT_SetNotNull' || cmd.name === undefined || proven.has(cmd.name) || alreadyNotNull(file, stmt.index, tableKey(rel), cmd.name, existing)) continue;
        const table = qualifiedName(alter.relation);
        ctx.report({
          statement: stmt,
          start,
          end,
          message: `SET NOT NULL on "${table}"."${cmd.name}" scans the whole table while holding an ACCESS EXCLUSIVE lock: no reads or writes until it finishes. `
            + `On PostgreSQL 12+ first add CHECK ("${cmd.name}" IS NOT NULL) NOT VALID, run VALIDATE CONSTRAINT (it does not block writes), then SET NOT NULL skips the scan and the CHECK can be dropped.`,
        });
      }
    }
  },
});
