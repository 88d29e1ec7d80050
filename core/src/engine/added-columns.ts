import type { SqlFile, SqlStatement } from '../parse/sql/parser';
import { alterTableCommands, alterTablesOfExistingTables } from '../parse/sql/ast';

/** A constraint written inline in `ALTER TABLE … ADD COLUMN` (REFERENCES, UNIQUE, PRIMARY KEY, CHECK). */
export interface InlineColumnConstraint {
  stmt: SqlStatement;
  alter: Record<string, any>;
  /** The ADD COLUMN subcommand's range. */
  start: number;
  end: number;
  def: Record<string, any>;
  con: Record<string, any>;
}

/** Inline constraints of the given kinds on columns added to tables that existed before this file. */
export function inlineConstraintsOfAddedColumns(file: SqlFile, contypes: readonly string[]): InlineColumnConstraint[] {
  const out: InlineColumnConstraint[] = [];
  for (const { stmt, alter } of alterTablesOfExistingTables(file)) {
    for (const { cmd, start, end } of alterTableCommands(file, stmt, ['AT_AddColumn'])) {
      const def = cmd.subtype === 'AT_AddColumn' ? cmd.def?.ColumnDef : undefined;
      for (const c of def?.constraints ?? []) {
        if (c.Constraint && contypes.includes(c.Constraint.contype)) out.push({ stmt, alter, start, end, def, con: c.Constraint });
      }
    }
  }
  return out;
}

/**
 * Whether the column definition has a DEFAULT clause, even `DEFAULT NULL`: PostgreSQL then validates an inline
 * REFERENCES against every row, while without one it knows the new column is all NULL and skips the scan.
 */
export function hasDefaultClause(def: Record<string, any>): boolean {
  return !!def.raw_default || (def.constraints ?? []).some((c: any) => c.Constraint?.contype === 'CONSTR_DEFAULT');
}
