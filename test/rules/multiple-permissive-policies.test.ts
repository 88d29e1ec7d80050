import { catalogRuleTests } from '../support/catalog-rule-tester';

const table = 'CREATE TABLE docs (id int, owner uuid, public boolean);\nALTER TABLE docs ENABLE ROW LEVEL SECURITY;\n';

catalogRuleTests('multiple-permissive-policies', {
  valid: [
    { name: 'different commands', files: { 'migrations/001.sql': table + 'CREATE POLICY r ON docs FOR SELECT USING (true);\nCREATE POLICY w ON docs FOR INSERT WITH CHECK (true);\n' } },
    { name: 'different roles', files: { 'migrations/001.sql': table + 'CREATE POLICY a ON docs FOR SELECT TO anon USING (public);\nCREATE POLICY b ON docs FOR SELECT TO authenticated USING (true);\n' } },
    { name: 'one restrictive', files: { 'migrations/001.sql': table + 'CREATE POLICY a ON docs USING (true);\nCREATE POLICY b ON docs AS RESTRICTIVE USING (public);\n' } },
    {
      name: 'the first was dropped later',
      files: { 'migrations/001.sql': table + 'CREATE POLICY a ON docs FOR SELECT USING (true);\nCREATE POLICY b ON docs FOR SELECT USING (public);\n', 'migrations/002.sql': 'DROP POLICY a ON docs;\n' },
    },
  ],
  invalid: [
    {
      name: 'ALL overlaps SELECT, public overlaps every role; reported on the later policy',
      files: {
        'migrations/001.sql': table + 'CREATE POLICY everything ON docs USING (owner = (select auth.uid()));\n',
        'migrations/002.sql': 'CREATE POLICY readers ON docs FOR SELECT TO authenticated USING (public);\n',
      },
      errors: [{ file: 'migrations/002.sql', text: 'CREATE POLICY readers ON docs FOR SELECT TO authenticated USING (public);', message: /"readers" on "docs" is permissive for role authenticated on SELECT, like "everything".*ORs/ }],
    },
  ],
});
