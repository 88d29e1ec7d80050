import type { Catalog, Index } from '../catalog/model';
import type { SqlFile } from '../parse/sql/parser';
import type { Constraint, Node } from '@pgsql/types';
import { stmtOf, tableKey } from '../parse/sql/ast';
import { nodeOf, nodesOf, stringOf } from '../parse/sql/nodes';

/** Every index of a catalog by `schema\0name` (the first of a name per schema), built once per catalog. */
const indexesByName = new WeakMap<Catalog, Map<string, { index: Index; table: string }>>();

/** The index a DROP INDEX name (`[schema.]name`) refers to in the schema before the file, and its table's key. */
function indexBefore(catalog: Catalog, name: string[]): { index: Index; table: string } | undefined {
  let byName = indexesByName.get(catalog);
  if (!byName) {
    byName = new Map();
    for (const [schemaName, schema] of catalog.schemas) {
      for (const t of schema.tables.values()) {
        for (const index of t.indexes) {
          const key = `${schemaName}\0${index.name}`;
          if (!byName.has(key)) byName.set(key, { index, table: tableKey({ schemaname: t.schema, relname: t.name }) });
        }
      }
    }
    indexesByName.set(catalog, byName);
  }
  const schemas = name.length > 1 ? [name[name.length - 2]] : catalog.searchPath;
  const wanted = name[name.length - 1];
  for (const s of schemas) {
    const hit = byName.get(`${s}\0${wanted}`);
    if (hit) return hit;
  }
  return undefined;
}

/** What the statements of a file do to index names, by statement position (sorted), read in one pass per file. */
interface IndexEvents {
  /** Statements that may create an index of any name (CREATE INDEX without a name, an unnamed key constraint). */
  anyCreate: number[];
  /** Per name: statements that may create it, DROP INDEX it, or DROP CONSTRAINT it. */
  named: Map<string, { create: number[]; dropIndex: number[]; dropConstraint: number[] }>;
  /** DROP TABLE statements with the keys of the tables they drop. */
  dropTables: { index: number; tables: string[] }[];
}

const eventsOfFile = new WeakMap<SqlFile, IndexEvents>();

function indexEvents(file: SqlFile): IndexEvents {
  let ev = eventsOfFile.get(file);
  if (ev) return ev;
  ev = { anyCreate: [], named: new Map(), dropTables: [] };
  const of = (name: string) => {
    let e = ev!.named.get(name);
    if (!e) ev!.named.set(name, (e = { create: [], dropIndex: [], dropConstraint: [] }));
    return e;
  };
  for (const s of file.statements) {
    const created = namesCreated(s.ast);
    if (created === 'any') ev.anyCreate.push(s.index);
    else for (const n of created) of(n).create.push(s.index);
    const drop = stmtOf(s, 'DropStmt');
    // A dropped object's name is a list of String nodes.
    const dropped = (drop?.objects ?? []).map((o) => (nodeOf(o, 'List')?.items ?? []).map(stringOf) as string[]);
    if (drop?.removeType === 'OBJECT_INDEX') for (const n of dropped) of(n[n.length - 1]).dropIndex.push(s.index);
    if (drop?.removeType === 'OBJECT_TABLE') {
      ev.dropTables.push({ index: s.index, tables: dropped.map((n) => tableKey({ schemaname: n.length > 1 ? n[n.length - 2] : undefined, relname: n[n.length - 1] })) });
    }
    for (const cmd of nodesOf(stmtOf(s, 'AlterTableStmt')?.cmds, 'AlterTableCmd')) {
      if (cmd.subtype
 === 'AT_DropConstraint' && cmd.name) of(cmd.name).dropConstraint.push(s.index);
    }
  }
  eventsOfFile.set(file, ev);
  return ev;
}

/** The largest value of a sorted array below `limit`, or -1. */
function lastBelow(sorted: readonly number[], limit: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < limit) {
      found = sorted[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * Whether the index a DROP INDEX names is already gone when statement `at` runs, so the DROP takes no lock (with
 * IF EXISTS it does nothing): dropped earlier in this file by DROP INDEX, with its constraint
 * (`ALTER TABLE … DROP CONSTRAINT <same name>`: a PRIMARY KEY, UNIQUE or EXCLUDE constraint drops its index), or
 * with its table (known from the schema before the file, `before`, when the file is a migration of a history), and
 * not made again since (a later statement that may create an index of that name clears it).
 * An index the history never created is not taken as absent: `DROP INDEX IF EXISTS` is how migrations remove
 * indexes made by hand in production (civitai's "Remove temp indexes"), and those drops do lock the table.
 * Linear overall: the file's events are read once, each question is a few binary searches.
 */
export function indexGoneBefore(file: SqlFile, at: number, name: string[], before?: Catalog): boolean {
  const wanted = name[name.length - 1];
  const known = before && indexBefore(before, name);
  const ev = indexEvents(file);
  const mine = ev.named.get(wanted);
  const lastCreate = Math.max(lastBelow(ev.anyCreate, at), mine ? lastBelow(mine.create, at) : -1);
  let lastDrop = mine ? lastBelow(mine.dropIndex, at) : -1;
  if (mine && (!known || known.index.backs)) lastDrop = Math.max(lastDrop, lastBelow(mine.dropConstraint, at));
  if (known) {
    // Dropping the table counts only while no statement has made an index of that name again (the name is then another index).
    const firstCreate = Math.min(ev.anyCreate[0] ?? Infinity, mine?.create[0] ?? Infinity);
    const limit = Math.min(at, firstCreate);
    for (let k = ev.dropTables.length - 1; k >= 0; k--) {
      const d = ev.dropTables[k];
      if (d.index >= limit) continue;
      if (d.tables.includes(known.table)) {
        lastDrop = Math.max(lastDrop, d.index);
        break;
      }
    }
  }
  // A statement that both drops and may create the name leaves it there (the create wins, as it runs after).
  return lastDrop > lastCreate;
}

const INDEXED_CONSTRAINTS = new Set(['CONSTR_PRIMARY', 'CONSTR_UNIQUE', 'CONSTR_EXCLUSION']);

/**
 * The index names a statement may (re)create: CREATE INDEX of a name, a RENAME to it, a PRIMARY KEY, UNIQUE or
 * EXCLUDE constraint of a name — or 'any' for CREATE INDEX or a key constraint without a name (PostgreSQL picks one).
 */
function namesCreated(ast: Node | undefined): string[] | 'any' {
  if (!ast) return [];
  const index = nodeOf(ast, 'IndexStmt');
  if (index) return index.idxname ? [index.idxname] : 'any';
  const rename = nodeOf(ast, 'RenameStmt');
  if (rename) return rename.newname ? [rename.newname] : [];
  const constraints: Constraint[] = [];
  // A column's constraints, or a table constraint (a table element or an ALTER TABLE's ADD CONSTRAINT).
  const collect = (node: Node | undefined) => {
    const con = nodeOf(node, 'Constraint');
    if (con) constraints.push(con);
    constraints.push(...nodesOf(nodeOf(node, 'ColumnDef')?.constraints, 'Constraint'));
  };
  for (const e of nodeOf(ast, 'CreateStmt')?.tableElts ?? []) collect(e);
  for (const cmd of nodesOf(nodeOf(ast, 'AlterTableStmt')?.cmds, 'AlterTableCmd')) collect(cmd.def);
  const keyed = constraints.filter((c) => c.contype !== undefined && INDEXED_CONSTRAINTS.has(c.contype));
  if (keyed.some((c) => !c.conname)) return 'any';
  return keyed.map((c) => c.conname as string);
}
