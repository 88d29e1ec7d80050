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
 * with its table (known from the schema before the file, `before`, when the file is a migration of a history), and
 * not made again since (a later statement that may create an index of that name clears it).
 * An index the history never created is not taken as absent: `DROP INDEX IF EXISTS` is how migrations remove
 * indexes made by hand in production (civitai's "Remove temp indexes"), and those drops do lock the table.
 */
export function indexGoneBefore(file: SqlFile, at: number, name: string[], before?: Catalog): boolean {
  const wanted = name[name.length - 1];
  const known = before && indexBefore(before, name);
  let gone = false;
  let created = false;
  for (const s of file.statements) {
    if (s.index >= at) break;
    if (mayCreateIndexNamed(s.ast as Record<string, any> | undefined, wanted)) {
      created = true;
      gone = false;
      continue;
    }
    const drop = stmtOf(s, 'DropStmt');
    const dropped: string[][] = (drop?.objects ?? []).map((o: any) => (o.List?.items ?? []).map((i: any) => i.String?.sval));
    if (drop?.removeType === 'OBJECT_INDEX' && dropped.some((n) => n[n.length - 1] === wanted)) gone = true;
    if (drop?.removeType === 'OBJECT_TABLE' && known && !created && dropped.some((n) => tableKey({ schemaname: n.length > 1 ? n[n.length - 2] : undefined, relname: n[n.length - 1] }) === known.table)) gone = true;
    for (const c of stmtOf(s, 'AlterTableStmt')?.cmds ?? []) {
      const cmd = c.AlterTableCmd;
      if (cmd?.subtype === 'AT_DropConstraint' && cmd.name === wanted && (!known || known.index.backs)) gone = true;
    }
  }
  return gone;
}

const INDEXED_CONSTRAINTS = new Set(['CONSTR_PRIMARY', 'CONSTR_UNIQUE', 'CONSTR_EXCLUSION']);

/**
 * Whether a statement may (re)create an index called `name`: CREATE INDEX of that name or of none (PostgreSQL
 * picks one), a RENAME to it, a PRIMARY KEY, UNIQUE or EXCLUDE constraint of that name or of none.
 */
function mayCreateIndexNamed(ast: Record<string, any> | undefined, name: string): boolean {
  if (!ast) return false;
  if (ast.IndexStmt) return !ast.IndexStmt.idxname || ast.IndexStmt.idxname === name;
  if (ast.RenameStmt) return ast.RenameStmt.newname === name;
  const constraints: Record<string, any>[] = [];
  for (const e of ast.CreateStmt?.tableElts ?? []) {
    if (e.Constraint) constraints.push(e.Constraint);
    for (const c of e.ColumnDef?.constraints ?? []) if (c.Constraint) constraints.push(c.Constraint);
  }
  for (const c of ast.AlterTableStmt?.cmds ?? []) {
    const def = c.AlterTableCmd?.def;
    if (def?.Constraint) constraints.push(def.Constraint);
    for (const k of def?.ColumnDef?.constraints ?? []) if (k.Constraint) constraints.push(k.Constraint);
  }
  return constraints.some((c) => INDEXED_CONSTRAINTS.has(c.contype) && (!c.conname || c.conname === name));
}
