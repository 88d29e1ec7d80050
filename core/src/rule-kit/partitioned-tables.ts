import type { CreateStmt, RangeVar } from '@pgsql/types';
import type { Catalog, Table } from '../catalog/model';
import { indexesCreatedBefore, isExistingTable, oncePerFile, stmtOf, tableKey } from '../parse/sql/ast';
import { nodesOf } from '../parse/sql/nodes';
import type { SqlFile, SqlStatement } from '../parse/sql/parser';
import { findTable } from './lookup';

/** What the partition rules know of a partitioned table at one statement of a file. */
export interface PartitionedTable {
  /** The partition key's columns, undefined for an expression element. */
  keyColumns: (string | undefined)[];
  /** The table as the schema before the file has it; undefined when this file created it. */
  before?: Table;
}

/** The table a name refers to in the schema before the file (undefined without one, as for a file linted on its own). */
export function tableBefore(catalogBefore: Catalog | undefined, rel: RangeVar | undefined): Table | undefined {
  if (!catalogBefore || !rel?.relname) return undefined;
  return findTable(catalogBefore, [rel.schemaname, rel.relname].filter((s): s is string => !!s));
}

/**
 * `rel` as a partitioned table at statement `stmt`: created with PARTITION BY earlier in this file, or partitioned in
 * the schema before the file (and not created again in this file). Undefined when it is not, or nothing says.
 */
export function partitionedTableAt(file: SqlFile, catalogBefore: Catalog | undefined, stmt: SqlStatement, rel: RangeVar | undefined): PartitionedTable | undefined {
  if (!rel?.relname) return undefined;
  const key = tableKey(rel);
  // The last CREATE TABLE of that name before the statement (a file may drop a table and create it again).
  let created: CreateStmt | undefined;
  for (const c of createTablesOf(file).get(key) ?? []) {
    if (c.index >= stmt.index) break;
    created = c.create;
  }
  if (created) return created.partspec ? { keyColumns: nodesOf(created.partspec.partParams, 'PartitionElem').map((e) => e.name) } : undefined;
  if (createdInSchemaElement(file, stmt, rel)) return undefined;
  const before = tableBefore(catalogBefore, rel);
  if (before?.kind !== 'partitioned') return undefined;
  return { keyColumns: before.partitionKey?.columns ?? [], before };
}

/**
 * The CREATE TABLE statements of a file by table key, in file order: made once per file (the rules asked for each
 * CREATE INDEX and ALTER TABLE, walking the file each time: 3 % of a corpus run).
 */
const createTablesOf = oncePerFile((file: SqlFile) => {
  const byKey = new Map<string, { index: number; create: CreateStmt }[]>();
  for (const s of file.statements) {
    const create = stmtOf(s, 'CreateStmt');
    if (!create) continue;
    const key = tableKey(create.relation);
    const list = byKey.get(key);
    if (list) list.push({ index: s.index, create });
    else byKey.set(key, [{ index: s.index, create }]);
  }
  return byKey;
});

/** The partitions of a table in a catalog. */
export function partitionsIn(catalog: Catalog, parent: Table): Table[] {
  const out: Table[] = [];
  for (const schema of catalog.schemas.values()) {
    for (const t of schema.tables.values()) if (t.partitionOf?.schema === parent.schema && t.partitionOf.name === parent.name) out.push(t);
  }
  return out;
}

/**
 * Whether the file created the table before `stmt` in a way `isExistingTable` does not see: CREATE FOREIGN TABLE,
 * or a CREATE TABLE element of CREATE SCHEMA (named in that schema). Such a table is new in this file too.
 */
export function createdInSchemaElement(file: SqlFile, stmt: SqlStatement, rel: RangeVar): boolean {
  const first = tablesCreatedAside(file).get(tableKey(rel));
  return first !== undefined && first < stmt.index;
}

/** Per table key, the first statement that creates it as a foreign table or a CREATE SCHEMA element: once per file (rules ask per statement). */
const tablesCreatedAside = oncePerFile((file: SqlFile) => {
  const out = new Map<string, number>();
  const add = (key: string, index: number) => {
    if (!out.has(key)) out.set(key, index);
  };
  for (const s of file.statements) {
    const foreign = stmtOf(s, 'CreateForeignTableStmt')?.base?.relation;
    if (foreign) add(tableKey(foreign), s.index);
    const schema = stmtOf(s, 'CreateSchemaStmt');
    if (schema) for (const c of nodesOf(schema.schemaElts, 'CreateStmt')) add(tableKey({ schemaname: c.relation?.schemaname ?? schema.schemaname, relname: c.relation?.relname }), s.index);
  }
  return out;
});

/** Whether the name was given to an index earlier in the file: ALTER TABLE on it fails (PostgreSQL's regression files test that). */
export function namesIndexOfFile(file: SqlFile, stmt: SqlStatement, rel: RangeVar | undefined): boolean {
  return !!rel?.relname && !rel.schemaname && indexesCreatedBefore(file, stmt.index).has(rel.relname);
}

/**
 * Whether a file has a CREATE INDEX (not ON ONLY) on a table it did not create: the files whose schema before them
 * the index rules need, to tell a partitioned table. Most CREATE INDEX statements index a table of the same file.
 */
export function indexesTableOfEarlierMigration(file: SqlFile): boolean {
  return file.statements.some((s) => {
    const index = stmtOf(s, 'IndexStmt');
    return !!index?.relation?.inh && isExistingTable(file, s, index.relation);
  });
}
