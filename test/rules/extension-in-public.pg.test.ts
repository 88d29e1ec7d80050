import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RELOCATABLE } from '../../core/src/rules/extension-in-public';
import { connectedPostgres } from '../support/postgres';

/** extension-in-public offers ALTER EXTENSION … SET SCHEMA only for extensions PostgreSQL says it can move. */
describe('extension-in-public: relocatable extensions on PostgreSQL', () => {
  const pg = connectedPostgres();

  it('every extension in RELOCATABLE is relocatable in its default version, and those the server has but the list lacks are not', async () => {
    const { rows } = await pg.client.query<{ name: string; relocatable: boolean }>(
      `SELECT v.name, v.relocatable FROM pg_available_extension_versions v
         JOIN pg_available_extensions a ON a.name = v.name AND a.default_version = v.version`,
    );
    const available = new Map(rows.map((r) => [r.name, r.relocatable]));
    for (const name of RELOCATABLE) assert.equal(available.get(name), true, `${name} is available and relocatable`);
    const missing = rows.filter((r) => r.relocatable && !RELOCATABLE.has(r.name)).map((r) => r.name);
    assert.deepEqual(missing, [], 'relocatable extensions of this server that the list leaves out');
  });

  it('the fix the rule writes moves a relocatable extension, and SET SCHEMA fails on a non-relocatable one', async () => {
    await pg.client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await pg.client.query('CREATE SCHEMA IF NOT EXISTS extensions; ALTER EXTENSION pg_trgm SET SCHEMA extensions');
    const { rows } = await pg.client.query(`SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'`);
    assert.equal(rows[0].nspname, 'extensions');
    await pg.client.query('CREATE EXTENSION xml2');
    await assert.rejects(pg.client.query('ALTER EXTENSION xml2 SET SCHEMA extensions'), /does not support SET SCHEMA/);
  });
});

describe('security-definer-executable-by-api-roles: who can execute a new function', () => {
  const pg = connectedPostgres(async (client) => {
    await client.query(`CREATE ROLE anon NOLOGIN; CREATE ROLE authenticated NOLOGIN;
      CREATE FUNCTION public.f() RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;
      CREATE FUNCTION public.t() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN RETURN NEW; END $$;`);
  });

  it('PUBLIC can execute a new function; REVOKE … FROM PUBLIC takes it from every role without its own grant', async () => {
    const can = async (role: string) => (await pg.client.query('SELECT has_function_privilege($1, \'public.f()\', \'EXECUTE\') AS ok', [role])).rows[0].ok;
    assert.equal(await can('anon'), true);
    await pg.client.query('GRANT EXECUTE ON FUNCTION public.f() TO authenticated; REVOKE EXECUTE ON FUNCTION public.f() FROM PUBLIC');
    assert.equal(await can('anon'), false);
    assert.equal(await can('authenticated'), true);
  });

  it('a trigger function cannot be called directly (so the API cannot call it)', async () => {
    await assert.rejects(pg.client.query('SELECT public.t()'), /trigger functions can only be called as triggers/);
  });
});
