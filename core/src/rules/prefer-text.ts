import { declaredColumns, qualifiedName, typeBaseName, typeMods } from '../parse/sql/ast';
import { replaceTypeEdit } from '../fixes/edits';
import { defineRule } from '../rule-kit/define-rule';

export const preferText = defineRule({
  id: 'prefer-text',
  meta: {
    description: 'varchar(n) and char(n) columns: changing the limit later takes an ACCESS EXCLUSIVE lock; text with a CHECK constraint is as fast and easier to change.',
    category: 'safety',
    defaultSeverity: 'off',
    fix: 'suggestion',
  },
  check(ctx) {
    const { file } = ctx;
    for (const col of declaredColumns(file)) {
      const type = typeBaseName(col.typeName);
      const limit = typeMods(col.typeName)[0];
      // Unbounded varchar is text under another name; `"char"` (quoted) is the one-byte internal type, not bpchar.
      const written = type === 'varchar' && limit !== undefined ? `varchar(${limit})` : type === 'bpchar' ? `char(${limit ?? 1})` : undefined;
      if (!written) continue;
      const edit = replaceTypeEdit(file, col.stmt, col.typeName, 'text');
      const padding = type === 'bpchar' ? ' char(n) also pads values with spaces, which surprises comparisons and LIKE.' : '';
      ctx.report({
        statement: col.stmt,
        start: edit?.start ?? col.stmt.start,
        end: edit?.end ?? col.stmt.end,
        message: `"${qualifiedName(col.table)}"."${col.column}" is ${written}: changing the limit later is an ALTER COLUMN TYPE that takes an ACCESS EXCLUSIVE lock (and rewrites the table when narrowing).${padding} `
          + `Use text, and if the limit matters add CHECK (char_length("${col.column}") <= ${limit ?? 1}), which can later be replaced with NOT VALID and no long lock.`,
        fix: edit && { title: 'Change the type to text', edits: [edit] },
      });
    }
  },
});
