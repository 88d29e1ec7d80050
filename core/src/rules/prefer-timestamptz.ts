import { declaredColumns, qualifiedName, typeBaseName, typeMods } from '../parse/sql/ast';
import { replaceTypeEdit } from '../fixes/edits';
import { defineRule } from '../rule-kit/define-rule';

export const preferTimestamptz = defineRule({
  id: 'prefer-timestamptz',
  meta: {
    description: 'Columns of type timestamp without time zone store a wall-clock time whose meaning depends on the writer\'s time zone; timestamptz is an exact instant.',
    category: 'safety',
    defaultSeverity: 'off',
    fix: 'suggestion',
  },
  check(ctx) {
    const { file } = ctx;
    for (const col of declaredColumns(file)) {
      if (typeBaseName(col.typeName) !== 'timestamp') continue;
      const precision = typeMods(col.typeName);
      const newType = precision.length ? `timestamptz(${precision[0]})` : 'timestamptz';
      const edit = replaceTypeEdit(file, col.stmt, col.typeName, newType);
      ctx.report({
        statement: col.stmt,
        start: edit?.start ?? col.stmt.start,
        end: edit?.end ?? col.stmt.end,
        message: `"${qualifiedName(col.table)}"."${col.column}" is timestamp without time zone: it stores a wall-clock reading with no zone, so the same instant written from sessions with different TimeZone settings (or across a DST change) compares and sorts wrongly. `
          + `Use ${newType}: same 8 bytes, stored as UTC and shown in the reader's time zone.`,
        fix: edit && { title: `Change the type to ${newType}`, edits: [edit] },
      });
    }
  },
});
