import { ruleTests } from '../support/rule-tester';

ruleTests('setting-not-null', {
  valid: [
    { sql: 'ALTER TABLE t ALTER COLUMN c DROP NOT NULL;' },
    { name: 'table created earlier in the same file', sql: 'CREATE TABLE "Account" ("id" TEXT);\nALTER TABLE "Account" ALTER COLUMN "id" SET NOT NULL;' },
    {
      name: 'the PostgreSQL 12 pattern: validated CHECK first',
      sql: 'ALTER TABLE t ADD CONSTRAINT t_c_not_null CHECK (c IS NOT NULL) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT t_c_not_null;\nALTER TABLE t ALTER COLUMN c SET NOT NULL;\nALTER TABLE t DROP CONSTRAINT t_c_not_null;',
    },
    {
      name: 'the CHECK was added NOT VALID and validated by earlier migrations of the history',
      history: ['CREATE TABLE "User" ("id" TEXT, "email" TEXT);', 'ALTER TABLE "User" ADD CONSTRAINT "User_email_nn" CHECK ("email" IS NOT NULL) NOT VALID;', 'ALTER TABLE "User" VALIDATE CONSTRAINT "User_email_nn";'],
      sql: 'ALTER TABLE "User" ALTER COLUMN "email" SET NOT NULL;\nALTER TABLE "User" DROP CONSTRAINT "User_email_nn";',
    },
    {
      name: 'a valid CHECK from the history, validated in this file',
      history: ['CREATE TABLE t (c int);', 'ALTER TABLE t ADD CONSTRAINT t_c_nn CHECK (c IS NOT NULL) NOT VALID;'],
      sql: 'ALTER TABLE t VALIDATE CONSTRAINT t_c_nn;\nALTER TABLE t ALTER COLUMN c SET NOT NULL;',
    },
    { name: 'the column is already NOT NULL (an earlier migration): a no-op, no scan', history: ['CREATE TABLE "User" ("id" TEXT NOT NULL, "email" TEXT NOT NULL);'], sql: 'ALTER TABLE "User" ALTER COLUMN "email" SET NOT NULL;' },
    { name: 'a CHECK added valid by the CREATE TABLE of an earlier migration', history: ['CREATE TABLE t (c int CHECK (c IS NOT NULL));'], sql: 'ALTER TABLE t ALTER COLUMN c SET NOT NULL;' },
  ],
  invalid: [
    {
      name: 'Prisma',
      path: '/p/prisma/migrations/20240101000000_required/migration.sql',
      sql: '-- AlterTable\nALTER TABLE "User" ALTER COLUMN "email" SET NOT NULL;\n',
      errors: [{ text: 'ALTER COLUMN "email" SET NOT NULL', message: /"User"\."email".*ACCESS EXCLUSIVE.*CHECK \("email" IS NOT NULL\) NOT VALID/ }],
    },
    {
      name: 'several subcommands on a schema-qualified table',
      sql: 'ALTER TABLE IF EXISTS app.orders ALTER COLUMN a SET NOT NULL, ALTER b SET DEFAULT 0, ALTER COLUMN c SET NOT NULL;',
      errors: [{ text: 'ALTER COLUMN a SET NOT NULL', message: /"app\.orders"\."a"/ }, { text: 'ALTER COLUMN c SET NOT NULL' }],
    },
    {
      name: 'a CHECK that was never validated does not help',
      sql: 'ALTER TABLE t ADD CONSTRAINT t_c_nn CHECK (c IS NOT NULL) NOT VALID;\nALTER TABLE t ALTER COLUMN c SET NOT NULL;',
      errors: [{ text: 'ALTER COLUMN c SET NOT NULL' }],
    },
    {
      name: 'a NOT VALID CHECK from the history that was never validated does not help',
      history: ['CREATE TABLE t (c int);', 'ALTER TABLE t ADD CONSTRAINT t_c_nn CHECK (c IS NOT NULL) NOT VALID;'],
      sql: 'ALTER TABLE t ALTER COLUMN c SET NOT NULL;',
      errors: [{ text: 'ALTER COLUMN c SET NOT NULL' }],
    },
    {
      name: 'the history\'s CHECK is dropped before SET NOT NULL',
      history: ['CREATE TABLE t (c int, CONSTRAINT t_c_nn CHECK (c IS NOT NULL));'],
      sql: 'ALTER TABLE t DROP CONSTRAINT t_c_nn;\nALTER TABLE t ALTER COLUMN c SET NOT NULL;',
      errors: [{ text: 'ALTER COLUMN c SET NOT NULL' }],
    },
    {
      name: 'NOT NULL in the history, but dropped earlier in this file',
      history: ['CREATE TABLE t (c int NOT NULL);'],
      sql: 'ALTER TABLE t ALTER COLUMN c DROP NOT NULL;\nUPDATE t SET c = NULL WHERE c = 0;\nALTER TABLE t ALTER COLUMN c SET NOT NULL;',
      errors: [{ text: 'ALTER COLUMN c SET NOT NULL' }],
    },
    { name: 'a CHECK on another column', history: ['CREATE TABLE t (c int, d int CHECK (d IS NOT NULL));'], sql: 'ALTER TABLE t ALTER COLUMN c SET NOT NULL;', errors: [{}] },
  ],
});
