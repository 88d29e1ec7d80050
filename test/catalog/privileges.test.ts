import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { applyFile } from '../../core/src/catalog/replay';
import { emptyCatalog, type Catalog } from '../../core/src/catalog/model';
import { canExecute, canUseSchema, defaultGrants, effectiveAcl, rolesWithColumnPrivilege, rolesWithPrivilege } from '../../core/src/catalog/privileges';
import { allFunctions, allViews, functionSearchPath, viewOption } from '../../core/src/catalog/queries';
import { initParser, parseSqlFile } from '../../core/src/parse/sql/parser';

/** The questions the security rules ask of a catalog: who may execute, read, use; what a function's search_path is. */

function replay(sql: string, role?: string): Catalog {
  const catalog = emptyCatalog();
  if (role) catalog.role = role;
  applyFile(catalog, 'm1.sql', parseSqlFile(sql));
  return catalog;
}

const fn = (c: Catalog, name: string) => [...allFunctions(c)].find((f) => f.name === name)!;

before(() => initParser());

describe('catalog privileges', () => {
  it('a function is executable by everyone until EXECUTE is revoked from PUBLIC', () => {
    const c = replay(`CREATE FUNCTION open() RETURNS int LANGUAGE sql AS 'SELECT 1';
      CREATE FUNCTION closed() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';
      REVOKE EXECUTE ON FUNCTION closed() FROM PUBLIC; GRANT EXECUTE ON FUNCTION closed() TO service_role;
      CREATE FUNCTION half() RETURNS int LANGUAGE sql AS 'SELECT 1'; REVOKE EXECUTE ON FUNCTION half() FROM anon;`);
    assert.equal(canExecute(c, fn(c, 'open'), 'anon'), true);
    assert.equal(canExecute(c, fn(c, 'closed'), 'anon'), false);
    assert.equal(canExecute(c, fn(c, 'closed'), 'service_role'), true);
    // Revoking from anon alone leaves anon PUBLIC's EXECUTE, as in PostgreSQL.
    assert.equal(canExecute(c, fn(c, 'half'), 'anon'), true);
  });

  it('which roles have a privilege on a table or view, columns apart', () => {
    const c = replay(`CREATE TABLE t (id int, name text); CREATE VIEW v AS SELECT id FROM t;
      GRANT SELECT ON t TO anon; GRANT SELECT ON v TO PUBLIC; GRANT UPDATE (name) ON t TO authenticated;`, 'postgres');
    const t = c.schemas.get('public')!.tables.get('t')!;
    assert.deepEqual(rolesWithPrivilege(c, t, 'SELECT').sort(), ['anon', 'postgres']);
    assert.deepEqual(rolesWithPrivilege(c, t, 'UPDATE'), ['postgres']);
    assert.deepEqual(rolesWithColumnPrivilege(t, 'UPDATE'), ['authenticated']);
    assert.deepEqual(rolesWithPrivilege(c, [...allViews(c)][0], 'SELECT').sort(), ['postgres', 'public']);
    const unknownRole = replay('CREATE TABLE u (id int);');
    assert.deepEqual(rolesWithPrivilege(unknownRole, unknownRole.schemas.get('public')!.tables.get('u')!, 'SELECT'), ['current_user'],
      'an unknown migration role owns what it creates');
  });

  it('schema USAGE: public is usable by everyone, a new schema only by its owner until granted', () => {
    const c = replay('CREATE SCHEMA api; CREATE SCHEMA open; GRANT USAGE ON SCHEMA open TO anon; CREATE TABLE public.t (id int);');
    assert.equal(canUseSchema(c, c.schemas.get('public')!, 'anon'), true);
    assert.equal(canUseSchema(c, c.schemas.get('api')!, 'anon'), false);
    assert.equal(canUseSchema(c, c.schemas.get('open')!, 'anon'), true);
    assert.deepEqual(effectiveAcl(c, 'schema', c.schemas.get('public')!).map((i) => `${i.grantee}:${i.privilege}`), [
      'pg_database_owner:USAGE', 'pg_database_owner:CREATE', 'public:USAGE',
    ]);
  });

  it('default grants: what future tables in a schema will give, whether or not any exists yet', () => {
    const c = replay(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO anon, authenticated;
      ALTER DEFAULT PRIVILEGES FOR ROLE supabase_admin GRANT ALL ON TABLES TO service_role;`);
    assert.deepEqual(defaultGrants(c, 'tables', 'SELECT', 'public').map((g) => `${g.role}→${g.grantee}`).sort(), [
      'current_user→anon', 'current_user→authenticated', 'supabase_admin→service_role',
    ]);
    assert.deepEqual(defaultGrants(c, 'tables', 'SELECT', 'other').map((g) => g.grantee), ['service_role']);
  });

  it("a function's fixed search_path, as the schemas it names", () => {
    const c = replay(`CREATE FUNCTION a() RETURNS int LANGUAGE sql SET search_path = '' AS 'SELECT 1';
      CREATE FUNCTION b() RETURNS int LANGUAGE sql SET search_path TO pg_catalog, "Odd Name", pg_temp AS 'SELECT 1';
      CREATE FUNCTION c() RETURNS int LANGUAGE sql SET search_path = 'public, pg_temp' AS 'SELECT 1';
      CREATE FUNCTION d() RETURNS int LANGUAGE sql AS 'SELECT 1';`);
    assert.deepEqual(functionSearchPath(fn(c, 'a')), []);
    assert.deepEqual(functionSearchPath(fn(c, 'b')), ['pg_catalog', 'Odd Name', 'pg_temp']);
    assert.deepEqual(functionSearchPath(fn(c, 'c')), ['public, pg_temp'], 'one quoted string is one (odd) schema name, as PostgreSQL reads it');
    assert.equal(functionSearchPath(fn(c, 'd')), undefined);
  });

  it('view options read as PostgreSQL reads booleans', () => {
    const c = replay(`CREATE VIEW a WITH (security_invoker) AS SELECT 1 AS x; CREATE VIEW b WITH (security_invoker = off) AS SELECT 1 AS x;
      CREATE VIEW c WITH (security_invoker = 'yes', security_barrier = 1) AS SELECT 1 AS x; CREATE VIEW d AS SELECT 1 AS x;`);
    const byName = new Map([...allViews(c)].map((v) => [v.name, v]));
    assert.deepEqual(['a', 'b', 'c', 'd'].map((n) => viewOption(byName.get(n)!, 'security_invoker')), [true, false, true, false]);
    assert.equal(viewOption(byName.get('c')!, 'security_barrier'), true);
  });
});
