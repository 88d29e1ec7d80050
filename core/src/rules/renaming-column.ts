import { declaredColumns, isExistingTable, qualifiedName, stmtOf, tableKey } from '../parse/sql/ast';
import { defineRule } from '../rule-kit/define-rule';

export const renamingColumn = defineRule({
  id: 'renaming-column',
  meta: {
    description: 'Renaming a column of an existing table breaks every running instance of the application that still uses the old name.',
    category: 'safety',
    defaultSeverity: 'warning',
    fix: 'none',
  },
  check(ctx) {
    const { file } = ctx;
    const declared = declaredColumns(file);
    for (const stmt of file.statements) {
      const rename = stmtOf(stmt, 'RenameStmt');
      if (rename?.renameType !== 'OBJECT_COLUMN' || rename.relationType !== 'OBJECT_TABLE' || !isExistingTable(file, stmt, rename.relation)) continue;
      // A column added earlier in this same file is not used by any deployed code yet.
      const addedHere = declared.some((d) => d.how === 'add-column' && d.stmt.index < stmt.index && d.column === rename.subname && tableKey(d.table) === tableKey(rename.relation));
      if (addedHere) continue;
      ctx.report({
        statement: stmt,
        start: stmt.start,
        end: stmt.end,
        message: `Renaming "${qualifiedName(rename.relation)}"."${rename.subname}" to "${rename.newname}" breaks every query that still uses "${rename.subname}" the moment the migration commits — including the application instances still running the previous release during a deploy. `
          + 'Expand and contract instead: add the new column, write to both and backfill, move readers over, and drop the old column in a later release.',
      });
    }
  },
});
