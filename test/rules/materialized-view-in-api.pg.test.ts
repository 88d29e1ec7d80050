import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectedPostgres } from '../support/postgres';

/**
 * What materialized-view-in-api and policy-always-true rely on, on the real server: a materialized view cannot
 * have row level security and serves every stored row to whoever may select from it; GRANT … ON ALL TABLES IN
 * SCHEMA covers materialized views; permissive policies are OR-ed (one `true` opens every row) while a restrictive
 * one is AND-ed.
 */
describe('materialized views and permissive policies on PostgreSQL', () => {
  const pg = connectedPostgres((client) => client.query(`
      CREATE ROLE api_user NOLOGIN; GRANT USAGE ON SCHEMA public TO api_user;
      CREATE TABLE scores (owner_name text NOT NULL, points int NOT NULL);
      INSERT INTO scores VALUES ('api_user', 1), ('someone_else', 2);
      ALTER TABLE scores ENABLE ROW LEVEL SECURITY;
      CREATE POLICY own_rows ON scores TO api_user USING (owner_name = current_user) WITH CHECK (owner_name = current_user);
      GRANT SELECT, INSERT ON scores TO api_user;
      CREATE MATERIALIZED VIEW leaderboard AS SELECT owner_name, points FROM scores;
      GRANT SELECT ON ALL TABLES IN SCHEMA public TO api_user;`));

  async function asApi<T>(run: () => Promise<T>): Promise<T> {
    await pg.client.query('SET ROLE api_user');
    try { return await run(); } finally { await pg.client.query('RESET ROLE'); }
  }
  const count = async (sql: string) => Number((await pg.client.query(sql)).rows[0].n);

  it('a materialized view cannot enable row level security', async () => {
    await assert.rejects(pg.client.query('ALTER TABLE leaderboard ENABLE ROW LEVEL SECURITY'), /is not a table|cannot|not supported/);
  });
  it('the table shows the API role its own row, the materialized view (granted ON ALL TABLES) every row', async () => {
    assert.equal(await asApi(() => count('SELECT count(*) AS n FROM scores')), 1);
    assert.equal(await asApi(() => count('SELECT count(*) AS n FROM leaderboard')), 2);
  });
  it('a permissive WITH CHECK (true) beside the owner check lets the API role write a row for someone else', async () => {
    await assert.rejects(asApi(() => pg.client.query("INSERT INTO scores VALUES ('someone_else', 3)")), /row-level security/);
    await pg.client.query('CREATE POLICY anyone_inserts ON scores FOR INSERT TO api_user WITH CHECK (true)');
    await asApi(() => pg.client.query("INSERT INTO scores VALUES ('someone_else', 3)"));
  });
  it('a restrictive policy is AND-ed: the true policy no longer opens every row', async () => {
    await pg.client.query('CREATE POLICY only_own ON scores AS RESTRICTIVE FOR INSERT TO api_user WITH CHECK (owner_name = current_user)');
    await assert.rejects(asApi(() => pg.client.query("INSERT INTO scores VALUES ('someone_else', 4)")), /row-level security/);
  });
});
