import type { Constraint } from '@pgsql/types';
import { matchingParen } from '../catalog/replay/source-text';
import { alterTableCommands, isExistingTable, qualifiedName, quoteIdent, stmtOf } from '../parse/sql/ast';
import { nodeOf, nodesOf, stringsOf } from '../parse/sql/nodes';
import type { SqlFile, SqlStatement } from '../parse/sql/parser';
import { defineRule } from '../rule-kit/define-rule';
import { partitionedTableAt, type PartitionedTable } from '../rule-kit/partitioned-tables';
import type { Fix, RuleContext } from '../rule-kit/types';

/** A PRIMARY KEY, UNIQUE constraint or unique index on a partitioned table, as the statement writes it. */
interface UniqueKey {
  kind: string;
  columns: (string | undefined)[];
  start: number;
  end: number;
  /** Offsets of the `(` and `)` around the column list, where the missing key columns can be appended; undefined when there is none to edit. */
  listStart?: number;
  listEnd?: number;
}

/** The range of a constraint from its keyword to the end of its column list (or of the keyword, inline). */
function constraintKey(file: SqlFile, stmt: SqlStatement, c: Constraint, inlineColumn?: string): UniqueKey | undefined {
  if (c.contype !== 'CONSTR_PRIMARY' && c.contype !== 'CONSTR_UNIQUE') return undefined;
  if (c.indexname) return undefined; // USING INDEX: the index was checked when it was created
  const kind = c.contype === 'CONSTR_PRIMARY' ? 'PRIMARY KEY' : 'UNIQUE';
  const start = stmt.toFileOffset(c.location ?? 0);
  if (inlineColumn !== undefined) {
    const word = /^(primary\s+key|unique)/i.exec(file.text.slice(start, stmt.end));
    return { kind, columns: [inlineColumn], start, end: start + (word?.[0].length ?? 0) };
  }
  const open = file.text.indexOf('(', start);
  if (open < 0 || open >= stmt.end) return undefined;
  const close = matchingParen(file.text, open, stmt.end);
  return { kind, columns: stringsOf(c.keys), start, end: close + 1, listStart: open, listEnd: close };
}

/** The PRIMARY KEY and UNIQUE constraints a statement adds, with the table they go on. */
function uniqueKeysOf(file: SqlFile, stmt: SqlStatement) {
  const out: { table: Parameters<typeof partitionedTableAt>[3]; key: UniqueKey }[] = [];
  const create = stmtOf(stmt, 'CreateStmt');
  if (create) {
    for (const c of nodesOf(create.tableElts, 'Constraint')) {
      const key = constraintKey(file, stmt, c);
      if (key) out.push({ table: create.relation, key });
    }
    for (const def of nodesOf(create.tableElts, 'ColumnDef')) {
      for (const c of nodesOf(def.constraints, 'Constraint')) {
        const key = constraintKey(file, stmt, c, def.colname);
        if (key) out.push({ table: create.relation, key });
      }
    }
  }
  const alter = stmtOf(stmt, 'AlterTableStmt');
  if (alter?.objtype === 'OBJECT_TABLE') {
    for (const { cmd, start, end } of alterTableCommands(file, stmt, ['AT_AddConstraint', 'AT_AddColumn'])) {
      const def = cmd.subtype === 'AT_AddColumn' ? nodeOf(cmd.def, 'ColumnDef') : undefined;
      const constraints = def ? nodesOf(def.constraints, 'Constraint') : [nodeOf(cmd.def, 'Constraint')].filter((c): c is Constraint => !!c);
      for (const c of constraints) {
        const key = constraintKey(file, stmt, c, def?.colname);
        if (key) out.push({ table: alter.relation, key: def ? { ...key, start, end } : key });
      }
    }
  }
  const index = stmtOf(stmt, 'IndexStmt');
  if (index?.unique && !index.concurrent) {
    const from = stmt.toFileOffset(index.relation?.location ?? 0);
    const open = file.text.indexOf('(', from);
    const close = open >= 0 && open < stmt.end ? matchingParen(file.text, open, stmt.end) : undefined;
    const elems = nodesOf(index.indexParams, 'IndexElem');
    const plain = elems.every((e) => e.name !== undefined && !e.opclass?.length && !e.collation?.length);
    out.push({ table: index.relation, key: { kind: 'unique index', columns: elems.map((e) => e.name), start: stmt.start, end: stmt.end, listStart: open, listEnd: plain ? close : undefined } });
  }
  return out;
}

