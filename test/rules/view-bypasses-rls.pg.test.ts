import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectedPostgres } from '../support/postgres';

/**
 * What view-bypasses-rls relies on, on the real server: a view reads its tables as its owner, so a table's
 * policies do not filter what the querying role sees through it, unless the view is security_invoker (15+) or the
 * table forces RLS on its owner; CREATE OR REPLACE VIEW without WITH (…) drops security_invoker again.
 */
describe('views and row level security on PostgreSQL', () => {
  const pg = connectedPostgres((client) => client.query(`
      CREATE ROLE app_owner NOLOGIN; CREATE ROLE api_user NOLOGIN;
      GRANT USAGE, CREATE ON SCHEMA public TO app_owner; GRANT USAGE ON SCHEMA public TO api_user;
      SET ROLE app_owner;
      CREATE TABLE profiles (id int PRIMARY KEY, owner_name text NOT NULL);
      INSERT INTO profiles VALUES (1, 'api_user'), (2, 'someone_else');
      ALTER TABLE profiles ENABLE ROW LEVEL SECURITY;
      CREATE POLICY own_rows ON profiles FOR SELECT TO api_user USING (owner_name = current_user);
      GRANT SELECT ON profiles TO api_user;
      CREATE VIEW profiles_v AS SELECT id FROM profiles;
      GRANT SELECT ON profiles_v TO api_user;
      RESET ROLE;`));

  async function countAs(role: string, relation: string): Promise<number> {
    await pg.client.query(`SET ROLE ${role}`);
    try {
      return Number((await pg.client.query(`SELECT count(*) AS n FROM ${relation}`)).rows[0].n);
    } finally {
      await pg.client.query('RESET ROLE');
    }
  }

  it('the table shows the querying role only its own row', async () => {
    assert.equal(await countAs('api_user', 'profiles'), 1);
  });
  it('the view without security_invoker shows it every row (the owner is exempt from the policies)', async () => {
    assert.equal(await countAs('api_user', 'profiles_v'), 2);
  });
  it('with security_invoker = true the view shows what the table shows', async () => {
    await pg.client.query('ALTER VIEW profiles_v SET (security_invoker = true)');
    assert.equal(await countAs('api_user', 'profiles_v'), 1);
  });
  it('CREATE OR REPLACE VIEW without WITH (…) resets security_invoker', async () => {
    await pg.client.query('SET ROLE app_owner; CREATE OR REPLACE VIEW profiles_v AS SELECT id FROM profiles; RESET ROLE');
    const options = (await pg.client.query("SELECT reloptions FROM pg_class WHERE relname = 'profiles_v'")).rows[0].reloptions;
    assert.equal(options, null);
    assert.equal(await countAs('api_user', 'profiles_v'), 2);
  });
  it('FORCE ROW LEVEL SECURITY applies the policies to the owner too (none is for it: no rows)', async () => {
    await pg.client.query('ALTER TABLE profiles FORCE ROW LEVEL SECURITY');
    assert.equal(await countAs('api_user', 'profiles_v'), 0);
    await pg.client.query('ALTER TABLE profiles NO FORCE ROW LEVEL SECURITY');
  });
});
