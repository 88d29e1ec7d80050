import { catalogRuleTests } from '../support/catalog-rule-tester';

// Statements in the shape of Supabase projects: a table with policies on auth.uid(), and a view over it.
const profiles = 'CREATE TABLE profiles (id uuid PRIMARY KEY, username text, avatar_url text);\n'
  + 'ALTER TABLE profiles ENABLE ROW LEVEL SECURITY;\n'
  + 'CREATE POLICY "Users see their own profile" ON profiles FOR SELECT TO authenticated USING ((select auth.uid()) = id);\n';
const view = 'CREATE VIEW public_profiles AS SELECT id, username FROM profiles;\n';
const grant = 'GRANT SELECT ON public_profiles TO anon, authenticated;\n';
const supabase = 'supabase/migrations/20240101000000_init.sql';

catalogRuleTests('view-bypasses-rls', {
  valid: [
    { name: 'security_invoker = true in CREATE VIEW', files: { 'migrations/001.sql': profiles + 'CREATE VIEW public_profiles WITH (security_invoker = true) AS SELECT id, username FROM profiles;\n' + grant } },
    { name: 'security_invoker set later by ALTER VIEW', files: { 'migrations/001.sql': profiles + view + grant, 'migrations/002.sql': 'ALTER VIEW public_profiles SET (security_invoker = on);\n' } },
    { name: 'the table has no RLS', files: { 'migrations/001.sql': 'CREATE TABLE profiles (id uuid PRIMARY KEY, username text);\n' + view + grant } },
    { name: 'nobody but the owner may read the view (plain PostgreSQL, no grant)', files: { 'migrations/001.sql': profiles + view } },
    { name: 'a view outside the exposed schemas', files: { 'migrations/001.sql': profiles + 'CREATE SCHEMA private;\nCREATE VIEW private.p AS SELECT id FROM profiles;\nGRANT SELECT ON private.p TO anon;\n' } },
    { name: 'RLS forced on the table: the policies apply to the owner too', files: { 'migrations/001.sql': profiles + 'ALTER TABLE profiles FORCE ROW LEVEL SECURITY;\n' + view + grant } },
    { name: 'view owned by another role than the table', files: { 'migrations/001.sql': profiles + view + grant + 'ALTER VIEW public_profiles OWNER TO reporting;\n' } },
    {
      // PostgreSQL's rowsecurity regression test: b1 is alice's, bv1 bob's, so b1's policies apply to bob.
      name: 'the history switches roles (SET SESSION AUTHORIZATION): owners are not known',
      files: { 'migrations/001.sql': 'SET SESSION AUTHORIZATION regress_rls_alice;\nCREATE TABLE b1 (a int, b text);\nCREATE POLICY p1 ON b1 USING (a % 2 = 0);\n'
        + 'ALTER TABLE b1 ENABLE ROW LEVEL SECURITY;\nGRANT ALL ON b1 TO regress_rls_bob;\nSET SESSION AUTHORIZATION regress_rls_bob;\n'
        + 'CREATE VIEW bv1 WITH (security_barrier) AS SELECT * FROM b1 WHERE a > 0 WITH CHECK OPTION;\nGRANT ALL ON bv1 TO regress_rls_carol;\n' },
    },
  ],
  invalid: [
    {
      name: 'granted to anon: the fix sets security_invoker after CREATE VIEW',
      files: { 'migrations/001.sql': profiles + view + grant },
      errors: [{ text: view.trim(), message: /View "public_profiles" reads "profiles".*security_invoker = true/ }],
      output: { 'migrations/001.sql': profiles + view + 'ALTER VIEW public_profiles SET (security_invoker = true);\n' + grant },
    },
    {
      name: 'Supabase: the platform grants anon and authenticated on public, no GRANT in the history',
      files: { [supabase]: profiles + view },
      errors: [{ text: view.trim() }],
      output: { [supabase]: profiles + view + 'ALTER VIEW public_profiles SET (security_invoker = true);\n' },
    },
    {
      name: 'through another view; CREATE OR REPLACE later resets the options: the fix goes after the last definition',
      files: {
        'migrations/001.sql': profiles + 'CREATE VIEW names WITH (security_invoker = true) AS SELECT id, username FROM profiles;\n',
        'migrations/002.sql': 'CREATE OR REPLACE VIEW names AS SELECT id, username FROM public_profiles_base;\n'.replace('public_profiles_base', 'profiles') + 'GRANT SELECT ON names TO authenticated;\n',
      },
      errors: [{ file: 'migrations/002.sql', text: 'CREATE OR REPLACE VIEW names AS SELECT id, username FROM profiles;' }],
      output: { 'migrations/002.sql': 'CREATE OR REPLACE VIEW names AS SELECT id, username FROM profiles;\nALTER VIEW names SET (security_invoker = true);\nGRANT SELECT ON names TO authenticated;\n' },
    },
    {
      name: 'a view over a view over the table',
      files: { 'migrations/001.sql': profiles + 'CREATE VIEW inner_v AS SELECT id FROM profiles;\nCREATE VIEW outer_v AS SELECT id FROM inner_v;\nGRANT SELECT ON outer_v TO anon;\n' },
      errors: [{ text: 'CREATE VIEW outer_v AS SELECT id FROM inner_v;', message: /"outer_v" reads "profiles"/ }],
      output: { 'migrations/001.sql': profiles + 'CREATE VIEW inner_v AS SELECT id FROM profiles;\nCREATE VIEW outer_v AS SELECT id FROM inner_v;\nALTER VIEW outer_v SET (security_invoker = true);\nGRANT SELECT ON outer_v TO anon;\n' },
    },
    {
      // pgvet's agreement fixture (test/catalog/agreement/fixtures/security): RESET (security_invoker) in a later migration.
      name: 'security_invoker reset later: the fix goes after the RESET, not after CREATE VIEW',
      files: {
        'migrations/001.sql': profiles + 'CREATE VIEW profile_names WITH (security_invoker = true) AS SELECT id, username FROM profiles;\nGRANT SELECT ON profile_names TO anon;\n',
        'migrations/002.sql': 'ALTER VIEW profile_names RESET (security_invoker);\n',
      },
      errors: [{ file: 'migrations/002.sql', text: 'ALTER VIEW profile_names RESET (security_invoker);' }],
      output: { 'migrations/002.sql': 'ALTER VIEW profile_names RESET (security_invoker);\nALTER VIEW profile_names SET (security_invoker = true);\n' },
    },
    {
      name: 'renamed later: the finding and the fix go after the rename, under the new name',
      files: { 'migrations/001.sql': profiles + view + grant, 'migrations/002.sql': 'ALTER VIEW public_profiles RENAME TO profile_cards;\n' },
      errors: [{ file: 'migrations/002.sql', text: 'ALTER VIEW public_profiles RENAME TO profile_cards;', message: /View "profile_cards"/ }],
      output: { 'migrations/002.sql': 'ALTER VIEW public_profiles RENAME TO profile_cards;\nALTER VIEW profile_cards SET (security_invoker = true);\n' },
    },
    {
      name: 'PostgreSQL 14: no security_invoker, no fix, another way out',
      files: { 'migrations/001.sql': profiles + view + grant },
      project: { postgresVersion: 14 },
      errors: [{ text: view.trim(), message: /needs PostgreSQL 15 \(pgvet\.json postgresVersion is 14\).*security_barrier/ }],
    },
  ],
});
