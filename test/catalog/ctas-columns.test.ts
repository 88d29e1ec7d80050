import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { emptyCatalog, UNKNOWN_TYPE, type Catalog, type Column } from '../../core/src/catalog/model';
import { applyStatement } from '../../core/src/catalog/replay';
import { initParser, parseSqlFile } from '../../core/src/parse/sql/parser';
import { startPostgres, type PostgresServer } from '../support/postgres';

/**
 * Columns of CREATE TABLE … AS, SELECT … INTO and materialized views: pgvet's derivation against what PostgreSQL
 * creates for the same statements. `unknown` lists the columns whose type pgvet is expected not to derive; every
 * other column must match PostgreSQL's name, format_type and nullability exactly.
 */
interface Case {
  name: string;
  sql: string;
  relation: string;
  unknown?: string[];
}

const SOURCE = `CREATE TYPE "Status" AS ENUM ('active', 'gone');
  CREATE TABLE u (id int PRIMARY KEY, name varchar(20) NOT NULL DEFAULT 'x', at timestamptz DEFAULT now(), status "Status", score numeric(10,2), big bigint, small smallint, data jsonb, j json);
  CREATE TABLE v (id int, u_id int, note text);
  CREATE FUNCTION my_fn(int) RETURNS int LANGUAGE sql AS 'SELECT $1';`;

