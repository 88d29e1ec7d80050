import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { applyFile } from '../../core/src/catalog/replay';
import { emptyCatalog, type Catalog, type Table } from '../../core/src/catalog/model';
import { initParser, parseSqlFile } from '../../core/src/parse/sql/parser';

/** Replays each SQL string as one migration file, in order. */
function replay(...files: string[]): Catalog {
  const catalog = emptyCatalog();
  files.forEach((sql, k) => applyFile(catalog, `m${k + 1}.sql`, parseSqlFile(sql)));
  return catalog;
}

function table(catalog: Catalog, name: string, schema = 'public'): Table {
  const t = catalog.schemas.get(schema)?.tables.get(name);
  assert.ok(t, `table ${schema}.${name} should exist`);
  return t;
}

before(() => initParser());

describe('catalog replay', () => {
  it('CREATE SEQUENCE … OWNED BY ties the sequence to the column, and it goes with the table', () => {
    const c = replay('CREATE TABLE "Post" (id bigint NOT NULL); CREATE SEQUENCE "Post_id_seq" AS bigint OWNED BY "Post".id; CREATE SEQUENCE free OWNED BY NONE;');
    assert.equal(c.schemas.get('public')!.sequences.get('Post_id_seq')?.ownedBy, 'Post.id');
    assert.equal(c.schemas.get('public')!.sequences.get('free')?.ownedBy, undefined);
    const dropped = replay('CREATE TABLE t (id int); CREATE SEQUENCE s OWNED BY public.t.id;', 'DROP TABLE t;');
    assert.equal(dropped.schemas.get('public')!.sequences.has('s'), false);
  });

  it('prints types the way format_type does', () => {
    const c = replay(`CREATE TYPE "Role" AS ENUM ('a'); CREATE SCHEMA s; CREATE TYPE s.mood AS ENUM ('x');
      CREATE TABLE t (a int, b varchar(255), c timestamp(3), d timestamptz, e text[], f "Role", g s.mood[], h numeric(10,2), i char, j double precision, k bigserial, l json, m "char");`);
    assert.deepEqual(table(c, 't').columns.map((col) => col.type), [
      'integer', 'character varying(255)', 'timestamp(3) without time zone', 'timestamp with time zone', 'text[]', '"Role"', 's.mood[]',
      'numeric(10,2)', 'character(1)', 'double precision', 'bigint', 'json', '"char"',
    ]);
    assert.equal(table(c, 't').columns[10].notNull, true);
    assert.ok(c.schemas.get('public')!.sequences.has('t_k_seq'));
  });

  it('names unnamed constraints and indexes as PostgreSQL does', () => {
    const c = replay(`CREATE TABLE u (id int PRIMARY KEY, email text UNIQUE, a int, b int, CHECK (a > 0), CHECK (a < b), UNIQUE (a, b));
      CREATE TABLE v (id int, u_id int REFERENCES u, CONSTRAINT x CHECK (id > 0));
      ALTER TABLE v ADD FOREIGN KEY (u_id) REFERENCES u (id);
      CREATE INDEX ON v (u_id); CREATE INDEX ON v (u_id); CREATE INDEX ON v (lower(id::text), (id + 1));`);
    const u = table(c, 'u');
    assert.equal(u.primaryKey?.name, 'u_pkey');
    assert.deepEqual(u.uniqueConstraints.map((k) => k.name), ['u_email_key', 'u_a_b_key']);
    assert.deepEqual(u.checks.map((k) => k.name), ['u_a_check', 'u_check']);
    const v = table(c, 'v');
    assert.deepEqual(v.foreignKeys.map((k) => k.name), ['v_u_id_fkey', 'v_u_id_fkey1']);
    assert.deepEqual(v.foreignKeys[0].referencedColumns, ['id']);
    assert.deepEqual(v.indexes.map((i) => i.name), ['v_u_id_idx', 'v_u_id_idx1', 'v_lower_expr_idx']);
  });

  it('truncates generated names to 63 bytes, shortening the longer part first', () => {
    const long = 'a_very_long_table_name_that_goes_on_and_on_for_quite_a_while';
    const c = replay(`CREATE TABLE ${long} (another_quite_long_column_name_for_testing int UNIQUE);`);
    const name = table(c, long).uniqueConstraints[0].name;
    assert.equal(name, 'a_very_long_table_name_that_g_another_quite_long_column_nam_key');
    assert.equal(Buffer.byteLength(name), 63);
  });

  it('follows rename chains of tables, columns, indexes and constraints', () => {
    const c = replay(
      'CREATE TABLE a (id int PRIMARY KEY, x int); CREATE TABLE b (a_id int REFERENCES a (id)); CREATE INDEX a_x ON a (x);',
      'ALTER TABLE a RENAME TO a2; ALTER TABLE a2 RENAME COLUMN id TO ident; ALTER INDEX a_x RENAME TO a2_x_idx;',
      'ALTER TABLE a2 RENAME CONSTRAINT a_pkey TO a2_pkey; ALTER TABLE a2 RENAME TO a3;',
    );
    const a = table(c, 'a3');
    assert.equal(a.primaryKey?.name, 'a2_pkey');
    assert.deepEqual(a.primaryKey?.columns, ['ident']);
    assert.deepEqual(a.indexes.map((i) => i.name), ['a2_pkey', 'a2_x_idx']);
    assert.deepEqual(table(c, 'b').foreignKeys[0].references, { schema: 'public', name: 'a3' });
    assert.deepEqual(table(c, 'b').foreignKeys[0].referencedColumns, ['ident']);
  });

  it('drops foreign keys with DROP TABLE … CASCADE and columns with their indexes', () => {
    const c = replay(
      'CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int, a_id int REFERENCES a, note text); CREATE INDEX ON b (a_id, note);',
      'DROP TABLE a CASCADE; ALTER TABLE b DROP COLUMN note;',
    );
    assert.equal(c.schemas.get('public')!.tables.has('a'), false);
    assert.deepEqual(table(c, 'b').foreignKeys, []);
    assert.deepEqual(table(c, 'b').indexes, []);
  });

  it('turns RLS on in a later migration and keeps a policy created before RLS', () => {
    const c = replay(
      'CREATE TABLE t (id int, tenant_id uuid); CREATE POLICY p ON t FOR SELECT TO authenticated USING (tenant_id = current_setting(\'app.tenant\')::uuid);',
      'ALTER TABLE t ENABLE ROW LEVEL SECURITY; ALTER TABLE t FORCE ROW LEVEL SECURITY;',
    );
    const t = table(c, 't');
    assert.deepEqual(t.rls.enabled && t.rls.forced, true);
    assert.equal(t.rls.origin?.file, 'm2.sql');
    assert.deepEqual(t.policies.map((p) => [p.name, p.command, p.roles, p.permissive, p.using]), [
      ['p', 'select', ['authenticated'], true, "tenant_id = current_setting('app.tenant')::uuid"],
    ]);
    assert.equal(t.policies[0].origin.file, 'm1.sql');
  });

  it('records where each object was created', () => {
    const sql = 'SELECT 1;\nCREATE TABLE t (id int);';
    const c = replay(sql);
    const t = table(c, 't');
    assert.equal(sql.slice(t.origin.start, t.origin.end), 'CREATE TABLE t (id int);');
  });

  it('skips what it does not model and notes unknown objects without throwing', () => {
    const c = replay('CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql; ALTER TABLE nope ADD COLUMN x int; DROP INDEX IF EXISTS nothing;');
    assert.equal(c.notes.length, 1);
    assert.match(c.notes[0].message, /nope/);
  });

  it('follows enums, search_path and SET SCHEMA', () => {
    const c = replay(`CREATE SCHEMA app; SET search_path TO app; CREATE TYPE status AS ENUM ('a', 'c');
      ALTER TYPE status ADD VALUE 'b' BEFORE 'c'; ALTER TYPE status RENAME VALUE 'a' TO 'z'; CREATE TABLE t (s status);`);
    assert.deepEqual(c.schemas.get('app')!.enums.get('status')!.values, ['z', 'b', 'c']);
    assert.equal(table(c, 't', 'app').columns[0].type, 'app.status');
  });

  it('adopts an index as a constraint with USING INDEX', () => {
    const c = replay('CREATE TABLE t (id int); CREATE UNIQUE INDEX t_id_uq ON t (id); ALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY USING INDEX t_id_uq;');
    const t = table(c, 't');
    assert.equal(t.primaryKey?.name, 't_pk');
    assert.deepEqual(t.indexes.map((i) => [i.name, i.backs]), [['t_pk', 'primary']]);
    assert.equal(t.columns[0].notNull, true);
  });
});
