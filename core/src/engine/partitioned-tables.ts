import type { RangeVar } from '@pgsql/types';
import type { Catalog, Table } from '../catalog/model';
import { stmtOf, tableKey } from '../parse/sql/ast';
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
  for (const s of file.statements) {
    if (s.index >= stmt.index) break;
    const create = stmtOf(s, 'CreateStmt');
    if (!create || tableKey(create.relation) !== key) continue;
    if (!create.partspec) return undefined;
    return { keyColumns: nodesOf(create.partspec.partParams, 'PartitionElem').map((e) => e.name) };
  }
  const before = tableBefore(catalogBefore, rel);
  if (before?.kind !== 'partitioned') return undefined;
  return { keyColumns: before.partitionKey?.columns ?? [], before };
}

/** The partitions of a table in a catalog. */
export function partitionsIn(catalog: Catalog, parent: Table): Table[] {
  const out: Table[] = [];
  for (const schema of catalog.schemas.values()) {
    for (const t of schema.tables.values()) if (t.partitionOf?.schema === parent.schema && t.partitionOf.name === parent.name) out.push(t);
  }
  return out;
}