const CASES: Case[] = [
  // One-line statements from the corpus: PostgREST__postgrest/test/spec/fixtures/schema.sql and test/io/fixtures/schema.sql,
  // pganalyze__libpg_query/test/sql/{plpgsql_regress/plpgsql_trap.sql, plpgsql_regress/plpgsql_array.sql,
  // postgres_regress/aggregates.sql}; hatchet's 20260514175834_v1_0_109.sql and crates.io's recent_crate_downloads
  // with their tables reduced to what the statement reads.
  { name: 'literals with aliases', sql: `create table empty_string as select 1 as id, ''::text as string;`, relation: 'empty_string' },
  { name: 'cast over generate_series', sql: `create table some_numbers as select x::int as val from generate_series(1,10) x;`, relation: 'some_numbers' },
  { name: 'no columns', sql: `CREATE TABLE projects AS SELECT FROM generate_series(1,5);`, relation: 'projects' },
  { name: 'arithmetic', sql: `create table match_source as select x as id, x*10 as data, x/10 as ten from generate_series(1,100) x;`, relation: 'match_source' },
  { name: 'array literal', sql: `create temp table onecol as select array[1,2] as f1;`, relation: 'onecol' },
  { name: 'aggregates', sql: `create table agg_data_2k as select g from generate_series(0, 1999) g;
      create table agg_group_3 as select (g/2)::numeric as c1, sum(7::int4) as c2, count(*) as c3, array_agg(g::numeric) as c4, sum(g) as c5 from agg_data_2k group by g/2;`, relation: 'agg_group_3' },
  { name: 'columns of a table with a WHERE (hatchet)', sql: `CREATE TEMP TABLE tmp_nulls AS SELECT id, u_id, note FROM v WHERE note IS NULL;`, relation: 'tmp_nulls' },
  { name: 'materialized view with a column list (crates.io)', relation: 'recent', sql: `CREATE MATERIALIZED VIEW recent (crate_id, downloads) AS
      SELECT u_id, SUM(id) FROM v WHERE note > 'a' GROUP BY u_id;` },
  // Names and types PostgreSQL gives.
  { name: 'unnamed expressions', relation: 't', sql: `CREATE TABLE t AS SELECT 1, 'a' AS a, NULL AS nl, true AS b, 1.5 AS f, 10000000000 AS big, now(), CURRENT_TIMESTAMP(3), CURRENT_DATE, count(*) AS n, lower(name), 1::int AS i, 'x'::varchar(3), id + 1 AS id1 FROM u GROUP BY name, id;` },
  { name: 'explicit column list, WITH NO DATA', relation: 't', sql: `CREATE TABLE t (a, b) AS SELECT id, name, at FROM u WITH NO DATA;` },
  { name: 'SELECT INTO', relation: 't', sql: `SELECT id, status, score AS s INTO t FROM u;` },
  { name: 'star, qualified star and a join', relation: 't', sql: `CREATE TABLE t AS SELECT u.*, v.note, v.u_id FROM u JOIN v ON v.u_id = u.id;` },
  { name: 'star over a view', relation: 't', sql: `CREATE VIEW w AS SELECT id, name AS label FROM u; CREATE TABLE t AS SELECT * FROM w;` },
  { name: 'CASE, COALESCE, NULLIF, GREATEST', relation: 't', sql: `CREATE TABLE t AS SELECT CASE WHEN id > 1 THEN 'a' ELSE 'b' END AS c, coalesce(name, '') AS n, coalesce(big, 0) AS b, coalesce(small, 1) AS s, nullif(id, 0), greatest(score, 1.5) AS g FROM u;` },
  { name: 'subqueries', relation: 't', sql: `CREATE TABLE t AS SELECT (SELECT max(at) FROM u) AS latest, EXISTS (SELECT 1 FROM v WHERE v.u_id = u.id), (SELECT note FROM v LIMIT 1) FROM u;` },
  { name: 'WITH, UNION and VALUES', relation: 't', sql: `CREATE TABLE t AS WITH w (k) AS (SELECT id FROM u) SELECT k FROM w UNION ALL SELECT big FROM u; CREATE TABLE t2 AS VALUES (1, 'a'), (2, 'b');` },
  { name: 'a derived table with column aliases', relation: 't', sql: `CREATE TABLE t AS SELECT x.* FROM (SELECT id, name FROM u) AS x (a);` },
  { name: 'comparisons and boolean logic', relation: 't', sql: `CREATE TABLE t AS SELECT id = 1 AS eq, name LIKE 'a%' AS l, id IN (1, 2) AS i, at IS NULL AS n, NOT (id > 2) AS nt FROM u;` },
  { name: 'min and max keep (or widen) their argument type', relation: 't', sql: `CREATE TABLE t AS SELECT max(name) AS n, min(score) AS s, max(at) AS a, max(status) AS st, min(big) AS b, max(small) AS sm FROM u;` },
  // Functions the history creates: their declared result, and polymorphic ones (civitai's iif) from their arguments.
  { name: 'user functions, with a polymorphic result (civitai iif)', relation: 't', unknown: ['c', 'l'], sql: `
      CREATE FUNCTION iif(condition boolean, true_result anyelement, false_result anyelement) RETURNS anyelement LANGUAGE sql AS 'SELECT CASE WHEN $1 THEN $2 ELSE $3 END';
      CREATE FUNCTION label(int, sep text DEFAULT '-') RETURNS varchar(10) LANGUAGE sql AS 'SELECT $2';
      CREATE TABLE t AS SELECT my_fn(id), MAX(iif(id > 1, big, NULL)) AS a, iif(true, 1, 0) AS b, iif(true, name, 'x') AS c, label(id) AS l, public.my_fn(1) AS q FROM u GROUP BY id, name;` },
  { name: 'JSON operators (civitai leaderboardCosmetic)', relation: 't', sql: `CREATE TABLE t AS SELECT data ->> 'url'::text AS url, data -> 'a' AS a, j -> 'a' AS ja, data #>> '{a,b}' AS ab, data - 'k' AS minus, (SELECT u2.data ->> 'x' FROM u u2 LIMIT 1) AS sub FROM u;` },
  { name: 'bitwise operators (civitai TagsOnImageDetails)', relation: 't', sql: `CREATE TABLE t AS SELECT (id >> 12) & 15 AS src, id & 127 AS confidence, big | 1 AS b, small # small AS x, small << 2 AS s FROM u;` },
  { name: 'RETURNS TABLE with one column, and one OUT parameter', relation: 't', sql: `
      CREATE FUNCTION g() RETURNS TABLE (a int) LANGUAGE sql AS 'SELECT 1';
      CREATE FUNCTION h(x int, OUT y bigint) LANGUAGE sql AS 'SELECT 1::bigint';
      CREATE TABLE t AS SELECT g() AS s, h(1) AS o;` },
  // What the catalog cannot tell is marked unknown, never guessed.
  { name: 'an operator on timestamps and a function of an extension', relation: 't', unknown: ['d', 'h'], sql: `CREATE TABLE t AS SELECT at - interval '1 day' AS d, md5(name)::text AS m, pg_catalog.pg_size_pretty(1::bigint) AS h FROM u;` },
];

