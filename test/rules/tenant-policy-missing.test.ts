import { catalogRuleTests } from '../support/catalog-rule-tester';

const t = 'CREATE TABLE orders (id bigint PRIMARY KEY, tenant_id uuid NOT NULL, owner uuid);\n';
const enable = 'ALTER TABLE orders ENABLE ROW LEVEL SECURITY;\n';

catalogRuleTests('tenant-policy-missing', {
  valid: [
    { name: 'tenant policy in a later migration', files: { 'migrations/001.sql': t + enable, 'migrations/002.sql': "CREATE POLICY iso ON orders USING (tenant_id = (select current_setting('app.tenant_id'))::uuid);\n" } },
    { name: 'no RLS (rls-disabled says so)', files: { 'migrations/001.sql': t } },
    { name: 'the column is mentioned in WITH CHECK', files: { 'migrations/001.sql': t + enable + 'CREATE POLICY ins ON orders FOR INSERT WITH CHECK ("tenant_id" IS NOT NULL);\n' } },
    { name: 'tenancy off', files: { 'migrations/001.sql': t + enable }, project: { tenant: { mode: 'off' } } },
  ],
  invalid: [
    {
      name: 'policies that ignore the tenant column',
      files: { 'migrations/001.sql': t + enable + 'CREATE POLICY own ON orders USING (owner = (select auth.uid()));\n' },
      errors: [{ text: enable.trim(), message: /"orders" has a "tenant_id" column and row level security, but none of its policies \("own"\) mentions tenant_id/ }],
      output: { 'migrations/001.sql': t + enable + "CREATE POLICY tenant_isolation ON orders USING (tenant_id = (select current_setting('app.tenant_id'))::uuid);\n" + 'CREATE POLICY own ON orders USING (owner = (select auth.uid()));\n' },
    },
    {
      name: 'the tenant policy was dropped later; column and setting from pgvet.json',
      files: {
        'migrations/001.sql': 'CREATE TABLE items (id int, org_id bigint);\nALTER TABLE items ENABLE ROW LEVEL SECURITY;\nCREATE POLICY org ON items USING (org_id = 1);\n',
        'migrations/002.sql': 'DROP POLICY org ON items;\n',
      },
      project: { tenant: { column: 'org_id', setting: 'app.org' } },
      errors: [{ file: 'migrations/001.sql', message: /no policy at all/ }],
      output: { 'migrations/001.sql': "CREATE TABLE items (id int, org_id bigint);\nALTER TABLE items ENABLE ROW LEVEL SECURITY;\nCREATE POLICY tenant_isolation ON items USING (org_id = (select current_setting('app.org'))::bigint);\nCREATE POLICY org ON items USING (org_id = 1);\n" },
    },
  ],
});
