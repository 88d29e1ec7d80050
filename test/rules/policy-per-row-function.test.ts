import { catalogRuleTests } from '../support/catalog-rule-tester';

const table = 'CREATE TABLE docs (id int, owner uuid, tenant_id uuid);\nALTER TABLE docs ENABLE ROW LEVEL SECURITY;\n';

catalogRuleTests('policy-per-row-function', {
  valid: [
    { name: 'already wrapped', files: { 'migrations/001.sql': table + 'CREATE POLICY p ON docs USING (owner = (select auth.uid()));\n' } },
    { name: 'inside a subquery', files: { 'migrations/001.sql': table + "CREATE POLICY p ON docs USING (tenant_id IN (SELECT t FROM memberships WHERE user_id = auth.uid()));\n" } },
    { name: 'a per-row function of the row is fine', files: { 'migrations/001.sql': table + 'CREATE POLICY p ON docs USING (lower(owner::text) = current_user);\n' } },
    {
      name: 'the policy was dropped later',
      files: { 'migrations/001.sql': table + 'CREATE POLICY p ON docs USING (owner = auth.uid());\n', 'migrations/002.sql': 'DROP POLICY p ON docs;\n' },
    },
  ],
  invalid: [
    {
      name: 'auth.uid() and current_setting() with a cast: each call wrapped exactly',
      files: { 'migrations/001.sql': table + "CREATE POLICY p ON docs USING (owner = auth.uid() AND tenant_id = current_setting('app.tenant_id')::uuid);\n" },
      errors: [
        { text: 'auth.uid()', message: /auth\.uid\(\) in policy "p" on "docs" is evaluated once for every row/ },
        { text: "current_setting('app.tenant_id')" },
      ],
      output: { 'migrations/001.sql': table + "CREATE POLICY p ON docs USING (owner = (select auth.uid()) AND tenant_id = (select current_setting('app.tenant_id'))::uuid);\n" },
    },
    {
      name: 'WITH CHECK too, and a configured function',
      files: { 'migrations/001.sql': table + 'CREATE POLICY p ON docs FOR INSERT WITH CHECK (owner = app.current_owner());\n' },
      options: { functions: ['app.current_owner'] },
      errors: [{ text: 'app.current_owner()' }],
      output: { 'migrations/001.sql': table + 'CREATE POLICY p ON docs FOR INSERT WITH CHECK (owner = (select app.current_owner()));\n' },
    },
    {
      name: 'altered later: reported on the policy without an edit',
      files: {
        'migrations/001.sql': table + 'CREATE POLICY p ON docs USING (true);\n',
        'migrations/002.sql': 'ALTER POLICY p ON docs USING (owner = auth.uid());\n',
      },
      errors: [{ file: 'migrations/001.sql', text: 'CREATE POLICY p ON docs USING (true);', message: /auth\.uid\(\)/ }],
      output: {},
    },
  ],
});
