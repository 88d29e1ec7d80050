import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { applyFile } from '../../core/src/catalog/replay';
import { emptyCatalog, type Catalog, type FunctionSignature, type Table, type View } from '../../core/src/catalog/model';
import { snapshotCatalog } from '../../core/src/catalog/snapshot';
import { diffCatalogs } from '../../core/src/catalog/diff';
import { initParser, parseSqlFile } from '../../core/src/parse/sql/parser';

/** The replay of functions, privileges, view options, extensions, triggers and comments, one statement form at a time. */

function replay(...files: string[]): Catalog {
  const catalog = emptyCatalog();
  files.forEach((sql, k) => applyFile(catalog, `m${k + 1}.sql`, parseSqlFile(sql)));
  return catalog;
}

function fn(catalog: Catalog, name: string, schema = 'public'): FunctionSignature[] {
  return catalog.schemas.get(schema)?.functions.get(name) ?? [];
}

function table(catalog: Catalog, name: string, schema = 'public'): Table {
  const t = catalog.schemas.get(schema)?.tables.get(name);
  assert.ok(t, `table ${schema}.${name} should exist`);
  return t;
}

function view(catalog: Catalog, name: string, schema = 'public'): View {
  const v = catalog.schemas.get(schema)?.views.get(name);
  assert.ok(v, `view ${schema}.${name} should exist`);
  return v;
}

/** An ACL as `grantee:PRIVILEGE[*]` strings, sorted. */
const acl = (items: { grantee: string; privilege: string; grantable: boolean }[] | undefined) =>
  items === undefined ? undefined : items.map((i) => `${i.grantee}:${i.privilege}${i.grantable ? '*' : ''}`).sort();

before(() => initParser());

