import { isExistingTable, qualifiedName, quoteIdent, stmtOf, tableKey } from '../parse/sql/ast';
import { isTableRef } from '../parse/sql/nodes';
import type { SqlFile } from '../parse/sql/parser';
import { defineRule } from '../rule-kit/define-rule';

export const renamingTable = defineRule({
  id: 'renaming-table',
  meta: {
    description: 'Renaming an existing table breaks every running instance of the application that still uses the old name.',
    category: 'safety',
    defaultSeverity: 'warning',
    fix: 'none',
  },
  check(ctx) {
    const { file } = ctx;
    for (const stmt of file.statements) {
      const rename = stmtOf(stmt, 'RenameStmt');
      if (rename?.renameType !== 'OBJECT_TABLE' || !isTableRef(rename.relation) || !isExistingTable(file, stmt, rename.relation)) continue;
      // The advice below, already followed: old readers keep working through the view.
      if (viewUnderOldNameLater(file, stmt.index, tableKey(rename.relation))) continue;
      const from = qualifiedName(rename.relation);
      const schema = rename.relation.schemaname ? `${quoteIdent(rename.relation.schemaname)}.` : '';
      const view = `CREATE VIEW ${schema}${quoteIdent(rename.relation.relname)} AS SELECT * FROM ${schema}${quoteIdent(rename.newname ?? '')};`;
      ctx.report({
        statement: stmt,
        start: stmt.start,
        end: stmt.end,
        message: `Renaming table "${from}" to "${rename.newname}" breaks every query that still uses "${rename.relation.relname}" the moment the migration commits — including the application instances still running the previous release during a deploy. `
          + `To keep old code working, create a view under the old name in the same migration (${view} A simple view like this one is updatable) and drop it once every reader has moved.`,
      });
    }
  },
});

/** Whether a statement after `index` creates a view named `oldKey` (the compatibility view for a renamed table). */
function viewUnderOldNameLater(file: SqlFile, index: number, oldKey: string): boolean {
  return file.statements.some((s) => {
    if (s.index <= index) return false;
    const view = stmtOf(s, 'ViewStmt');
    return !!view?.view && tableKey(view.view) === oldKey;
  });
}
