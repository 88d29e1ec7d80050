import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { loadModule, parseSync } from 'libpg-query';
import { statementKindName } from '../../core/src/parse/sql/statement-kinds';

function nameOf(sql: string): string {
  const stmt = (parseSync(sql).stmts?.[0]?.stmt ?? {}) as unknown as Record<string, Record<string, unknown>>;
  const [kind] = Object.keys(stmt);
  return statementKindName(kind, stmt[kind]);
}

test('statement kinds are named by their SQL command, not by splitting the node name ("DROPDB")', async () => {
  await loadModule();
  const cases: [string, string][] = [
    ['DROP DATABASE shop', 'DROP DATABASE'],
    ['CREATE DATABASE shop', 'CREATE DATABASE'],
    ['CREATE TABLE t (a int)', 'CREATE TABLE'],
    ['CREATE UNIQUE INDEX i ON t (a)', 'CREATE UNIQUE INDEX'],
    ['ALTER TABLE t ADD COLUMN b int', 'ALTER TABLE'],
    ['ALTER INDEX i SET TABLESPACE pg_default', 'ALTER INDEX'],
    ['ALTER INDEX i RENAME TO j', 'ALTER INDEX … RENAME'],
    ['ALTER MATERIALIZED VIEW v SET SCHEMA s', 'ALTER MATERIALIZED VIEW … SET SCHEMA'],
    ['ALTER FUNCTION f() OWNER TO bob', 'ALTER FUNCTION … OWNER TO'],
    ['DROP MATERIALIZED VIEW v', 'DROP MATERIALIZED VIEW'],
    ['DROP TEXT SEARCH CONFIGURATION c', 'DROP TEXT SEARCH CONFIGURATION'],
    ['DROP FOREIGN TABLE f', 'DROP FOREIGN TABLE'],
    ['CREATE AGGREGATE a (int) (sfunc = int4pl, stype = int)', 'CREATE AGGREGATE'],
    ['CREATE MATERIALIZED VIEW v AS SELECT 1', 'CREATE MATERIALIZED VIEW'],
    ['CREATE TABLE t2 AS SELECT 1', 'CREATE TABLE AS'],
    ['CREATE PROCEDURE p() LANGUAGE sql AS $$ SELECT 1 $$', 'CREATE PROCEDURE'],
    ['GRANT SELECT ON t TO bob', 'GRANT'],
    ['REVOKE SELECT ON t FROM bob', 'REVOKE'],
    ['REVOKE admin FROM bob', 'REVOKE'],
    ['VACUUM t', 'VACUUM'],
    ['ANALYZE t', 'ANALYZE'],
    ['SET search_path = s', 'SET'],
    ['RESET ALL', 'RESET'],
    ['BEGIN', 'BEGIN'],
    ['ROLLBACK PREPARED \'x\'', 'ROLLBACK PREPARED'],
    ['CREATE TYPE mood AS ENUM (\'ok\')', 'CREATE TYPE'],
    ['REFRESH MATERIALIZED VIEW v', 'REFRESH MATERIALIZED VIEW'],
    ['LOCK TABLE t', 'LOCK TABLE'],
  ];
  assert.deepEqual(cases.map(([sql]) => [sql, nameOf(sql)]), cases);
});

test('every statement node of the parse tree has a name in SQL words', () => {
  const types = readFileSync(require.resolve('@pgsql/types/types.d.ts'), 'utf8');
  const kinds = [...types.matchAll(/^export interface (\w+Stmt) \{/gm)].map((m) => m[1]).filter((k) => k !== 'RawStmt');
  assert.ok(kinds.length > 100, `${kinds.length} statement kinds`);
  const unnamed = kinds.filter((k) => /Stmt|[a-z][A-Z]/.test(statementKindName(k)));
  assert.deepEqual(unnamed, []);
});

test('EXPLAIN refuses DDL naming the command: "DROP DATABASE is DDL …", not "DROPDB"', async () => {
  const { classifyStatement, initSafety } = await import('../../core/src/explain/safety');
  await initSafety();
  const reasons = ['DROP DATABASE shop', 'CREATE TABLE t (a int)', 'ALTER TABLE t ADD b int'].map((sql) => {
    const c = classifyStatement(sql);
    return c.kind === 'refused' ? c.reason.split(' is ')[0] : c.kind;
  });
  assert.deepEqual(reasons, ['DROP DATABASE', 'CREATE TABLE', 'ALTER TABLE']);
});
