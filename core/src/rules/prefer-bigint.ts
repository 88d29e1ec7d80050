import { declaredColumns, qualifiedName, tableKey, typeBaseName, type DeclaredColumn } from '../parse/sql/ast';
import { replaceTypeEdit } from '../fixes/edits';
import { defineRule } from '../rule-kit/define-rule';
import { fileForeignKeyColumns } from '../rule-kit/file-foreign-keys';
import type { SqlFile } from '../parse/sql/parser';

/** Narrow integer types, their wider replacement, and the largest value they hold. */
const NARROW: Record<string, { wide: string; max: string }> = {
  int2: { wide: 'bigint', max: '32,767' },
  int4: { wide: 'bigint', max: '2,147,483,647' },
  smallserial: { wide: 'bigserial', max: '32,767' },
  serial2: { wide: 'bigserial', max: '32,767' },
  serial: { wide: 'bigserial', max: '2,147,483,647' },
  serial4: { wide: 'bigserial', max: '2,147,483,647' },
};

export const preferBigint = defineRule({
  id: 'prefer-bigint',
  meta: {
    description: 'integer and smallint columns (and serial) run out of values; widening them later rewrites the table under an ACCESS EXCLUSIVE lock.',
    category: 'safety',
    defaultSeverity: 'off',
    fix: 'suggestion',
  },
  check(ctx) {
    const { file } = ctx;
    // Only column types: a cast to int in an expression stores nothing.
    for (const col of declaredColumns(file)) {
      const type = typeBaseName(col.typeName);
      const narrow = type ? NARROW[type] : undefined;
      if (!narrow) continue;
      const edit = replaceTypeEdit(file, col.stmt, col.typeName, narrow.wide);
      const referencing = edit ? narrowReferencingEdits(file, col) : [];
      ctx.report({
        statement: col.stmt,
        start: edit?.start ?? col.stmt.start,
        end: edit?.end ?? col.stmt.end,
        message: `"${qualifiedName(col.table)}"."${col.column}" is ${type}, which stops at ${narrow.max}: ids and counters reach that sooner than expected, and changing the type then rewrites the table and its indexes under an ACCESS EXCLUSIVE lock. `
          + `Use ${narrow.wide} now (4 more bytes per row).`,
        // A key widened alone leaves its narrower foreign keys behind (foreign-key-type-mismatch): widen those the file declares too.
        fix: edit && referencing && {
          title: `Change the type to ${narrow.wide}${referencing.length ? `, and of the ${referencing.length === 1 ? 'column' : 'columns'} referencing it to bigint` : ''}`,
          edits: [edit, ...referencing],
        },
      });
    }
  },
});

/**
 * Edits widening the narrow integer columns this file declares that reference `key` through a foreign key of this
 * file; undefined when one of them cannot be edited (the fix would then leave a mismatch).
 */
function narrowReferencingEdits(file: SqlFile, key: DeclaredColumn) {
  const table = tableKey(key.table);
  const edits = [];
  for (const fk of fileForeignKeyColumns(file)) {
    if (fk.referencedTable !== table || fk.referencedColumn !== key.column || (fk.table === table && fk.column === key.column)) continue;
    for (const col of declaredColumns(file)) {
      if (tableKey(col.table) !== fk.table || col.column !== fk.column || col.how === 'alter-type') continue;
      const type = typeBaseName(col.typeName);
      if (!type || !NARROW[type]) continue;
      const edit = replaceTypeEdit(file, col.stmt, col.typeName, 'bigint');
      if (!edit) return undefined;
      edits.push(edit);
    }
  }
  return edits;
}
