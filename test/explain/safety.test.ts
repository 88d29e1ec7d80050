import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { classifyStatement, initSafety } from '../../core/src/explain/safety';

type Expect = 'select' | 'modifying' | 'refused';

/** [sql, expected kind, optional: pattern the reason/reasons must match, expected paramCount] */
const TABLE: [string, Expect, RegExp?, number?][] = [
  ['SELECT 1', 'select'],
  ['select * from t where a = $1 and b = $2', 'select', undefined, 2],
  ['select $3::int, $1', 'select', undefined, 3],
  ["select '$1', \"$2\" from t", 'select', undefined, 0],
  ['VALUES (1), (2)', 'select'],
  ['TABLE t', 'select'],
  ['with x as (select 1) select * from x', 'select'],
  ['select * from a join b using (id) where a.x in (select y from c)', 'select'],
  ['select 1;', 'select'],
  ['  select 1 ;  -- trailing comment', 'select'],
  ['select pg_sleep(1)', 'select'],
  ['select pg_advisory_xact_lock(1)', 'select'],
  ['insert into t values ($1)', 'modifying', /INSERT/, 1],
  ['update t set a = 1 where id = $1', 'modifying', /UPDATE/, 1],
  ['delete from t', 'modifying', /DELETE/],
  ['merge into t using s on t.id = s.id when matched then delete', 'modifying', /MERGE/],
  ['with d as (delete from t returning *) select count(*) from d', 'modifying', /DELETE/],
  ['with u as (update t set a = 2 returning id) select * from u', 'modifying', /UPDATE/],
  ['select * from t for update', 'modifying', /FOR UPDATE/],
  ['select * from t for share skip locked', 'modifying', /FOR UPDATE\/SHARE/],
  ["select nextval('s')", 'modifying', /nextval/],
  ["select setval('s', 10)", 'modifying', /setval/],
  // Not modifying by itself: the server-side check (function-audit.ts) asks about dblink before it runs.
  ["select * from dblink('x', 'delete from t') as r(a int)", 'select'],
  ['select pg_file_unlink(\'canary.txt\')', 'refused', /data directory/],
  ['select 0' + ' + 1'.repeat(1999), 'select'],
  [Array.from({ length: 5000 }, (_, i) => `select ${i}`).join(' union all '), 'select'],
  ['select ' + '(select '.repeat(3000) + '1' + ')'.repeat(3000), 'refused', /too deeply nested/],
  ['insert into t select nextval(\'s\')', 'modifying', /INSERT/],
  ['VACUUM t', 'refused', /VACUUM/],
  ['vacuum analyze t', 'refused', /VACUUM/],
  ['ANALYZE t', 'refused', /VACUUM\/ANALYZE/],
  ['CREATE INDEX CONCURRENTLY i ON t (a)', 'refused', /CONCURRENTLY/],
  ['CREATE INDEX i ON t (a)', 'refused', /INDEX.*not explainable/],
  ['create table x (a int)', 'refused', /CREATE.*DDL/],
  ['alter table t add column b int', 'refused', /ALTER TABLE/],
  ['drop table t', 'refused', /DROP/],
  ['truncate t', 'refused', /TRUNCATE/],
  ['grant select on t to bob', 'refused', /GRANT/],
  ['create table x as select 1', 'refused', /CREATE TABLE AS/],
  ['select 1 into x', 'refused', /SELECT INTO/],
  ['BEGIN', 'refused', /transaction control/i],
  ['commit', 'refused', /transaction control/i],
  ['rollback', 'refused', /transaction control/i],
  ['savepoint s', 'refused', /transaction control/i],
  ['release savepoint s', 'refused', /transaction control/i],
  ["prepare transaction 'x'", 'refused', /transaction control/i],
  ['COPY t TO STDOUT', 'refused', /COPY/],
  ["COPY t FROM '/etc/passwd'", 'refused', /COPY/],
  ["COPY t TO PROGRAM 'rm -rf /'", 'refused', /PROGRAM runs a shell command/],
  ["copy (select 1) to program 'curl x'", 'refused', /PROGRAM/],
  ['SET work_mem = \'1GB\'', 'refused', /SET\/RESET/],
  ['set local statement_timeout = 0', 'refused', /SET\/RESET/],
  ['RESET ALL', 'refused', /SET\/RESET/],
  ['show work_mem', 'refused', /SHOW/],
  ['CALL p()', 'refused', /CALL/],
  ["DO $$ begin delete from t; end $$", 'refused', /DO blocks/],
  ['LOCK TABLE t', 'refused', /LOCK/],
  ['LISTEN ch', 'refused', /LISTEN/],
  ['NOTIFY ch', 'refused', /NOTIFY/],
  ['UNLISTEN *', 'refused', /UNLISTEN/],
  ['execute p(1)', 'refused', /EXECUTE/],
  ['declare c cursor for select 1', 'refused', /DECLARE/],
  ['checkpoint', 'refused', /CHECKPOINT/],
  ['discard all', 'refused', /DISCARD/],
  ['reindex table t', 'refused', /REINDEX/],
  ['cluster t', 'refused', /CLUSTER/],
  ['refresh materialized view v', 'refused', /REFRESH/],
  ['select 1; select 2', 'refused', /single statement.*2/],
  ['delete from t; select 1', 'refused', /single statement/],
  ['', 'refused', /no statement/],
  ['-- only a comment', 'refused', /no statement/],
  ['selec 1', 'refused', /does not parse/],
  ['select from from t', 'refused', /does not parse/],
  ['select pg_advisory_lock(1)', 'refused', /advisory lock/],
  ['select pg_try_advisory_lock(1)', 'refused', /advisory lock/],
  ['select pg_terminate_backend(123)', 'refused', /terminates/],
  ['select pg_reload_conf()', 'refused', /configuration/],
  ["select lo_export(1, '/tmp/x')", 'refused', /file/],
  ['with x as (select pg_cancel_backend(1)) select * from x', 'refused', /cancels/],
  ['EXPLAIN SELECT 1', 'select'],
  ['explain analyze verbose select * from t where a = $1', 'select', undefined, 1],
  ['EXPLAIN (ANALYZE, COSTS OFF) DELETE FROM t', 'modifying', /DELETE/],
  ['explain analyze vacuum t', 'refused'],
  ['explain (format json) create table x as select 1', 'refused', /CREATE TABLE AS/],
];

