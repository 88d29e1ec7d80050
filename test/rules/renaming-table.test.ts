import { ruleTests } from '../support/rule-tester';

ruleTests('renaming-table', {
  valid: [
    { name: 'table created earlier in the same file', sql: 'CREATE TABLE "new_User" ("id" TEXT);\nALTER TABLE "new_User" RENAME TO "User";' },
    { name: 'renaming a column is another rule', sql: 'ALTER TABLE t RENAME COLUMN a TO b;' },
    { name: 'renaming an index', sql: 'ALTER INDEX i RENAME TO j;' },
    { name: 'the compatibility view under the old name follows in the same migration', sql: 'ALTER TABLE billing.invoice RENAME TO invoices;\nCREATE VIEW billing.invoice AS SELECT * FROM billing.invoices;' },
  ],
  invalid: [
    { name: 'a view under the old name in another schema is no compatibility view', sql: 'ALTER TABLE billing.invoice RENAME TO invoices;\nCREATE VIEW public.invoice AS SELECT * FROM billing.invoices;', errors: [{ message: /table "billing.invoice" to "invoices"/ }] },
    {
      sql: 'ALTER TABLE "Post" RENAME TO "Article";',
      errors: [{ text: 'ALTER TABLE "Post" RENAME TO "Article";', message: /table "Post" to "Article".*CREATE VIEW "Post" AS SELECT \* FROM "Article";/ }],
    },
    { name: 'IF EXISTS and schema', sql: 'ALTER TABLE IF EXISTS billing.invoice RENAME TO invoices;', errors: [{ message: /"billing\.invoice" to "invoices".*CREATE VIEW billing\.invoice AS SELECT \* FROM billing\.invoices;/ }] },
  ],
});
