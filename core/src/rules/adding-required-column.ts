import { columnsAddedToExistingTables } from '../rule-kit/added-columns';
import { qualifiedName, statementTokens, tokenIndexAt, typeBaseName } from '../parse/sql/ast';
import { nodesOf } from '../parse/sql/nodes';
import { isNullDefault } from '../catalog/replay/columns';
import { defineRule } from '../rule-kit/define-rule';
import type { TextEdit } from '../rule-kit/types';
import type { SqlFile, SqlStatement } from '../parse/sql/parser';

/** serial types carry their own DEFAULT nextval(…). */
const SERIAL_TYPES = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);

/** Removes `[CONSTRAINT name] NOT NULL` and the white space before it. */
function removeNotNull(file: SqlFile, stmt: SqlStatement, location: number): TextEdit | undefined {
  const tokens = statementTokens(file, stmt);
  const k = tokenIndexAt(tokens, stmt.toFileOffset(location));
  if (k < 0) return undefined;
  const nullAt = tokens.findIndex((t, i) => i > k && t.text.toUpperCase() === 'NULL');
  if (nullAt < 0) return undefined;
  let start = tokens[k].start;
  while (start > stmt.start && /\s/.test(file.text[start - 1])) start--;
  return { start, end: tokens[nullAt].end, newText: '' };
}

export const addingRequiredColumn = defineRule({
  id: 'adding-required-column',
  meta: {
    description: 'ADD COLUMN … NOT NULL without a DEFAULT on an existing table fails as soon as the table has a row.',
    category: 'safety',
    defaultSeverity: 'warning',
    fix: 'suggestion',
  },
  check(ctx) {
    const { file } = ctx;
    for (const { stmt, alter, start, end, def } of columnsAddedToExistingTables(file)) {
      const constraints = nodesOf(def.constraints, 'Constraint');
      const notNull = constraints.find((c) => c.contype === 'CONSTR_NOTNULL');
      // Identity and generated columns fill every existing row themselves.
      // DEFAULT NULL is no default at all (PostgreSQL stores none).
      const filled = constraints.some((c) => c.contype === 'CONSTR_IDENTITY' || c.contype === 'CONSTR_GENERATED' ||
 (c.contype === 'CONSTR_DEFAULT' && !isNullDefault(c.raw_expr)));
      if (!notNull || filled || SERIAL_TYPES.has(typeBaseName(def.typeName) ?? '')) continue;
      const table = qualifiedName(alter.relation);
      const edit = notNull.location === undefined ? undefined : removeNotNull(file, stmt, notNull.location);
      ctx.report({
        statement: stmt,
        start,
        end,
        message: `Adding NOT NULL column "${def.colname}" without a DEFAULT to existing table "${table}" fails with "column "${def.colname}" of relation "${alter.relation.relname}" contains null values" as soon as the table has a row. `
          + 'Add a DEFAULT (a constant default is instant since PostgreSQL 11), or add the column nullable, backfill it, then set NOT NULL.',
        fix: edit && { title: `Add "${def.colname}" as a nullable column`, edits: [edit] },
      });
    }
  },
});
