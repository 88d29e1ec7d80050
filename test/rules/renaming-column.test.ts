import { ruleTests } from '../support/rule-tester';

ruleTests('renaming-column', {
  valid: [
    { name: 'table created earlier in the same file', sql: 'CREATE TABLE "User" ("id" TEXT, "name" TEXT);\nALTER TABLE "User" RENAME COLUMN "name" TO "fullName";' },
    { name: 'column added earlier in the same file', sql: 'ALTER TABLE t ADD COLUMN nme text;\nALTER TABLE t RENAME COLUMN nme TO name;' },
    { name: 'renaming a constraint', sql: 'ALTER TABLE t RENAME CONSTRAINT a TO b;' },
    { name: 'renaming the table itself is another rule', sql: 'ALTER TABLE t RENAME TO u;' },
  ],
  invalid: [
    {
      name: 'Prisma',
      sql: '-- AlterTable\nALTER TABLE "User" RENAME COLUMN "name" TO "fullName";\n',
      errors: [{ text: 'ALTER TABLE "User" RENAME COLUMN "name" TO "fullName";', message: /"User"\."name" to "fullName" breaks every query that still uses "name".*Expand and contract/ }],
    },
    { name: 'IF EXISTS, schema-qualified, without COLUMN', sql: 'alter table if exists app.orders rename total to amount;', errors: [{ message: /"app\.orders"\."total" to "amount"/ }] },
  ],
});