describe('functions and procedures', () => {
  it('CREATE FUNCTION keeps kind, arguments, SECURITY DEFINER, SET options, volatility and language', () => {
    const c = replay(`CREATE SCHEMA app;
      CREATE FUNCTION app.who(a varchar(10), b int DEFAULT 1) RETURNS uuid LANGUAGE plpgsql STABLE SECURITY DEFINER
        SET search_path = '' SET work_mem = '64MB' AS $$ BEGIN RETURN NULL; END $$;
      CREATE PROCEDURE app.tidy(IN n int, OUT done bool) LANGUAGE sql AS $$ SELECT true $$;
      CREATE FUNCTION plain() RETURNS int RETURN 1;`);
    const [who] = fn(c, 'who', 'app');
    assert.deepEqual(
      { kind: who.kind, args: who.args, defaults: who.defaults, returns: who.returns, definer: who.securityDefiner, config: who.config, volatility: who.volatility, language: who.language },
      { kind: 'function', args: ['character varying', 'integer'], defaults: 1, returns: 'uuid', definer: true, config: ['search_path=""', 'work_mem=64MB'], volatility: 'stable', language: 'plpgsql' },
    );
    const [tidy] = fn(c, 'tidy', 'app');
    assert.equal(tidy.kind, 'procedure');
    assert.deepEqual(tidy.args, ['integer'], 'proargtypes leaves OUT arguments out, of procedures too');
    const [plain] = fn(c, 'plain');
    assert.deepEqual([plain.securityDefiner, plain.config, plain.volatility, plain.language], [false, [], 'volatile', 'sql']);
  });

  it('prints SET search_path as proconfig does: identifiers quoted when needed, one string stays one item', () => {
    const c = replay(`CREATE FUNCTION a() RETURNS int LANGUAGE sql SET search_path TO public, "Mixed", pg_temp AS 'SELECT 1';
      CREATE FUNCTION b() RETURNS int LANGUAGE sql SET search_path = 'pg_catalog, pg_temp' AS 'SELECT 1';`);
    assert.deepEqual(fn(c, 'a')[0].config, ['search_path=public, "Mixed", pg_temp']);
    assert.deepEqual(fn(c, 'b')[0].config, ['search_path="pg_catalog, pg_temp"']);
    const current = replay(`CREATE FUNCTION a() RETURNS int LANGUAGE sql SET search_path FROM CURRENT AS 'SELECT 1';
      SET search_path = app, public; CREATE FUNCTION b() RETURNS int LANGUAGE sql SET search_path FROM CURRENT AS 'SELECT 1';`);
    assert.deepEqual([fn(current, 'a')[0].config, fn(current, 'b')[0].config], [['search_path="$user", public'], ['search_path=app, public']],
      'FROM CURRENT fixes the session\'s path');
  });

  it('CREATE OR REPLACE replaces the definition and keeps owner, privileges and comment', () => {
    const c = replay(`CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT x';
      ALTER FUNCTION f(int) OWNER TO admin; REVOKE EXECUTE ON FUNCTION f(int) FROM PUBLIC; COMMENT ON FUNCTION f(int) IS 'doubles';
      CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql AS 'SELECT 2 * x';`);
    const [f] = fn(c, 'f');
    assert.equal(f.securityDefiner, false, 'the new definition says SECURITY INVOKER (by default)');
    assert.equal(f.owner, 'admin');
    assert.equal(f.comment, 'doubles');
    assert.deepEqual(acl(f.acl), ['admin:EXECUTE']);
  });

  it('ALTER FUNCTION sets SECURITY, SET / RESET, volatility; RENAME and SET SCHEMA move it', () => {
    const c = replay(`CREATE SCHEMA other; CREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS 'SELECT 1';
      ALTER FUNCTION f(int) SECURITY DEFINER SET search_path = public SET work_mem = '1MB' IMMUTABLE;
      ALTER FUNCTION f RESET work_mem;
      ALTER FUNCTION f(integer) RENAME TO g; ALTER ROUTINE g SET SCHEMA other;`);
    assert.equal(fn(c, 'f').length + fn(c, 'g').length, 0);
    const [g] = fn(c, 'g', 'other');
    assert.deepEqual([g.securityDefiner, g.config, g.volatility, g.schema], [true, ['search_path=public'], 'immutable', 'other']);
    const invoker = replay(`CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1'; ALTER FUNCTION f() SECURITY INVOKER RESET ALL;`);
    assert.deepEqual([fn(invoker, 'f')[0].securityDefiner, fn(invoker, 'f')[0].config], [false, []]);
  });

  it('DROP FUNCTION drops one overload by its types, all without a list; CASCADE takes the triggers executing it', () => {
    const c = replay(`CREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS 'SELECT 1'; CREATE FUNCTION f(text) RETURNS int LANGUAGE sql AS 'SELECT 1';
      DROP FUNCTION f(integer);`);
    assert.deepEqual(fn(c, 'f').map((f) => f.args), [['text']]);
    const cascade = replay(`CREATE TABLE t (id int); CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
      CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();`, 'DROP FUNCTION touch() CASCADE;');
    assert.deepEqual(table(cascade, 't').triggers, []);
    assert.equal(fn(cascade, 'touch').length, 0);
  });

  it('a procedure does not type a query column', () => {
    const c = replay(`CREATE PROCEDURE p(int) LANGUAGE sql AS 'SELECT 1'; CREATE FUNCTION p(text) RETURNS int LANGUAGE sql AS 'SELECT 1';
      CREATE TABLE t AS SELECT p('x') AS n;`);
    assert.equal(table(c, 't').columns[0].type, 'integer');
  });
});

