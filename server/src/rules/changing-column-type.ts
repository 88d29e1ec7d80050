import { z } from 'zod';
import { alterTableCommands, alterTablesOfExistingTables, declaredColumns, qualifiedName, tableKey, typeBaseName, typeMods, typeNameRange } from '../engine/statements';
import type { Rule } from '../engine/types';

type TypeName = Record<string, any>;

/**
 * Changes PostgreSQL makes without touching the rows (binary-coercible, or only relaxing a length or precision):
 * varchar(n) → text / varchar / varchar(m ≥ n), text → varchar, numeric(p,s) → numeric(q ≥ p, s) or numeric.
 */
function isBinaryCoercible(from: TypeName, to: TypeName): boolean {
  if (to.arrayBounds || from.arrayBounds) return false;
  const [f, t] = [typeBaseName(from), typeBaseName(to)];
  const [fm, tm] = [typeMods(from), typeMods(to)];
  if ((f === 'varchar' || f === 'text') && (t === 'text' || (t === 'varchar' && tm.length === 0))) return true;
  if (f === 'varchar' && t === 'varchar') return fm.length === 1 && tm[0] >= fm[0];
  if (f === 'numeric' && t === 'numeric') return tm.length === 0 || (fm.length > 0 && tm[0] >= fm[0] && (tm[1] ?? 0) === (fm[1] ?? 0));
  return false;
}

/** Targets for which a rewrite-free change exists, so the message can say how to tell. */
const MAYBE_FREE = new Set(['text', 'varchar', 'numeric']);

export const changingColumnType: Rule = {
  id: 'changing-column-type',
  meta: {
    description: 'ALTER COLUMN … TYPE on an existing table usually rewrites the table and its indexes under an ACCESS EXCLUSIVE lock.',
    category: 'safety',
    defaultSeverity: 'warning',
    fix: 'none',
  },
  options: z.object({}).strict(),
  check(ctx) {
    const { file } = ctx;
    const declared = declaredColumns(file);
    for (const { stmt, alter } of alterTablesOfExistingTables(file)) {
      const table = qualifiedName(alter.relation);
      for (const { cmd, start, end } of alterTableCommands(file, stmt, ['AT_AlterColumnType'])) {
        const def = cmd.subtype === 'AT_AlterColumnType' ? cmd.def?.ColumnDef : undefined;
        if (!def?.typeName) continue;
        // The column's current type is only known when this file declared it (ADD COLUMN, an earlier TYPE change).
        const before = declared.filter((d) => d.stmt.index < stmt.index && d.column === cmd.name && tableKey(d.table) === tableKey(alter.relation)).at(-1);
        if (before && !def.raw_default && isBinaryCoercible(before.typeName, def.typeName)) continue;
        const range = typeNameRange(file, stmt, def.typeName);
        const target = range ? file.text.slice(range.start, range.end) : typeBaseName(def.typeName);
        const hedge = !before && !def.raw_default && MAYBE_FREE.has(typeBaseName(def.typeName) ?? '')
          ? ' If the column is currently varchar (or a shorter varchar, or numeric with a smaller precision and the same scale), the change is binary-coercible, nothing is rewritten, and this finding can be ignored.'
          : '';
        ctx.report({
          statement: stmt,
          start,
          end,
          message: `Changing "${table}"."${cmd.name}" to ${target} rewrites the whole table and rebuilds its indexes while holding an ACCESS EXCLUSIVE lock (no reads or writes), and running application code may not expect the new type; a narrowing change can also fail or lose data. `
            + 'Safer: add a new column, backfill it in batches, switch the application over, then drop the old one.'
            + hedge,
        });
      }
    }
  },
};
