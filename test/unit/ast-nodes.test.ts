import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stmtOf, stmtType } from '../../core/src/parse/sql/ast';
import { nodeOf, nodesOf, pathOf, stringsOf, unwrap } from '../../core/src/parse/sql/nodes';
import { initParser, parseSqlFile } from '../../core/src/parse/sql/parser';

async function firstStatement(sql: string) {
  await initParser();
  return parseSqlFile(sql).statements[0];
}

test('stmtOf returns the node of the asked kind, typed for it, and undefined for any other kind', async () => {
  const stmt = await firstStatement('ALTER TABLE public.users ADD COLUMN email text NOT NULL, DROP COLUMN legacy;');
  assert.equal(stmtType(stmt), 'AlterTableStmt');
  const alter = stmtOf(stmt, 'AlterTableStmt');
  assert.equal(alter?.relation?.relname, 'users');
  assert.equal(alter?.relation?.schemaname, 'public');
  assert.equal(stmtOf(stmt, 'CreateStmt'), undefined);
  // @ts-expect-error a field AlterTableStmt does not have: the AST is typed, not Record<string, any>.
  assert.equal(alter?.relname, undefined);
});

test('nodesOf keeps the nodes of one kind from a mixed list; nodeOf unwraps one', async () => {
  const stmt = await firstStatement('CREATE TABLE t (id bigint PRIMARY KEY, name text, UNIQUE (name), LIKE other);');
  const create = stmtOf(stmt, 'CreateStmt');
  assert.deepEqual(nodesOf(create?.tableElts, 'ColumnDef').map((c) => c.colname), ['id', 'name']);
  assert.deepEqual(nodesOf(create?.tableElts, 'Constraint').map((c) => c.contype), ['CONSTR_UNIQUE']);
  const id = nodeOf(create?.tableElts?.[0], 'ColumnDef');
  assert.deepEqual(stringsOf(id?.typeName?.names), ['pg_catalog', 'int8']);
  assert.equal(nodeOf(create?.tableElts?.[0], 'Constraint'), undefined);
  assert.equal(nodeOf('not a node', 'ColumnDef'), undefined);
});

test('unwrap gives the kind and inner object of a node, and nothing for what is not a node', async () => {
  const stmt = await firstStatement("SELECT 'x'::text;");
  const value = nodeOf(stmtOf(stmt, 'SelectStmt')?.targetList?.[0], 'ResTarget')?.val;
  const unwrapped = unwrap(value);
  assert.equal(unwrapped?.kind, 'TypeCast');
  if (unwrapped?.kind === 'TypeCast') assert.equal(nodeOf(unwrapped.node.arg, 'A_Const')?.sval?.sval, 'x');
  assert.equal(unwrap(undefined), undefined);
  assert.equal(unwrap(42), undefined);
});

test('pathOf reads a property path of a value of unknown shape', () => {
  const tree: unknown = { PLpgSQL_stmt_execsql: { sqlstmt: { PLpgSQL_expr: { query: 'SELECT 1' } } } };
  assert.equal(pathOf(tree, 'PLpgSQL_stmt_execsql', 'sqlstmt', 'PLpgSQL_expr', 'query'), 'SELECT 1');
  assert.equal(pathOf(tree, 'PLpgSQL_stmt_execsql', 'missing', 'query'), undefined);
  assert.equal(pathOf(null, 'a'), undefined);
});
