import { catalogRuleTests } from '../support/catalog-rule-tester';

// PostgREST-style privileges (test/spec/fixtures/privileges.sql grants tables to its anonymous role).
const items = 'CREATE TABLE items (id bigint PRIMARY KEY, name text);\n';
const grant = 'GRANT SELECT, INSERT ON items TO anon;\n';
const rlsElsewhere = 'CREATE TABLE notes (id bigint PRIMARY KEY);\nALTER TABLE notes ENABLE ROW LEVEL SECURITY;\n';

catalogRuleTests('grant-without-rls', {
  valid: [
    { name: 'RLS enabled on the granted table', files: { 'migrations/001.sql': items + grant + 'ALTER TABLE items ENABLE ROW LEVEL SECURITY;\n' } },
    { name: 'no grant: only the owner reads it', files: { 'migrations/001.sql': items } },
    { name: 'granted to a role that is not an API role', files: { 'migrations/001.sql': items + 'GRANT SELECT ON items TO reporting;\n' } },
    { name: 'the grant was revoked', files: { 'migrations/001.sql': items + grant, 'migrations/002.sql': 'REVOKE ALL ON items FROM anon;\n' } },
    {
      name: 'rls-disabled reports the table (RLS in use elsewhere): left to it, one finding per table',
      files: { 'migrations/001.sql': items + rlsElsewhere + grant },
      project: { rules: { 'rls-disabled': 'warning' } },
    },
    { name: 'only TRUNCATE or REFERENCES: no row is read or changed', files: { 'migrations/001.sql': items + 'GRANT REFERENCES ON items TO PUBLIC;\n' } },
    { name: 'in a schema that is not exposed', files: { 'migrations/001.sql': 'CREATE SCHEMA internal;\nCREATE TABLE internal.jobs (id int);\nGRANT SELECT ON internal.jobs TO anon;\n' } },
  ],
  invalid: [
    {
      name: 'granted to anon in a project without RLS (rls-disabled stays silent): the fix enables RLS after CREATE TABLE',
      files: { 'migrations/001.sql': items + grant },
      project: { rules: { 'rls-disabled': 'warning' } },
      errors: [{ text: items.trim(), message: /"items" grants SELECT, INSERT to anon, but row level security is off: .*anyone reads every row, inserts any row\./ }],
      output: { 'migrations/001.sql': items + 'ALTER TABLE items ENABLE ROW LEVEL SECURITY;\n' + grant },
    },
    {
      name: 'rls-disabled turned off: this rule speaks for the tables it would have reported',
      files: { 'migrations/001.sql': items + rlsElsewhere + 'GRANT SELECT ON items TO PUBLIC;\n' },
      project: { rules: { 'rls-disabled': 'off' } },
      errors: [{ text: items.trim(), message: /grants SELECT to PUBLIC.*anyone reads every row\. / }],
      output: { 'migrations/001.sql': items + 'ALTER TABLE items ENABLE ROW LEVEL SECURITY;\n' + rlsElsewhere + 'GRANT SELECT ON items TO PUBLIC;\n' },
    },
    {
      name: 'by default privileges: tables created afterwards are granted',
      files: { 'migrations/001.sql': 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO anon, authenticated;\n' + items },
      errors: [{ text: items.trim(), message: /grants SELECT to anon, authenticated \(ALTER DEFAULT PRIVILEGES grants new tables/ }],
      output: { 'migrations/001.sql': 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO anon, authenticated;\n' + items + 'ALTER TABLE items ENABLE ROW LEVEL SECURITY;\n' },
    },
    {
      name: 'a column grant',
      files: { 'migrations/001.sql': items + 'GRANT UPDATE (name) ON items TO authenticated;\n' },
      errors: [{ text: items.trim(), message: /grants UPDATE to authenticated.*anyone updates every row\./ }],
      output: { 'migrations/001.sql': items + 'ALTER TABLE items ENABLE ROW LEVEL SECURITY;\nGRANT UPDATE (name) ON items TO authenticated;\n' },
    },
    {
      name: 'roles option: PostgREST\'s anonymous role',
      files: { 'migrations/001.sql': items + 'GRANT ALL ON TABLE items TO postgrest_test_anonymous;\n' },
      options: { roles: ['postgrest_test_anonymous'] },
      errors: [{ message: /grants SELECT, INSERT, UPDATE, DELETE to postgrest_test_anonymous/ }],
      output: { 'migrations/001.sql': items + 'ALTER TABLE items ENABLE ROW LEVEL SECURITY;\nGRANT ALL ON TABLE items TO postgrest_test_anonymous;\n' },
    },
  ],
});
