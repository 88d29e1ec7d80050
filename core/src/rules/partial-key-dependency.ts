import { applicationTables, findTable, tableLabel } from '../catalog/queries';
import { columnObject } from '../rule-kit/object-identity';
import { copiedParentColumns } from './transitive-dependency';
import { defineRule } from '../rule-kit/define-rule';

export const partialKeyDependency = defineRule({
  id: 'partial-key-dependency',
  meta: {
    description: "2NF: in a table with a composite key, a non-key column named after only one key part's entity (enrollments(student_id, course_id, course_title)).",
    category: 'normalisation',
    defaultSeverity: 'hint',
    fix: 'none',
  },
  checkCatalog(ctx) {
    for (const table of applicationTables(ctx.catalog)) {
      const key = table.primaryKey?.columns ?? [];
      if (key.length < 2) continue;
      for (const fk of table.foreignKeys) {
        if (fk.columns.length !== 1 || !key.includes(fk.columns[0])) continue;
        const parent = findTable(ctx.catalog, fk.references);
        if (!parent || parent === table) continue;
        for (const { column, parentColumn } of copiedParentColumns(table, fk.columns[0], parent)) {
          ctx.report({
            origin: table.origin,
            object: columnObject(table, column),
            message: `In "${tableLabel(table)}", whose key is (${key.join(', ')}), "${column}" depends on ${fk.columns[0]} alone (it repeats "${tableLabel(parent)}"."${parentColumn}"): `
              + `it is stored once per row of "${tableLabel(table)}" instead of once per ${tableLabel(parent)} row, and the copies can disagree. Keep it only in "${tableLabel(parent)}" and drop it here.`,
          });
        }
      }
    }
  },
});
