import { catalogRuleTests } from '../support/catalog-rule-tester';

const SUPA = 'supabase/migrations/20240101000000_init.sql';
// The shape of Supabase's documented helper for RLS (is the caller an admin?), SECURITY DEFINER so it can read the roles table.
const isAdmin = "CREATE TABLE public.user_roles (user_id uuid PRIMARY KEY, role text NOT NULL);\n"
  + "CREATE FUNCTION public.is_admin() RETURNS boolean\n    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''\n    AS $$ SELECT EXISTS (SELECT 1 FROM public.user_roles WHERE user_id = auth.uid() AND role = 'admin') $$;\n";
// PostgREST's test fixture (test/spec/fixtures/schema.sql), with the API roles its privileges.sql grants to.
const login = 'CREATE FUNCTION login(id text, pass text) RETURNS text\n    LANGUAGE sql SECURITY DEFINER\n    STABLE\n    AS $$\nSELECT id || pass;\n$$;\n';
const apiRoles = 'GRANT USAGE ON SCHEMA public TO anon, authenticated;\n';
const revokeAdmin = 'REVOKE EXECUTE ON FUNCTION is_admin() FROM PUBLIC, anon;\n';

catalogRuleTests('security-definer-executable-by-api-roles', {
  valid: [
    { name: 'auto: a project without API roles or Supabase hears nothing (PUBLIC can execute, but there is no API)', files: { 'migrations/001.sql': login } },
    { name: 'Supabase: revoked from PUBLIC and anon (authenticated may call it)', files: { [SUPA]: isAdmin + revokeAdmin } },
    {
      name: 'Supabase: a schema that is not exposed',
      files: { [SUPA]: 'CREATE SCHEMA private;\n' + isAdmin.replace('FUNCTION public.is_admin', 'FUNCTION private.is_admin') },
    },
    {
      name: 'Supabase: a trigger function (the API cannot call it)',
      files: { [SUPA]: 'CREATE FUNCTION public.handle_new_user() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = \'\' AS $$ BEGIN RETURN NEW; END $$;\n' },
    },
    { name: 'SECURITY INVOKER', files: { [SUPA]: 'CREATE FUNCTION public.add(a int, b int) RETURNS int LANGUAGE sql AS $$ SELECT a + b $$;\n' } },
    {
      name: 'pgvet.json exposes only api, and wins over supabase/config.toml',
      files: { [SUPA]: isAdmin },
      extraFiles: { 'supabase/config.toml': '[api]\nschemas = ["public"]\n' },
      project: { schemas: ['api'] },
    },
    { name: 'mode off', files: { [SUPA]: isAdmin }, options: { mode: 'off' } },
  ],
  invalid: [
    {
      name: 'Supabase: PUBLIC by default and anon, authenticated by the platform; the fix revokes PUBLIC and anon',
      files: { [SUPA]: isAdmin },
      errors: [{ message: /is_admin\(\) can be executed by PUBLIC \(every role\), anon, authenticated \(in Supabase.*schema "public" is exposed \(public: the default exposed schemas\)/ }],
      output: { [SUPA]: isAdmin + revokeAdmin },
    },
    {
      name: 'Supabase: REVOKE … FROM PUBLIC alone leaves anon its platform grant',
      files: { [SUPA]: isAdmin + 'REVOKE EXECUTE ON FUNCTION is_admin() FROM PUBLIC;\n' },
      errors: [{ message: /can be executed by anon, authenticated/ }],
      output: { [SUPA]: isAdmin + 'REVOKE EXECUTE ON FUNCTION is_admin() FROM anon;\nREVOKE EXECUTE ON FUNCTION is_admin() FROM PUBLIC;\n' },
    },
    {
      name: "PostgREST-style project (API roles granted): PUBLIC's default EXECUTE; authenticated keeps it",
      files: { 'migrations/001.sql': apiRoles + login },
      errors: [{ message: /login\(text, text\) can be executed by PUBLIC \(every role\), anon, authenticated, .*grant it to authenticated/ }],
      output: { 'migrations/001.sql': apiRoles + login + 'REVOKE EXECUTE ON FUNCTION login(text, text) FROM PUBLIC;\nGRANT EXECUTE ON FUNCTION login(text, text) TO authenticated;\n' },
    },
    {
      name: 'exposed through supabase/config.toml: the message says where from',
      files: { [SUPA]: 'CREATE SCHEMA api;\nGRANT USAGE ON SCHEMA api TO anon;\n' + login.replace('FUNCTION login', 'FUNCTION api.login') },
      extraFiles: { 'supabase/config.toml': '[api]\nschemas = ["public", "api"]\n' },
      errors: [{ message: /schema "api" is exposed \(public, api: \[api\] schemas in \/project\/supabase\/config\.toml\)/ }],
    },
    {
      name: 'mode on without API roles: only PUBLIC is named (no anon role is invented), and revoked',
      files: { 'migrations/001.sql': login },
      options: { mode: 'on' },
      errors: [{ message: /login\(text, text\) can be executed by PUBLIC \(every role\), and schema/ }],
      output: { 'migrations/001.sql': login + 'REVOKE EXECUTE ON FUNCTION login(text, text) FROM PUBLIC;\n' },
    },
    {
      name: 'a policy for everyone calls it: no revoke, which would break the policy',
      files: { [SUPA]: isAdmin + 'CREATE TABLE public.posts (id int);\nALTER TABLE public.posts ENABLE ROW LEVEL SECURITY;\nCREATE POLICY admins ON public.posts USING (public.is_admin());\n' },
      errors: [{ message: /Policies admins on posts call it for those roles/ }],
    },
  ],
});
