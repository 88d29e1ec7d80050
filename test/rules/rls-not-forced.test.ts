import { catalogRuleTests } from '../support/catalog-rule-tester';

const enable = 'ALTER TABLE orders ENABLE ROW LEVEL SECURITY;\n';

catalogRuleTests('rls-not-forced', {
  valid: [
    { name: 'forced in a later migration', files: { 'migrations/001.sql': 'CREATE TABLE orders (id int);\n' + enable, 'migrations/002.sql': 'ALTER TABLE orders FORCE ROW LEVEL SECURITY;\n' } },
    { name: 'no RLS at all', files: { 'migrations/001.sql': 'CREATE TABLE orders (id int);\n' } },
  ],
  invalid: [
    {
      files: { 'migrations/001.sql': 'CREATE TABLE orders (id int);\n' + enable },
      errors: [{ text: enable.trim(), message: /not forced: the table owner.*bypasses every policy/ }],
      output: { 'migrations/001.sql': 'CREATE TABLE orders (id int);\n' + enable + 'ALTER TABLE orders FORCE ROW LEVEL SECURITY;\n' },
    },
    {
      name: 'NO FORCE later',
      files: { 'migrations/001.sql': 'CREATE TABLE orders (id int);\n' + enable + 'ALTER TABLE orders FORCE ROW LEVEL SECURITY;\n', 'migrations/002.sql': 'ALTER TABLE orders NO FORCE ROW LEVEL SECURITY;\n' },
      errors: [{ file: 'migrations/001.sql', text: enable.trim() }],
    },
  ],
});
