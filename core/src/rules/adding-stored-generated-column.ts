import { columnsAddedToExistingTables } from '../rule-kit/added-columns';
import { qualifiedName } from '../parse/sql/ast';
import { defineRule } from '../rule-kit/define-rule';
import { nodesOf } from '../parse/sql/nodes';

export const addingStoredGeneratedColumn = defineRule({
  id: 'adding-stored-generated-column',
  meta: {
    description: 'ADD COLUMN … GENERATED ALWAYS AS (…) STORED on an existing table computes the value for every row, rewriting the table under an ACCESS EXCLUSIVE lock.',
    category: 'safety',
    defaultSeverity: 'warning',
    fix: 'none',
  },
  check(ctx) {
    const { file } = ctx;
    for (const { stmt, alter, start, end, def } of columnsAddedToExistingTables(file)) {
      // A VIRTUAL generated column (PostgreSQL 18, its default there) is computed on read: nothing is written.
      const stored = nodesOf(def.constraints, 'Constraint').some((c) => c.contype === 'CONSTR_GENERATED' && c.generated_kind === 's');
      if (!stored) continue;
      const table = qualifiedName(alter.relation);
      ctx.report({
        statement: stmt,
        start,
        end,
        message: `Adding stored generated column "${def.colname}" to existing table "${table}" computes it for every row: PostgreSQL rewrites the whole table and rebuilds its indexes while holding an ACCESS EXCLUSIVE lock (no reads or writes until it finishes). `
          + 'On a large table, add a plain nullable column instead, fill it for new and changed rows with a trigger, backfill the existing rows in batches, and then set NOT NULL if needed (see setting-not-null); on PostgreSQL 18 a VIRTUAL generated column is computed on read and adds nothing to the table.',
      });
    }
  },
});
