import { catalogRuleTests } from '../support/catalog-rule-tester';

const docs = 'create table public.documents (id bigint primary key, team_id uuid not null, owner_id uuid not null, user_metadata jsonb);\n'
  + 'alter table public.documents enable row level security;\n';
const policy = (clause: string) => `create policy "team members" on public.documents for select to authenticated using (${clause});\n`;

catalogRuleTests('policy-references-user-metadata', {
  valid: [
    { name: 'app_metadata: only the service role writes it', files: { 'migrations/001.sql': docs + policy("team_id = ((select auth.jwt()) -> 'app_metadata' ->> 'team_id')::uuid") } },
    // supabase/storage keeps a user_metadata column of its own on storage.objects (tenant/0025-custom-metadata.sql).
    { name: 'a column of the table named user_metadata, not the JWT', files: { 'migrations/001.sql': docs + policy("user_metadata ->> 'public' = 'true'") } },
    { name: 'the words in a string only', files: { 'migrations/001.sql': docs + policy("owner_id = (select auth.uid()) or 'user_metadata' = 'x'") } },
  ],
  invalid: [
    {
      name: "auth.jwt() -> 'user_metadata' ->> …",
      files: { 'migrations/001.sql': docs + policy("team_id = ((select auth.jwt()) -> 'user_metadata' ->> 'team_id')::uuid") },
      errors: [{ text: policy("team_id = ((select auth.jwt()) -> 'user_metadata' ->> 'team_id')::uuid").trim(), message: /"team members" on "documents" decides with the JWT's user_metadata/ }],
    },
    {
      name: "#>> '{user_metadata,role}' on the claims setting, in WITH CHECK",
      files: { 'migrations/001.sql': docs + "create policy admins_write on public.documents for insert to authenticated with check ((current_setting('request.jwt.claims', true)::jsonb #>> '{user_metadata,role}') = 'admin');\n" },
      errors: [{ message: /admins_write.*user_metadata.*app_metadata/ }],
    },
    {
      name: 'auth.users.raw_user_meta_data in a subquery',
      files: { 'migrations/001.sql': docs + policy("exists (select 1 from auth.users u where u.id = (select auth.uid()) and u.raw_user_meta_data ->> 'team' = team_id::text)") },
      errors: [{ message: /auth\.users\.raw_user_meta_data/ }],
    },
  ],
});
