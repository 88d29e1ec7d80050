import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { splitStatements } from '../../core/src/parse/sql/lexer';
import { initParser, parseSqlFile } from '../../core/src/parse/sql/parser';

const texts = (sql: string) => splitStatements(sql).statements.map((s) => sql.slice(s.start, s.end));

before(() => initParser());

test('statements end at top-level semicolons, not inside quotes, comments or dollar quotes', () => {
  const sql = `SELECT 'a;b', "c;d", E'e\\';f';\n/* x; /* nested; */ y; */ SELECT $$ g; $$, $tag$ h; $tag$;\nSELECT 1 -- trailing; comment\n;`;
  assert.deepEqual(texts(sql), [`SELECT 'a;b', "c;d", E'e\\';f';`, 'SELECT $$ g; $$, $tag$ h; $tag$;', 'SELECT 1 -- trailing; comment\n;']);
});

test('$1 parameters are not dollar quotes; a$b identifiers neither', () => {
  assert.deepEqual(texts('SELECT $1, a$b FROM t WHERE x = $2; SELECT 2;'), ['SELECT $1, a$b FROM t WHERE x = $2;', 'SELECT 2;']);
});

test('psql meta-commands are skipped and recorded', () => {
  const r = splitStatements('\\set ON_ERROR_STOP 1\n\\c db\nSELECT 1;\n\\ir other.sql\n');
  assert.deepEqual(r.metaCommands.map((m) => m.name), ['set', 'c', 'ir']);
  assert.equal(r.statements.length, 1);
});

test('an unterminated last statement ends at its last token, not at trailing comments', () => {
  const sql = 'SELECT 1;\nSELECT 2\n-- the end\n';
  assert.deepEqual(texts(sql), ['SELECT 1;', 'SELECT 2']);
});

test('goose and drizzle markers end statements that lack a semicolon', () => {
  assert.deepEqual(texts('-- +goose StatementBegin\nSELECT 1\n-- +goose StatementEnd\nSELECT 2;'), ['SELECT 1', 'SELECT 2;']);
  assert.deepEqual(texts('CREATE TABLE a (id int)\n--> statement-breakpoint\nCREATE TABLE b (id int)'), ['CREATE TABLE a (id int)', 'CREATE TABLE b (id int)']);
});

test('AST locations after non-ASCII text convert to UTF-16 offsets', () => {
  const sql = "SELECT '😀é';\nCREATE INDEX i ON tbl (a);";
  const f = parseSqlFile(sql);
  const idx = (f.statements[1].ast as any).IndexStmt;
  assert.equal(sql.slice(f.statements[1].toFileOffset(idx.relation.location)).slice(0, 3), 'tbl');
});

test('a 5 MB file of statements splits in one pass', () => {
  const sql = 'INSERT INTO t VALUES (1, \'x\');\n'.repeat(170_000);
  assert.equal(splitStatements(sql).statements.length, 170_000);
});