function report(ctx: RuleContext<unknown>, stmt: SqlStatement, tableName: string, table: PartitionedTable, key: UniqueKey): void {
  const expressions = table.keyColumns.some((c) => c === undefined);
  const missing = table.keyColumns.filter((c): c is string => c !== undefined && !key.columns.includes(c));
  if (!expressions && missing.length === 0) return;
  const what = `${key.kind}${key.columns.length ? ` (${key.columns.map((c) => c ?? 'expression').join(', ')})` : ''} on partitioned table "${tableName}"`;
  if (expressions) {
    ctx.report({
      statement: stmt, start: key.start, end: key.end,
      message: `${what}: its partition key includes an expression, and PostgreSQL rejects every UNIQUE constraint and PRIMARY KEY on such a table ("unsupported UNIQUE constraint with partition key definition"), so this migration will fail. Enforce uniqueness per partition, or partition by plain columns.`,
    });
    return;
  }
  const list = missing.map((c) => `"${c}"`).join(', ');
  let fix: Fix | undefined;
  if (key.listEnd !== undefined) {
    // Written the way the list writes its names: a list of quoted names (Prisma's) gets quoted ones.
    const quoted = ctx.file.text.slice(key.listStart ?? key.start, key.listEnd).includes('"');
    const name = (c: string) => (quoted ? `"${c.replace(/"/g, '""')}"` : quoteIdent(c));
    fix = { title: `Add ${list} to the ${key.kind}`, edits: [{ start: key.listEnd, end: key.listEnd, newText: missing.map((c) => `, ${name(c)}`).join('') }] };
  }
  ctx.report({
    statement: stmt, start: key.start, end: key.end,
    message: `${what} lacks ${missing.length === 1 ? 'column' : 'columns'} ${list} of the partition key: PostgreSQL rejects it ("unique constraint on partitioned table must include all partitioning columns"), so this migration will fail. `
      + `Each partition enforces uniqueness only within itself, so the key must contain the partition key; adding ${list} makes it unique per ${missing.length === 1 ? 'value' : 'combination'} of ${list} too.`,
    fix,
  });
}

const isKey = (c: Constraint | undefined) => c?.contype === 'CONSTR_PRIMARY' || c?.contype === 'CONSTR_UNIQUE';

/** A unique index or an added PRIMARY KEY / UNIQUE (cheap, from the AST): the statements that may put a key on a partitioned table. */
function addsKey(stmt: SqlStatement): boolean {
  if (stmtOf(stmt, 'IndexStmt')?.unique) return true;
  return nodesOf(stmtOf(stmt, 'AlterTableStmt')?.cmds, 'AlterTableCmd').some((c) => isKey(nodeOf(c.def, 'Constraint'))
    || nodesOf(nodeOf(c.def, 'ColumnDef')?.constraints, 'Constraint').some(isKey));
}

/** The files that need the schema before them: a key added to a table of an earlier migration (most index the file's own tables). */
function addsKeyToEarlierTable(file: SqlFile): boolean {
  return file.statements.some((s) => addsKey(s) && isExistingTable(file, s, stmtOf(s, 'IndexStmt')?.relation ?? stmtOf(s, 'AlterTableStmt')?.relation));
}

export const partitionKeyNotInUnique = defineRule({
  id: 'partition-key-not-in-unique',
  meta: {
    description: 'A PRIMARY KEY, UNIQUE constraint or unique index on a partitioned table that lacks a partition key column: PostgreSQL rejects it and the migration fails.',
    category: 'safety',
    defaultSeverity: 'error',
    fix: 'suggestion',
    // A down that cannot run leaves a rollback half done.
    inDownMigrations: true,
  },
  // Whether a table from an earlier migration is partitioned, and by what, comes from the schema before the file.
  historySteps: (file) => addsKeyToEarlierTable(file.parsed),
  check(ctx) {
    const { file, catalogBefore } = ctx;
    for (const stmt of file.statements) {
      const create = stmtOf(stmt, 'CreateStmt');
      // Cheap tests first: most files add keys to plain tables, and locating keys in the text scans tokens.
      if (create ? !create.partspec : !addsKey(stmt)) continue;
      const keys = uniqueKeysOf(file, stmt);
      for (const { table, key } of keys) {
        const partitioned = create
          ? (create.partspec ? { keyColumns: nodesOf(create.partspec.partParams, 'PartitionElem').map((e) => e.name) } : undefined)
          : partitionedTableAt(file, catalogBefore, stmt, table);
        if (partitioned) report(ctx, stmt, qualifiedName(table), partitioned, key);
      }
    }
  },
});
