import { z } from 'zod';
import { alterTableCommands, alterTablesOfExistingTables, defaultObjectName, qualifiedName, quoteIdent, relationText } from '../engine/statements';
import type { Rule } from '../engine/types';
import { insertAfterStatement } from '../fixes/edits';

/** Column references in an expression (deduplicated), to name a CHECK the way PostgreSQL does. */
function referencedColumns(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => referencedColumns(n, out));
  else if (node && typeof node === 'object') {
    const ref = (node as any).ColumnRef;
    if (ref) {
      const fields = (ref.fields ?? []).map((f: any) => f.String?.sval).filter(Boolean);
      if (fields.length) out.add(fields[fields.length - 1]);
    } else Object.values(node).forEach((v) => referencedColumns(v, out));
  }
  return out;
}

/** PostgreSQL names an unnamed FK `<table>_<cols>_fkey`, and a CHECK `<table>_<col>_check` when it mentions exactly one column. */
function constraintName(table: string, con: Record<string, any>): string {
  if (con.conname) return con.conname;
  if (con.contype === 'CONSTR_FOREIGN') return defaultObjectName(table, (con.fk_attrs ?? []).map((a: any) => a.String?.sval), 'fkey');
  const cols = [...referencedColumns(con.raw_expr)];
  return defaultObjectName(table, cols.length === 1 ? cols : [], 'check');
}

export const constraintMissingNotValid: Rule = {
  id: 'constraint-missing-not-valid',
  meta: {
    description: 'ADD CONSTRAINT … FOREIGN KEY/CHECK on an existing table without NOT VALID scans the whole table while holding a lock that blocks writes.',
    category: 'safety',
    defaultSeverity: 'warning',
    fix: 'suggestion',
  },
  options: z.object({}).strict(),
  check(ctx) {
    const { file, fileContext } = ctx;
    for (const { stmt, alter } of alterTablesOfExistingTables(file)) {
      for (const { cmd, start, end, located } of alterTableCommands(file, stmt, ['AT_AddConstraint'])) {
        const con = cmd.subtype === 'AT_AddConstraint' ? cmd.def?.Constraint : undefined;
        if (!con || con.skip_validation || (con.contype !== 'CONSTR_FOREIGN' && con.contype !== 'CONSTR_CHECK')) continue;
        const table = qualifiedName(alter.relation);
        const name = constraintName(alter.relation.relname, con);
        const kind = con.contype === 'CONSTR_FOREIGN' ? 'FOREIGN KEY' : 'CHECK';
        const lock = con.contype === 'CONSTR_FOREIGN'
          ? `a SHARE ROW EXCLUSIVE lock on "${table}" and on "${qualifiedName(con.pktable)}"`
          : `an ACCESS EXCLUSIVE lock on "${table}"`;
        const edits = [
          { start: end, end, newText: ' NOT VALID' },
          insertAfterStatement(file, stmt, `ALTER TABLE ${relationText(file, stmt, alter.relation)} VALIDATE CONSTRAINT ${quoteIdent(name)};`),
        ];
        // Name it explicitly, so VALIDATE refers to it even if PostgreSQL would have had to pick another name.
        if (!con.conname && con.location !== undefined) {
          const at = stmt.toFileOffset(con.location);
          edits.push({ start: at, end: at, newText: `CONSTRAINT ${quoteIdent(name)} ` });
        }
        ctx.report({
          statement: stmt,
          start,
          end,
          message: `Adding ${kind} constraint "${name}" to existing table "${table}" checks every row while holding ${lock}, blocking writes for the whole scan. `
            + 'Add it NOT VALID (instant; new rows are still checked), then run VALIDATE CONSTRAINT, which scans under a lock that lets reads and writes continue.'
            + (fileContext.transactional ? ` Note: ${fileContext.transactionReason}, so the NOT VALID lock is held until the end of the file: put VALIDATE CONSTRAINT in a later migration for the full benefit.` : ''),
          fix: located ? { title: `Add NOT VALID and validate "${name}" separately`, edits } : undefined,
        });
      }
    }
  },
};