describe('classifyStatement', () => {
  before(() => initSafety());

  for (const [sql, kind, pattern, params] of TABLE) {
    test(`${kind}: ${sql || '(empty)'}`, () => {
      const c = classifyStatement(sql);
      assert.equal(c.kind, kind, JSON.stringify(c));
      if (pattern) {
        const text = c.kind === 'refused' ? c.reason : c.kind === 'modifying' ? c.reasons.join('; ') : '';
        assert.match(text, pattern);
      }
      if (params !== undefined && c.kind !== 'refused') assert.equal(c.paramCount, params);
    });
  }

  test('the statement is cut out without the semicolon, with its offset', () => {
    const sql = '\n  select 1 ;  ';
    const c = classifyStatement(sql);
    assert.ok(c.kind === 'select');
    assert.equal(c.statement, 'select 1');
    assert.equal(sql.slice(c.statementOffset, c.statementOffset + c.statement.length), 'select 1');
  });

  test('an existing EXPLAIN is stripped and the offset points at the inner statement', () => {
    const sql = "EXPLAIN (ANALYZE, FORMAT TEXT) /* é */ SELECT 'ü' FROM t";
    const c = classifyStatement(sql);
    assert.ok(c.kind === 'select' && c.strippedExplain);
    assert.equal(c.statement, "SELECT 'ü' FROM t");
    assert.equal(sql.slice(c.statementOffset), "SELECT 'ü' FROM t");
  });

  test('a parse error carries its offset (UTF-16, past non-ASCII text)', () => {
    const sql = "select 'ééé' frm t";
    const c = classifyStatement(sql);
    assert.ok(c.kind === 'refused');
    assert.equal(sql.slice(c.offset), 't');
  });

  test('side effects that survive ROLLBACK are named for the confirmation', () => {
    const c = classifyStatement("insert into t (id) values (nextval('s'))");
    assert.ok(c.kind === 'modifying');
    assert.match(c.sideEffects.join(), /sequence values are not rolled back/);
  });
});