/** pgvet's columns of `relation` after replaying `SOURCE` then the case. */
function pgvetColumns(sql: string, relation: string): Column[] | undefined {
  const catalog: Catalog = emptyCatalog();
  // Statement by statement, not applyFile: a file's end drops its temporary tables.
  const file = parseSqlFile(`${SOURCE}\n${sql}`);
  for (const stmt of file.statements) applyStatement(catalog, 'm1.sql', file.text, stmt);
  for (const schema of ['public', 'pg_temp']) {
    const s = catalog.schemas.get(schema);
    const t = s?.tables.get(relation);
    if (t) return t.columnsUnknown ? undefined : t.columns;
    const v = s?.views.get(relation);
    if (v) return v.columns;
  }
  return undefined;
}

let server: PostgresServer;
let client: Client;

before(async () => {
  await initParser();
  server = await startPostgres();
  client = new Client({ connectionString: server.url() });
  await client.connect();
});
after(async () => {
  await client?.end();
  server?.stop();
});

describe('columns of CREATE TABLE … AS agree with PostgreSQL', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      await client.query('BEGIN');
      try {
        await client.query(`${SOURCE}\n${c.sql}`);
        const { rows } = await client.query(`SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS "notNull"
          FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`, [c.relation]);
        const ours = pgvetColumns(c.sql, c.relation);
        assert.ok(ours, `pgvet has no columns for ${c.relation}`);
        const unknown = new Set(c.unknown ?? []);
        assert.deepEqual(ours.filter((col) => col.typeUnknown).map((col) => col.name), rows.filter((r) => unknown.has(r.name)).map((r) => r.name), 'columns of unknown type');
        for (const col of ours) if (col.typeUnknown) assert.equal(col.type, UNKNOWN_TYPE);
        const expected = rows.map((r) => ({ name: r.name, type: unknown.has(r.name) ? UNKNOWN_TYPE : r.type, notNull: r.notNull }));
        assert.deepEqual(ours.map((col) => ({ name: col.name, type: col.type, notNull: col.notNull })), expected);
        assert.ok(ours.every((col) => col.default === undefined), 'CTAS columns have no defaults');
      } finally {
        await client.query('ROLLBACK');
      }
    });
  }
});

describe('functions the history creates, for column types', () => {
  it('follows CREATE OR REPLACE, overloads by argument count and DROP FUNCTION', () => {
    const columns = (sql: string) => pgvetColumns(sql, 't')!.map((c) => `${c.name} ${c.type}`);
    assert.deepEqual(columns(`CREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS 'SELECT 1';
      CREATE OR REPLACE FUNCTION f(int) RETURNS bigint LANGUAGE sql AS 'SELECT 1';
      CREATE FUNCTION f(int, int) RETURNS text LANGUAGE sql AS 'SELECT 1';
      CREATE TABLE t AS SELECT f(1) AS one, f(1, 2) AS two;`), ['one bigint', 'two text']);
    assert.deepEqual(columns(`CREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS 'SELECT 1';
      DROP FUNCTION f(integer);
      CREATE TABLE t AS SELECT f(1) AS one;`), [`one ${UNKNOWN_TYPE}`]);
    assert.deepEqual(columns(`CREATE FUNCTION f(OUT a int, OUT b text) LANGUAGE sql AS 'SELECT 1, ''x''';
      CREATE FUNCTION g() RETURNS TABLE (a int) LANGUAGE sql AS 'SELECT 1';
      CREATE TABLE t AS SELECT f() AS r, g() AS s;`), [`r ${UNKNOWN_TYPE}`, 's integer']);
  });
});
