import type { SqlFile, SqlStatement } from '../parse/sql/parser';
import type { ColumnDef, Constraint } from '@pgsql/types';
import { alterTableCommands, alterTablesOfExistingTables, oncePerFile, type TableAlter } from '../parse/sql/ast';
import { nodeOf, nodesOf } from '../parse/sql/nodes';

/** A column `ALTER TABLE … ADD COLUMN` adds to a table that existed before this file. */
export interface AddedColumn {
  stmt: SqlStatement;
  alter: TableAlter;
  /** The ADD COLUMN subcommand's range. */
  start: number;
  end: number;
  def: ColumnDef;
}

/** The columns this file adds to tables that existed before it, in order. */
export const columnsAddedToExistingTables: (file: SqlFile) => readonly AddedColumn[] = oncePerFile((file) => {
  const out: AddedColumn[] = [];
  for (const { stmt, alter } of alterTablesOfExistingTables(file)) {
    for (const { cmd, start, end } of alterTableCommands(file, stmt, ['AT_AddColumn'])) {
      const def = cmd.subtype === 'AT_AddColumn' ? nodeOf(cmd.def, 'ColumnDef') : undefined;
      if (def) out.push({ stmt, alter, start, end, def });
    }
  }
  return out;
});

/** A constraint written inline in `ALTER TABLE … ADD COLUMN` (REFERENCES, UNIQUE, PRIMARY KEY, CHECK). */
export interface InlineColumnConstraint extends AddedColumn {
  con: Constraint;
}

/** Inline constraints of the given kinds on columns added to tables that existed before this file. */
export function inlineConstraintsOfAddedColumns(file: SqlFile, contypes: readonly string[]): InlineColumnConstraint[] {
  return columnsAddedToExistingTables(file).flatMap((added) =>
    nodesOf(added.def.constraints, 'Constraint').filter((con) => con.contype !== undefined && contypes.includes(con.contype)).map((con) => ({ ...added, con })));
}

/**
 * Whether the column definition has a DEFAULT clause, even `DEFAULT NULL`: PostgreSQL then validates an inline
 * REFERENCES against every row, while without one it knows the new column is all NULL and skips the scan.
 */
export function hasDefaultClause(def: ColumnDef): boolean {
  return !!def.raw_default || nodesOf(def.constraints, 'Constraint').some((c) => c.contype === 'CONSTR_DEFAULT');
}
