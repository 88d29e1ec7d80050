import type { Catalog, Index } from '../catalog/model';
import type { SqlFile } from '../parse/sql/parser';
import { stmtOf, tableKey } from './statements';

/** The index a DROP INDEX name (`[schema.]name`) refers to in the schema before the file, and its table's key. */
function indexBefore(catalog: Catalog, name: string[]): { index: Index; table: string } | undefined {
  const schemas = name.length > 1 ? [name[name.length - 2]] : catalog.searchPath;
  const wanted = name[name.length - 1];
  for (const s of schemas) {
    const schema = catalog.schemas.get(s);
    for (const t of schema?.tables.values() ?? []) {
      const index = t.indexes.find((i) => i.name === wanted);
      if (index) return { index, table: tableKey({ schemaname: t.schema, relname: t.name }) };
    }
  }
  return undefined;
}

/**
 * Whether the index a DROP INDEX names is already gone when statement `at` runs, so the DROP takes no lock (with
 * IF EXISTS it does nothing): dropped earlier in this file by DROP INDEX, with its constraint
 * (`ALTER TABLE … DROP CONSTRAINT <same name>`: a PRIMARY KEY, UNIQUE or EXCLUDE constraint drops its index), or
 * with its table (known from the schema before the file, `before`, when the file is a migration of a history).
 * An index the history never created is not taken as absent: `DROP INDEX IF EXISTS` is how migrations remove
 * indexes made by hand in production (civitai's "Remove temp indexes"), and those drops do lock the table.
 */
export function indexGoneBefore(file: SqlFile, at: number, name: string[], before?: Catalog): boolean {
  const wanted = name[name.length - 1];
  const known = before && indexBefore(before, name);
  let created = false;
  for (const s of file.statements) {
    if (s.index >= at) break;
    const create = stmtOf(s, 'IndexStmt');
    if (create?.idxname === wanted) created = true;
    const drop = stmtOf(s, 'DropStmt');
    const dropped: string[][] = (drop?.objects ?? []).map((o: any) => (o.List?.items ?? []).map((i: any) => i.String?.sval));
    if (drop?.removeType === 'OBJECT_INDEX' && dropped.some((n) => n[n.length - 1] === wanted)) return true;
    if (drop?.removeType === 'OBJECT_TABLE' && known && !created && dropped.some((n) => tableKey({ schemaname: n.length > 1 ? n[n.length - 2] : undefined, relname: n[n.length - 1] }) === known.table)) return true;
    const alter = stmtOf(s, 'AlterTableStmt');
    for (const c of alter?.cmds ?? []) {
      const cmd = c.AlterTableCmd;
      if (cmd?.subtype === 'AT_DropConstraint' && cmd.name === wanted && (!known || known.index.backs)) return true;
    }
  }
  return false;
}