describe('privileges', () => {
  it('GRANT on a table starts from the owner\'s default; REVOKE removes; WITH GRANT OPTION and REVOKE GRANT OPTION FOR', () => {
    const c = replay(`CREATE TABLE t (id int, secret text);
      GRANT SELECT, INSERT ON t TO anon, authenticated; GRANT UPDATE ON TABLE t TO authenticated WITH GRANT OPTION;
      REVOKE INSERT ON t FROM anon; REVOKE GRANT OPTION FOR UPDATE ON t FROM authenticated;`);
    assert.deepEqual(acl(table(c, 't').acl), [
      'anon:SELECT', 'authenticated:INSERT', 'authenticated:SELECT', 'authenticated:UPDATE',
      'current_user:DELETE', 'current_user:INSERT', 'current_user:REFERENCES', 'current_user:SELECT', 'current_user:TRIGGER', 'current_user:TRUNCATE', 'current_user:UPDATE',
    ]);
    assert.equal(replay('CREATE TABLE t (id int);').schemas.get('public')!.tables.get('t')!.acl, undefined, 'no GRANT: the default ACL');
  });

  it('column privileges, and a table REVOKE that takes them too', () => {
    const c = replay(`CREATE TABLE t (id int, name text, secret text); GRANT SELECT (id, name), UPDATE (name) ON t TO anon;`);
    assert.deepEqual(table(c, 't').columns.map((col) => acl(col.acl)), [['anon:SELECT'], ['anon:SELECT', 'anon:UPDATE'], undefined]);
    const revoked = replay(`CREATE TABLE t (id int, name text); GRANT SELECT (id), UPDATE (name) ON t TO anon; REVOKE SELECT ON t FROM anon;`);
    assert.deepEqual(table(revoked, 't').columns.map((col) => acl(col.acl)), [[], ['anon:UPDATE']]);
  });

  it('ALL TABLES / SEQUENCES / FUNCTIONS IN SCHEMA, schemas, and GRANT ALL ON TABLE of a sequence', () => {
    const c = replay(`CREATE SCHEMA api; CREATE TABLE api.a (id serial); CREATE VIEW api.v AS SELECT 1 AS x;
      CREATE FUNCTION api.f() RETURNS int LANGUAGE sql AS 'SELECT 1';
      GRANT SELECT ON ALL TABLES IN SCHEMA api TO anon; GRANT USAGE ON ALL SEQUENCES IN SCHEMA api TO anon;
      REVOKE ALL ON ALL FUNCTIONS IN SCHEMA api FROM PUBLIC; GRANT USAGE ON SCHEMA api TO anon;
      CREATE SEQUENCE api.s; GRANT ALL ON TABLE api.s TO bob;`);
    assert.ok(acl(table(c, 'a', 'api').acl)!.includes('anon:SELECT'));
    assert.ok(acl(view(c, 'v', 'api').acl)!.includes('anon:SELECT'));
    const api = c.schemas.get('api')!;
    assert.ok(acl(api.sequences.get('a_id_seq')!.acl)!.includes('anon:USAGE'));
    assert.deepEqual(acl(api.functions.get('f')![0].acl), ['current_user:EXECUTE']);
    assert.deepEqual(acl(api.acl), ['anon:USAGE', 'current_user:CREATE', 'current_user:USAGE']);
    assert.deepEqual(acl(api.sequences.get('s')!.acl)!.filter((x) => x.startsWith('bob')), ['bob:SELECT', 'bob:UPDATE', 'bob:USAGE']);
  });

  it('ALTER DEFAULT PRIVILEGES reach objects created afterwards, not before, and only for the role they are for', () => {
    const c = replay(`CREATE TABLE before_t (id int);
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO anon;
      ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
      ALTER DEFAULT PRIVILEGES FOR ROLE someone_else GRANT ALL ON TABLES TO anon;
      CREATE TABLE after_t (id int); CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';`);
    assert.equal(table(c, 'before_t').acl, undefined);
    assert.deepEqual(acl(table(c, 'after_t').acl)!.filter((x) => x.startsWith('anon')), ['anon:SELECT']);
    assert.deepEqual(acl(fn(c, 'f')[0].acl), ['current_user:EXECUTE']);
    assert.deepEqual(c.defaultPrivileges.map((d) => `${d.role} ${d.schema ?? '*'} ${d.objects}`).sort(), [
      'current_user * functions', 'current_user public tables', 'someone_else * tables',
    ]);
    const back = replay('ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO anon; ALTER DEFAULT PRIVILEGES REVOKE SELECT ON TABLES FROM anon;');
    assert.deepEqual(back.defaultPrivileges, [], 'an entry back at the built-in default is dropped');
  });

  it('CREATE SCHEMA AUTHORIZATION names the owner; a public schema created again is not initdb\'s', () => {
    const c = replay('CREATE SCHEMA app AUTHORIZATION admin; CREATE SCHEMA AUTHORIZATION bob; DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    assert.deepEqual(['app', 'bob', 'public'].map((s) => c.schemas.get(s)?.owner), ['admin', 'bob', 'current_user']);
  });

  it('OWNER TO passes the old owner\'s privileges to the new owner', () => {
    const c = replay(`CREATE TABLE t (id serial); GRANT SELECT ON t TO anon; GRANT SELECT ON t_id_seq TO anon; ALTER TABLE t OWNER TO admin;
      CREATE SCHEMA s; ALTER SCHEMA s OWNER TO admin;`);
    assert.equal(table(c, 't').owner, 'admin');
    const seq = c.schemas.get('public')!.sequences.get('t_id_seq')!;
    assert.deepEqual([seq.owner, acl(seq.acl)], ['admin', ['admin:SELECT', 'admin:UPDATE', 'admin:USAGE', 'anon:SELECT']], 'a serial column\'s sequence changes owner with its table');
    assert.ok(acl(table(c, 't').acl)!.includes('admin:SELECT'));
    assert.ok(!acl(table(c, 't').acl)!.some((x) => x.startsWith('current_user')));
    assert.equal(c.schemas.get('s')!.owner, 'admin');
  });
});

describe('views, extensions, triggers, comments', () => {
  it('view options from WITH (…) and WITH CHECK OPTION, ALTER VIEW SET / RESET, OWNER TO', () => {
    const c = replay(`CREATE TABLE t (id int); CREATE VIEW v WITH (security_invoker) AS SELECT id FROM t WITH LOCAL CHECK OPTION;
      CREATE VIEW w WITH (security_barrier = false) AS SELECT id FROM t;
      ALTER VIEW w SET (security_invoker = on); ALTER VIEW w RESET (security_barrier); ALTER VIEW w OWNER TO api;`);
    assert.deepEqual(view(c, 'v').options, { security_invoker: 'true', check_option: 'local' });
    assert.deepEqual(view(c, 'w').options, { security_invoker: 'on' });
    assert.equal(view(c, 'w').owner, 'api');
    const replaced = replay('CREATE VIEW v WITH (security_invoker) AS SELECT 1 AS x; CREATE OR REPLACE VIEW v AS SELECT 2 AS x;');
    assert.equal(view(replaced, 'v').options, undefined, 'CREATE OR REPLACE VIEW replaces the options');
  });

  it('CREATE EXTENSION [IF NOT EXISTS] [SCHEMA], ALTER EXTENSION SET SCHEMA, DROP EXTENSION', () => {
    const c = replay(`CREATE SCHEMA extensions; CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE EXTENSION citext WITH SCHEMA extensions;
      CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA extensions; CREATE EXTENSION "uuid-ossp"; ALTER EXTENSION pg_trgm SET SCHEMA extensions;
      DROP EXTENSION "uuid-ossp";`);
    assert.deepEqual([...c.extensions.values()].map((e) => `${e.name}@${e.schema}`), ['pg_trgm@extensions', 'citext@extensions']);
    // (CREATE SCHEMA itself leaves a note "used before any CREATE SCHEMA": ensureSchema's, older than this test.)
    assert.deepEqual(c.notes.map((n) => n.message).filter((m) => !m.includes('before any CREATE SCHEMA')), []);
  });

  it('CREATE [OR REPLACE] TRIGGER, ENABLE / DISABLE, RENAME, DROP; a trigger goes with its table', () => {
    const c = replay(`CREATE TABLE t (id int, a int); CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
      CREATE TRIGGER t1 BEFORE INSERT OR UPDATE OF a ON t FOR EACH ROW WHEN (NEW.a > 0) EXECUTE FUNCTION touch();
      CREATE TRIGGER t2 AFTER DELETE ON t EXECUTE PROCEDURE touch();
      CREATE TRIGGER t3 AFTER TRUNCATE ON t EXECUTE FUNCTION suppress_redundant_updates_trigger();
      CREATE OR REPLACE TRIGGER t2 AFTER DELETE OR INSERT ON t FOR EACH STATEMENT EXECUTE FUNCTION touch();
      ALTER TABLE t DISABLE TRIGGER t1; ALTER TABLE t ENABLE ALWAYS TRIGGER t2; ALTER TRIGGER t3 ON t RENAME TO t4;`);
    const brief = table(c, 't').triggers.map((t) => `${t.name} ${t.timing} ${t.events.join('|')}${t.columns ? ` of ${t.columns}` : ''} ${t.level} ${t.function.schema ?? '?'}.${t.function.name} ${t.enabled}${t.when ? ` when ${t.when}` : ''}`);
    assert.deepEqual(brief, [
      't1 before insert|update of a row public.touch disabled when NEW.a > 0',
      't2 after insert|delete statement public.touch always',
      't4 after truncate statement ?.suppress_redundant_updates_trigger origin',
    ]);
    const dropped = replay('CREATE TABLE t (id int); CREATE TRIGGER x AFTER INSERT ON t EXECUTE FUNCTION f(); DROP TRIGGER x ON t; DROP TRIGGER IF EXISTS y ON t;');
    assert.deepEqual([table(dropped, 't').triggers, dropped.notes], [[], []]);
    const moved = replay(`CREATE TABLE t (id int); CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
      CREATE TRIGGER x AFTER INSERT ON t EXECUTE FUNCTION f(); ALTER FUNCTION f() RENAME TO g;`);
    assert.deepEqual(table(moved, 't').triggers[0].function, { schema: 'public', name: 'g' }, 'the trigger follows its renamed function');
  });

  it('triggers follow a renamed column and a renamed schema; DROP SCHEMA … CASCADE takes the triggers executing its functions', () => {
    const c = replay(`CREATE SCHEMA fx; CREATE TABLE t (id int, a int); CREATE FUNCTION fx.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
      CREATE TRIGGER tr BEFORE UPDATE OF a ON t FOR EACH ROW EXECUTE FUNCTION fx.touch(); CREATE EXTENSION pg_trgm SCHEMA fx;
      ALTER TABLE t RENAME COLUMN a TO b; ALTER SCHEMA fx RENAME TO fx2;`);
    assert.deepEqual(table(c, 't').triggers.map((t) => [t.columns, t.function]), [[['b'], { schema: 'fx2', name: 'touch' }]]);
    assert.deepEqual([fn(c, 'touch', 'fx2')[0].schema, c.extensions.get('pg_trgm')!.schema], ['fx2', 'fx2']);
    applyFile(c, 'm2.sql', parseSqlFile('DROP SCHEMA fx2 CASCADE;'));
    assert.deepEqual([table(c, 't').triggers, c.extensions.size], [[], 0]);
  });

  it('COMMENT ON table, column, view, function, schema, constraint, trigger, index, extension; NULL and \'\' remove', () => {
    const c = replay(`CREATE TABLE t (id int PRIMARY KEY); CREATE VIEW v AS SELECT id FROM t; CREATE INDEX t_idx ON t (id);
      CREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS 'SELECT 1'; CREATE EXTENSION pg_trgm;
      CREATE TRIGGER tr AFTER INSERT ON t EXECUTE FUNCTION g();
      COMMENT ON TABLE t IS 'the t'; COMMENT ON COLUMN t.id IS 'the id'; COMMENT ON VIEW v IS 'the v'; COMMENT ON COLUMN v.id IS 'view id';
      COMMENT ON FUNCTION f(integer) IS 'the f'; COMMENT ON SCHEMA public IS 'std'; COMMENT ON CONSTRAINT t_pkey ON t IS 'pk';
      COMMENT ON TRIGGER tr ON t IS 'tr'; COMMENT ON INDEX t_idx IS 'ix'; COMMENT ON EXTENSION pg_trgm IS 'trgm';
      COMMENT ON TABLE t IS NULL; COMMENT ON SCHEMA public IS '';`);
    const t = table(c, 't');
    assert.deepEqual(
      [t.comment, t.columns[0].comment, view(c, 'v').comment, view(c, 'v').columns![0].comment, fn(c, 'f')[0].comment, c.schemas.get('public')!.comment,
        t.primaryKey!.comment, t.triggers[0].comment, t.indexes.find((i) => i.name === 't_idx')!.comment, c.extensions.get('pg_trgm')!.comment],
      [undefined, 'the id', 'the v', 'view id', 'the f', undefined, 'pk', 'tr', 'ix', 'trgm'],
    );
    assert.deepEqual(c.notes, []);
  });
});

describe('snapshots stay frozen, diffs judge structure only', () => {
  it('a snapshot does not see later grants, comments, triggers, function changes, extensions or default privileges', () => {
    const c = replay(`CREATE TABLE t (id int); CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$; CREATE VIEW v AS SELECT 1 AS x;`);
    const before = snapshotCatalog(c);
    applyFile(c, 'm2.sql', parseSqlFile(`GRANT SELECT (id) ON t TO anon; COMMENT ON COLUMN t.id IS 'x'; CREATE TRIGGER tr AFTER INSERT ON t EXECUTE FUNCTION f();
      ALTER FUNCTION f() SECURITY DEFINER; REVOKE ALL ON FUNCTION f() FROM PUBLIC; ALTER VIEW v SET (security_invoker); CREATE EXTENSION pg_trgm;
      ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO anon; ALTER TABLE t OWNER TO admin;`));
    assert.deepEqual(c.notes, []);
    const t0 = table(before, 't');
    assert.deepEqual([t0.acl, t0.columns[0].acl, t0.columns[0].comment, t0.triggers, t0.owner], [undefined, undefined, undefined, [], undefined]);
    assert.deepEqual([fn(before, 'f')[0].securityDefiner, fn(before, 'f')[0].acl], [false, undefined]);
    assert.deepEqual([view(before, 'v').options, before.extensions.size, before.defaultPrivileges.length], [undefined, 0, 0]);
    assert.equal(table(c, 't').triggers.length, 1);
    // Reverting a migration is still judged on structure: grants, comments, owners and triggers are not differences yet.
    assert.deepEqual(diffCatalogs(before, c), []);
  });
});
