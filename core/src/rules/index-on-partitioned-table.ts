import type { IndexStmt } from '@pgsql/types';
import type { Catalog, Table } from '../catalog/model';
import { findWord, qualifiedName, qualifiedNameRange, quoteIdent, statementTokens, stmtOf, defaultObjectName } from '../parse/sql/ast';
import { nodesOf } from '../parse/sql/nodes';
import type { SqlFile, SqlStatement } from '../parse/sql/parser';
import { tableReference } from '../fixes/edits';
import { insertedRunsInSameTransaction } from '../fixes/later-migration';
import { defineRule } from '../rule-kit/define-rule';
import { indexesTableOfEarlierMigration, partitionedTableAt, partitionsIn } from '../rule-kit/partitioned-tables';
import type { Fix, RuleContext } from '../rule-kit/types';

/** A free index name for a partition: `<partition>_<cols>_idx`, numbered as PostgreSQL numbers a taken one. */
function partitionIndexName(catalog: Catalog, partition: Table, columns: string[], taken: Set<string>): string {
  const schema = catalog.schemas.get(partition.schema);
  const used = (n: string) => taken.has(n) || !!schema && (schema.tables.has(n) || schema.views.has(n) || schema.sequences.has(n)
    || [...schema.tables.values()].some((t) => t.indexes.some((i) => i.name === n)));
  let name = defaultObjectName(partition.name, columns, 'idx');
  for (let k = 1; used(name); k++) name = defaultObjectName(partition.name, columns, `idx${k}`);
  taken.add(name);
  return name;
}

/**
 * The statement rewritten as PostgreSQL's documented way to index a partitioned table without locking it: the index
 * on the parent alone (ON ONLY, invalid until every partition has one), each partition's index built CONCURRENTLY,
 * then attached. The key list, method, INCLUDE, WHERE and WITH are copied from the statement as written.
 */
function onlyThenAttach(ctx: RuleContext<unknown>, stmt: SqlStatement, index: IndexStmt & { idxname: string }, partitions: Table[], catalog: Catalog): Fix | undefined {
  const { file } = ctx;
  const tokens = statementTokens(file, stmt);
  const rel = index.relation?.location === undefined ? undefined : qualifiedNameRange(tokens, stmt.toFileOffset(index.relation.location));
  const keyword = findWord(file, stmt, /\bindex\b/i);
  if (!rel || !keyword) return undefined;
  const text = file.text;
  const head = text.slice(stmt.start, keyword.end).replace(/\s+/g, ' '); // CREATE [UNIQUE] INDEX
  const rest = text.slice(rel.end, stmt.end).replace(/;\s*$/, '');
  const ifNotExists = index.if_not_exists ? ' IF NOT EXISTS' : '';
  const columns = nodesOf(index.indexParams, 'IndexElem').map((e) => e.name ?? 'expr');
  const parentSchema = index.relation?.schemaname;
  const parentIndex = parentSchema ? `${quoteIdent(parentSchema)}.${quoteIdent(index.idxname)}` : quoteIdent(index.idxname);
  const taken = new Set<string>([index.idxname]);
  const lines = [`${head}${ifNotExists} ${quoteIdent(index.idxname)} ON ONLY ${text.slice(rel.start, rel.end)}${rest};`];
  for (const p of partitions) {
    const name = partitionIndexName(catalog, p, columns, taken);
    const ref = p.schema === 'public' ? quoteIdent(name) : `${quoteIdent(p.schema)}.${quoteIdent(name)}`;
    lines.push(`${head} CONCURRENTLY${ifNotExists} ${quoteIdent(name)} ON ${tableReference(p)}${rest};`);
    lines.push(`ALTER INDEX ${parentIndex} ATTACH PARTITION ${ref};`);
  }
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const end = text[stmt.end] === ';' ? stmt.end + 1 : stmt.end;
  return { title: `Create ${index.idxname} ON ONLY the parent, build it CONCURRENTLY on each of the ${partitions.length} partitions and attach them`, edits: [{ start: stmt.start, end, newText: lines.join(nl) }] };
}

/** An index's definition as written, without positions: the key list, method, uniqueness and predicate. */
function definitionOf(n: IndexStmt): string {
  return JSON.stringify([n.indexParams, n.accessMethod, !!n.unique, n.whereClause, n.indexIncludingParams], (k, v) => (k === 'location' ? undefined : v));
}

