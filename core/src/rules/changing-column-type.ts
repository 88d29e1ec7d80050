import { findTable } from '../rule-kit/lookup';
import { alterTableCommands, alterTablesOfExistingTables, declaredColumns, qualifiedName, tableKey, typeBaseName, typeNameRange } from '../parse/sql/ast';
import { nodeOf, nodesOf } from '../parse/sql/nodes';
import { typeChangeCost, writtenType, type TypeChangeCost } from '../rule-kit/type-changes';
import { defineRule } from '../rule-kit/define-rule';

/** Targets for which a rewrite-free change exists, so the message can say how to tell when the current type is unknown. */
const MAYBE_FREE = new Set(['text', 'varchar', 'numeric', 'inet', 'varbit', 'timestamptz', 'timestamp']);

const SAFER = 'Safer: add a new column, backfill it in batches, switch the application over, then drop the old one.';

function message(table: string, column: string, target: string, from: string | undefined, cost: TypeChangeCost | undefined): string {
  const change = `Changing "${table}"."${column}"${from ? ` from ${from}` : ''} to ${target}`;
  if (cost === 'indexes') return `${change} keeps the rows but rebuilds the indexes on the column while holding an ACCESS EXCLUSIVE lock (no reads or writes until they are built).`;
  if (cost === 'timezone') {
    return `${change} rewrites the whole table and rebuilds its indexes while holding an ACCESS EXCLUSIVE lock, unless the session TimeZone is UTC: `
      + 'then PostgreSQL 12+ keeps the rows, but the indexes on the column are still rebuilt under that lock. The old values are read in the session TimeZone, so run it with the zone they were written in. '
      + SAFER;
  }
  const hedge = !from && MAYBE_FREE.has(target.split(/[\s(]/)[0].toLowerCase())
    ? ' If the column is currently varchar or text going to text or a longer varchar, numeric going to unconstrained numeric or a higher precision with the same scale, cidr going to inet, or a shorter varbit, the change is binary-coercible, nothing is rewritten, and this finding can be ignored.'
    : '';
  return `${change} rewrites the whole table and rebuilds its indexes while holding an ACCESS EXCLUSIVE lock (no reads or writes), and running application code may not expect the new type; a narrowing change can also fail or lose data. `
    + SAFER + hedge;
}

export const changingColumnType = defineRule({
  id: 'changing-column-type',
  meta: {
    description: 'ALTER COLUMN … TYPE on an existing table usually rewrites the table and its indexes under an ACCESS EXCLUSIVE lock.',
    category: 'safety',
    defaultSeverity: 'warning',
    fix: 'none',
  },
  // The column's current type comes from the schema before the file (see `catalogBefore`).
  historySteps: (file) => alterTablesOfExistingTables(file.parsed).some(({ alter }) => (alter.cmds ?? []).some((c: any) => c.AlterTableCmd?.subtype === 'AT_AlterColumnType')
),
  check(ctx) {
    const { file, catalogBefore } = ctx;
    const declared = declaredColumns(file);
    for (const { stmt, alter } of alterTablesOfExistingTables(file)) {
      const table = qualifiedName(alter.relation);
      for (const { cmd, start, end } of alterTableCommands(file, stmt, ['AT_AlterColumnType'])) {
        const def = cmd.subtype === 'AT_AlterColumnType' ? nodeOf(cmd.def, 'ColumnDef') : undefined;
        if (!def?.typeName) continue;
        // The current type: declared earlier in this file (ADD COLUMN, an earlier TYPE change), else the schema before the file.
        const inFile = declared.filter((d) => d.stmt.index < stmt.index && d.column === cmd.name && tableKey(d.table) === tableKey(alter.relation)).at(-1);
        const relation = alter.relation;
        const fromHistory = catalogBefore && findTable(catalogBefore, [relation.schemaname, relation.relname].filter((s): s is string => !!s))?.columns.find((c) => c.name === cmd.name)?.type;
        const from = inFile ? writtenType(inFile.typeName) : fromHistory;
        // USING computes every value anew: always a rewrite.
        const cost = from && !def.raw_default ? typeChangeCost(from, writtenType(def.typeName)) : undefined;
        if (cost === 'none') continue;
        const range = typeNameRange(file, stmt, def.typeName);
        const target = (range ? file.text.slice(range.start, range.end) : (typeBaseName(def.typeName) ?? '')) + '[]'.repeat((def.typeName.arrayBounds ?? []).length);
        ctx.report({ statement: stmt, start, end, message: message(table, cmd.name ?? '', target, from, cost) });
      }
    }
  },
});
