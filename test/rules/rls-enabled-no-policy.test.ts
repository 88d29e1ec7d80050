import { catalogRuleTests } from '../support/catalog-rule-tester';

const enable = 'ALTER TABLE orders ENABLE ROW LEVEL SECURITY;\n';

catalogRuleTests('rls-enabled-no-policy', {
  valid: [
    { name: 'RLS never enabled', files: { 'migrations/001.sql': 'CREATE TABLE orders (id int);\n' } },
    {
      name: 'the policy comes in a later migration',
      files: { 'migrations/001.sql': 'CREATE TABLE orders (id int, owner text);\n' + enable, 'migrations/002.sql': 'CREATE POLICY mine ON orders USING (owner = current_user);\n' },
    },
    { name: 'the table was dropped', files: { 'migrations/001.sql': 'CREATE TABLE orders (id int);\n' + enable, 'migrations/002.sql': 'DROP TABLE orders;\n' } },
  ],
  invalid: [
    {
      name: 'no tenant column: reported on ENABLE, no fix',
      files: { 'migrations/001.sql': 'CREATE TABLE orders (id int);\n' + enable },
      errors: [{ text: enable.trim(), message: /enabled on "orders" but it has no policy.*sees no rows/ }],
      output: {},
    },
    {
      name: 'tenant column: add a tenant policy after ENABLE',
      files: { 'migrations/001.sql': 'CREATE TABLE orders (id int, tenant_id bigint);\n' + enable },
      errors: [{ text: enable.trim() }],
      output: { 'migrations/001.sql': 'CREATE TABLE orders (id int, tenant_id bigint);\n' + enable + "CREATE POLICY tenant_isolation ON orders USING (tenant_id = (select current_setting('app.tenant_id'))::bigint);\n" },
    },
    {
      name: 'the only policy was dropped later',
      files: {
        'migrations/001.sql': 'CREATE TABLE orders (id int, owner text);\n' + enable + 'CREATE POLICY mine ON orders USING (owner = current_user);\n',
        'migrations/002.sql': 'DROP POLICY mine ON orders;\n',
      },
      errors: [{ file: 'migrations/001.sql', text: enable.trim() }],
    },
  ],
});
