import type { Constraint } from '@pgsql/types';
import { oncePerFile, stmtOf, tableKey } from '../parse/sql/ast';
import { nodeOf, nodesOf, stringsOf } from '../parse/sql/nodes';
import type { SqlFile } from '../parse/sql/parser';

/** One referencing column of a foreign key the file declares, and the column it references (`tableKey` names). */
export interface FileForeignKeyColumn {
  table: string;
  column: string;
  referencedTable: string;
  /** Undefined when the REFERENCES clause names no column and the referenced table's key is not declared in this file. */
  referencedColumn?: string;
}

/**
 * The foreign keys the file declares (inline REFERENCES, table constraints of CREATE TABLE, ALTER TABLE … ADD
 * FOREIGN KEY), column by column. A REFERENCES without columns points at the primary key, found when the file
 * declares it. Made once per file.
 */
export const fileForeignKeyColumns: (file: SqlFile) => readonly FileForeignKeyColumn[] = oncePerFile((file) => {
  const primaryKeys = new Map<string, string[]>();
  const pending: { table: string; columns: string[]; c: Constraint }[] = [];
  for (const stmt of file.statements) {
    const create = stmtOf(stmt, 'CreateStmt');
    if (create?.relation) {
      const table = tableKey(create.relation);
      for (const def of nodesOf(create.tableElts, 'ColumnDef')) {
        for (const c of nodesOf(def.constraints, 'Constraint')) {
          if (c.contype === 'CONSTR_PRIMARY') primaryKeys.set(table, [def.colname ?? '']);
          if (c.contype === 'CONSTR_FOREIGN') pending.push({ table, columns: [def.colname ?? ''], c });
        }
      }
      for (const c of nodesOf(create.tableElts, 'Constraint')) {
        if (c.contype === 'CONSTR_PRIMARY') primaryKeys.set(table, stringsOf(c.keys));
        if (c.contype === 'CONSTR_FOREIGN') pending.push({ table, columns: stringsOf(c.fk_attrs), c });
      }
    }
    const alter = stmtOf(stmt, 'AlterTableStmt');
    if (alter?.relation && alter.objtype === 'OBJECT_TABLE') {
      const table = tableKey(alter.relation);
      for (const cmd of nodesOf(alter.cmds, 'AlterTableCmd')) {
        const c = cmd.subtype === 'AT_AddConstraint' ? nodeOf(cmd.def, 'Constraint') : undefined;
        if (c?.contype === 'CONSTR_PRIMARY') primaryKeys.set(table, stringsOf(c.keys));
        if (c?.contype === 'CONSTR_FOREIGN') pending.push({ table, columns: stringsOf(c.fk_attrs), c });
      }
    }
  }
  const out: FileForeignKeyColumn[] = [];
  for (const { table, columns, c } of pending) {
    const referencedTable = tableKey(c.pktable);
    const referenced = stringsOf(c.pk_attrs);
    const target = referenced.length ? referenced : primaryKeys.get(referencedTable) ?? [];
    columns.forEach((column, i) => out.push({ table, column, referencedTable, referencedColumn: target[i] }));
  }
  return out;
});
