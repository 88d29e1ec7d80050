import { catalogRuleTests } from '../support/catalog-rule-tester';

const supabase = 'supabase/migrations/20240101000000_init.sql';
const view = "create view public.users_view as select id, email, raw_user_meta_data ->> 'full_name' as full_name from auth.users;\n";

catalogRuleTests('auth-users-exposed', {
  valid: [
    { name: 'security_invoker: the caller needs privileges on auth.users', files: { [supabase]: "create view public.users_view with (security_invoker = true) as select id, email from auth.users;\n" } },
    { name: 'in a schema that is not exposed', files: { [supabase]: 'create schema private;\n' + view.replace('public.users_view', 'private.users_view') } },
    { name: 'plain PostgreSQL, never granted: only the owner reads it', files: { 'migrations/001.sql': view } },
    { name: 'Supabase, SELECT revoked from the API roles', files: { [supabase]: view + 'revoke all on public.users_view from anon, authenticated;\n' } },
    { name: 'a materialized view: materialized-view-in-api reports it (and names auth.users)', files: { 'migrations/001.sql': 'create materialized view public.user_count as select count(*) from auth.users;\ngrant select on public.user_count to anon;\n' } },
    { name: 'a users table of the application, not auth.users', files: { [supabase]: 'create table public.users (id uuid primary key, email text);\ncreate view public.user_emails as select email from public.users;\n' } },
  ],
  invalid: [
    {
      name: 'Supabase: the platform grants the view to anon and authenticated',
      files: { [supabase]: view },
      errors: [{ text: view.trim(), message: /View "users_view" reads auth\.users and anon, authenticated may select from it/ }],
    },
    {
      name: 'through another view, granted to authenticated',
      files: { 'migrations/001.sql': 'create schema internal;\ncreate view internal.u as select id, email from auth.users;\ncreate view public.members as select id from internal.u;\ngrant select on public.members to authenticated;\n' },
      errors: [{ text: 'create view public.members as select id from internal.u;', message: /"members" reads auth\.users and authenticated may select/ }],
    },
  ],
});
