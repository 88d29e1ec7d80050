import { declaredColumns, qualifiedName, typeBaseName } from '../parse/sql/ast';
import { replaceTypeEdit } from '../fixes/edits';
import { defineRule } from '../rule-kit/define-rule';

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
      ctx.report({
        statement: col.stmt,
        start: edit?.start ?? col.stmt.start,
        end: edit?.end ?? col.stmt.end,
        message: `"${qualifiedName(col.table)}"."${col.column}" is ${type}, which stops at ${narrow.max}: ids and counters reach that sooner than expected, and changing the type then rewrites the table and its indexes under an ACCESS EXCLUSIVE lock. `
          + `Use ${narrow.wide} now (4 more bytes per row).`,
        fix: edit && { title: `Change the type to ${narrow.wide}`, edits: [edit] },
      });
    }
  },
});
