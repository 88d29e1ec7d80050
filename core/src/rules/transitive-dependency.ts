import { columnObject } from '../rule-kit/object-identity';
import type { Table } from '../catalog/model';
import { applicationTables, BOOKKEEPING_COLUMNS, findTable, foreignKeyStem, nameWords, normalisedName, singular, tableLabel } from '../catalog/queries';
import { defineRule } from '../rule-kit/define-rule';

/**
 * Columns of `table` named `<stem>_<column of parent>` with the parent column's type: copies of a parent's
 * non-key attribute, reached through the single-column FK `fkColumn`. Shared with partial-key-dependency.
 */
export function copiedParentColumns(table: Table, fkColumn: string, parent: Table): { column: string; parentColumn: string }[] {
  const stems = new Set([foreignKeyStem(fkColumn), singular(nameWords(parent.name).join('_'))].filter((s): s is string => !!s));
  const fkColumns = new Set(table.foreignKeys.flatMap((fk) => fk.columns));
  const parentKeys = new Set([...(parent.primaryKey?.columns ?? []), ...parent.uniqueConstraints.flatMap((u) => u.columns)]);
  const out: { column: string; parentColumn: string }[] = [];
  for (const c of table.columns) {
    if (fkColumns.has(c.name) || table.primaryKey?.columns.includes(c.name)) continue;
    const name = normalisedName(c.name);
    for (const stem of stems) {
      if (!name.startsWith(`${stem}_`)) continue;
      const rest = name.slice(stem.length + 1);
      if (BOOKKEEPING_COLUMNS.has(rest) && rest !== 'name' && rest !== 'title') continue;
      const p = parent.columns.find((x) => normalisedName(x.name) === rest && !parentKeys.has(x.name) && !c.typeUnknown && x.type === c.type);
      if (p) out.push({ column: c.name, parentColumn: p.name });
    }
  }
  return out;
}

export const transitiveDependency = defineRule({
  id: 'transitive-dependency',
  meta: {
    description: '3NF: a table with a foreign key to R also stores a copy of a non-key column of R (orders.customer_email beside orders.customer_id → customers.email).',
    category: 'normalisation',
    defaultSeverity: 'hint',
    fix: 'none',
  },
  checkCatalog(ctx) {
    for (const table of applicationTables(ctx.catalog)) {
      const compositeKey = (table.primaryKey?.columns.length ?? 0) >= 2 ? table.primaryKey!.columns : [];
      for (const fk of table.foreignKeys) {
        // A key part's dependents are partial-key-dependency's finding.
        if (fk.columns.length !== 1 || compositeKey.includes(fk.columns[0])) continue;
        const parent = findTable(ctx.catalog, fk.references);
        if (!parent || parent === table) continue;
        for (const { column, parentColumn } of copiedParentColumns(table, fk.columns[0], parent)) {
          ctx.report({
            origin: table.origin,
            object: columnObject(table, column),
            message: `"${tableLabel(table)}"."${column}" repeats "${tableLabel(parent)}"."${parentColumn}", which depends on ${fk.columns[0]} (through ${fk.name}), not on the key of "${tableLabel(table)}": `
              + `the copies drift apart when the ${singular(parent.name)} changes. Keep ${parentColumn} only in "${tableLabel(parent)}" and read it through the foreign key (a join or a view), unless "${column}" is a deliberate snapshot.`,
          });
        }
      }
    }
  },
});
