import { z } from 'zod';
import { declaredColumns, qualifiedName, typeBaseName } from '../engine/statements';
import type { Rule } from '../engine/types';
import { replaceTypeEdit } from '../fixes/edits';

const SERIALS: Record<string, string> = {
  serial: 'bigint', serial4: 'bigint', bigserial: 'bigint', serial8: 'bigint', smallserial: 'smallint', serial2: 'smallint',
};

export const preferIdentity: Rule = {
  id: 'prefer-identity',
  meta: {
    description: 'serial columns are a sequence loosely attached by a DEFAULT; identity columns are the SQL-standard replacement with clearer ownership and permissions.',
    category: 'safety',
    defaultSeverity: 'off',
    fix: 'suggestion',
  },
  options: z.object({}).strict(),
  check(ctx) {
    const { file } = ctx;
    for (const col of declaredColumns(file)) {
      const type = typeBaseName(col.typeName);
      const base = type ? SERIALS[type] : undefined;
      if (!base || col.how === 'alter-type') continue;
      const identity = `${base} GENERATED ALWAYS AS IDENTITY`;
      const edit = replaceTypeEdit(file, col.stmt, col.typeName, identity);
      ctx.report({
        statement: col.stmt,
        start: edit?.start ?? col.stmt.start,
        end: edit?.end ?? col.stmt.end,
        message: `"${qualifiedName(col.table)}"."${col.column}" is ${type}: its sequence is a separate object tied only by a DEFAULT, so roles that insert need their own grant on it, and rows inserted with explicit ids do not advance it, so later inserts collide. `
          + `Use ${identity}: the sequence belongs to the column, and ALWAYS refuses explicit ids (use BY DEFAULT if the application must insert them).`,
        fix: edit && { title: `Change the type to ${identity}`, edits: [edit] },
      });
    }
  },
};
