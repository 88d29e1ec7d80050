import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectedPostgres } from '../support/postgres';

/**
 * What auth-users-exposed relies on, on the real server (auth.users stubbed as Supabase keeps it: no privilege for
 * anon): a view of public over it hands its rows to anon once anon may select from the view; a security_invoker
 * view does not (anon is refused auth.users).
 */
describe('a view over auth.users on PostgreSQL', () => {
  const pg = connectedPostgres((client) => client.query(`
      CREATE ROLE anon NOLOGIN; GRANT USAGE ON SCHEMA public TO anon;
      CREATE SCHEMA auth; CREATE TABLE auth.users (id uuid PRIMARY KEY, email text);
      INSERT INTO auth.users VALUES (gen_random_uuid(), 'a@example.com'), (gen_random_uuid(), 'b@example.com');
      CREATE VIEW public.users_view AS SELECT id, email FROM auth.users;
      CREATE VIEW public.users_invoker WITH (security_invoker = true) AS SELECT id, email FROM auth.users;
      GRANT SELECT ON public.users_view, public.users_invoker TO anon;`));

  async function asAnon(sql: string): Promise<number> {
    await pg.client.query('SET ROLE anon');
    try { return (await pg.client.query(sql)).rowCount ?? 0; } finally { await pg.client.query('RESET ROLE'); }
  }

  it('anon may not read auth.users itself', async () => {
    await assert.rejects(asAnon('SELECT email FROM auth.users'), /permission denied/);
  });
  it('but reads every email through the view', async () => {
    assert.equal(await asAnon('SELECT email FROM public.users_view'), 2);
  });
  it('a security_invoker view refuses it', async () => {
    await assert.rejects(asAnon('SELECT email FROM public.users_invoker'), /permission denied/);
  });
});