/**
 * Whether the partitions already have this index, so CREATE INDEX on the parent only attaches them (no build):
 * built earlier in this file (the documented alternative to ON ONLY: CONCURRENTLY on each partition first), or
 * present in the schema before the file. Partitions pgvet does not know (made by functions at run time) count as
 * covered when the file builds the same index on other tables first.
 */
function alreadyOnPartitions(file: SqlFile, stmt: SqlStatement, index: IndexStmt, partitions: Table[]): boolean {
  const definition = definitionOf(index);
  const builtOn = new Set<string>();
  for (const s of file.statements) {
    if (s.index >= stmt.index) break;
    const other = stmtOf(s, 'IndexStmt');
    if (other?.relation?.relname && definitionOf(other) === definition) builtOn.add(other.relation.relname);
  }
  if (partitions.length === 0) return builtOn.size > 0;
  const columns = nodesOf(index.indexParams, 'IndexElem').map((e) => e.name);
  const plain = columns.every((c) => c !== undefined) && !index.whereClause && !index.indexIncludingParams?.length;
  const inCatalog = (p: Table) => plain && p.indexes.some((i) => !i.attachedTo && i.method === (index.accessMethod ?? 'btree') && i.unique === !!index.unique
    && i.predicate === undefined && i.include.length === 0 && i.keys.length === columns.length && i.keys.every((k, n) => k.column === columns[n] && !k.opclass && !k.collation));
  return partitions.every((p) => builtOn.has(p.name) || inCatalog(p));
}

export const indexOnPartitionedTable = defineRule({
  id: 'index-on-partitioned-table',
  meta: {
    description: 'CREATE INDEX on an existing partitioned table builds the index on every partition while blocking writes to all of them, and cannot be CONCURRENTLY.',
    category: 'safety',
    defaultSeverity: 'warning',
    fix: 'suggestion',
  },
  // Whether the table is partitioned, and its partitions, come from the schema before the file.
  historySteps: (file) => indexesTableOfEarlierMigration(file.parsed),
  check(ctx) {
    const { file, fileContext, catalogBefore } = ctx;
    for (const stmt of file.statements) {
      const index = stmtOf(stmt, 'IndexStmt');
      // ON ONLY (no inh) builds nothing: the partitions' indexes are built and attached one by one.
      if (!index || !index.relation?.inh) continue;
      const parent = partitionedTableAt(file, catalogBefore, stmt, index.relation)?.before;
      if (!parent || !catalogBefore) continue;
      const partitions = partitionsIn(catalogBefore, parent);
      if (alreadyOnPartitions(file, stmt, index, partitions)) continue;
      const table = qualifiedName(index.relation);
      const nested = partitions.filter((p) => p.kind === 'partitioned');
      const runsAlone = !insertedRunsInSameTransaction(file, fileContext, stmt) && fileContext.layout !== 'flyway';
      const fix = index.idxname && partitions.length > 0 && nested.length === 0 && runsAlone
        ? onlyThenAttach(ctx, stmt, index as IndexStmt & { idxname: string }, partitions, catalogBefore)
        : undefined;
      const known = partitions.length ? `its ${partitions.length} partition${partitions.length === 1 ? '' : 's'} pgvet knows of` : 'every partition (pgvet knows of none: made outside the migrations?)';
      const why = index.concurrent
        ? `PostgreSQL refuses CREATE INDEX CONCURRENTLY on the partitioned table "${table}" ("cannot create index on partitioned table concurrently"), so this migration will fail. `
        : `CREATE INDEX on the partitioned table "${table}" builds the index on ${known} in one go, holding a SHARE lock on each (no INSERT, UPDATE or DELETE on any of them) until the last is built, and it cannot be CONCURRENTLY. `;
      const how = 'Create it ON ONLY the parent, build each partition\'s index with CREATE INDEX CONCURRENTLY, and ALTER INDEX … ATTACH PARTITION each one (the parent index becomes valid when the last is attached).';
      const notes: string[] = [];
      if (!fix && !runsAlone) notes.push(`CREATE INDEX CONCURRENTLY cannot run in a transaction${fileContext.transactional ? ` (${fileContext.transactionReason})` : ''}: do it in migrations that run outside one`);
      if (nested.length) notes.push(`partitions ${nested.map((p) => `"${p.name}"`).join(', ')} are partitioned too: index them the same way`);
      ctx.report({
        statement: stmt,
        start: stmt.start,
        end: stmt.end,
        message: why + how + (notes.length ? ` Note: ${notes.join('; ')}.` : ''),
        fix,
      });
    }
  },
});
