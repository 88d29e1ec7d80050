import { ruleTests } from '../support/rule-tester';

const prisma = '/p/prisma/migrations/20240101000000_drop_index/migration.sql';

ruleTests('require-concurrent-index-deletion', {
  valid: [
    { sql: 'DROP INDEX CONCURRENTLY i;' },
    { name: 'IF EXISTS, schema-qualified', sql: 'DROP INDEX CONCURRENTLY IF EXISTS public."User_email_key";' },
    { name: 'index created earlier in the same file', sql: 'CREATE INDEX CONCURRENTLY tmp_idx ON t (a);\nDROP INDEX tmp_idx;' },
    { name: 'other DROP statements', sql: 'DROP TABLE t;\nDROP VIEW v;' },
  ],
  invalid: [
    {
      sql: 'DROP INDEX i;',
      errors: [{ text: 'DROP INDEX i;', message: /DROP INDEX "i" takes an ACCESS EXCLUSIVE lock/ }],
      output: 'DROP INDEX CONCURRENTLY i;',
    },
    {
      // CONCURRENTLY would make this migration fail: no fix, the note says where the drop can go.
      name: 'Prisma quoted name, several statements: no fix, the note says the file is transactional',
      path: prisma,
      sql: '-- DropIndex\nDROP INDEX "User_email_key";\n\n-- AlterTable\nALTER TABLE "User" ADD COLUMN "nick" TEXT;\n',
      errors: [{ message: /Prisma.*cannot run inside a transaction: drop the index in a migration of its own/ }],
      output: '-- DropIndex\nDROP INDEX "User_email_key";\n\n-- AlterTable\nALTER TABLE "User" ADD COLUMN "nick" TEXT;\n',
    },
    {
      name: 'Prisma, the only statement of the file: CONCURRENTLY runs there, no note',
      path: prisma,
      sql: '-- DropIndex\nDROP INDEX "User_email_key";\n',
      errors: [{ message: /Use DROP INDEX CONCURRENTLY\.$/ }],
      output: '-- DropIndex\nDROP INDEX CONCURRENTLY "User_email_key";\n',
    },
    { name: 'IF EXISTS and schema', sql: 'drop index if exists app.orders_created_idx;', errors: [{ message: /"app\.orders_created_idx"/ }], output: 'drop index CONCURRENTLY if exists app.orders_created_idx;' },
    {
      name: 'several indexes become one statement each',
      sql: 'DROP INDEX IF EXISTS a_idx, "B_idx";',
      errors: [{ message: /"a_idx", "B_idx"/ }],
      output: 'DROP INDEX CONCURRENTLY IF EXISTS a_idx;\nDROP INDEX CONCURRENTLY IF EXISTS "B_idx";',
    },
    { name: 'CASCADE: no fix, the message explains', sql: 'DROP INDEX i CASCADE;', errors: [{ message: /does not support CASCADE/ }], output: 'DROP INDEX i CASCADE;' },
  ],
});
