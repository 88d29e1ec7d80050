import { ruleTests } from '../support/rule-tester';

ruleTests('changing-column-type', {
  valid: [
    { name: 'table created earlier in the same file', sql: 'CREATE TABLE "Post" ("id" INTEGER, "title" VARCHAR(100));\nALTER TABLE "Post" ALTER COLUMN "title" SET DATA TYPE TEXT;' },
    { name: 'other column changes', sql: 'ALTER TABLE t ALTER COLUMN c SET DEFAULT 0, ALTER COLUMN c DROP NOT NULL;' },
    { name: 'widening a varchar added in this file', sql: 'ALTER TABLE t ADD COLUMN code varchar(10);\nALTER TABLE t ALTER COLUMN code TYPE varchar(20);' },
    { name: 'numeric precision raised, same scale', sql: 'ALTER TABLE t ADD COLUMN price numeric(10,2);\nALTER TABLE t ALTER COLUMN price TYPE numeric(12,2);' },
  ],
  invalid: [
    {
      name: 'Prisma',
      path: '/p/prisma/migrations/20240101000000_bigint/migration.sql',
      sql: '-- AlterTable\nALTER TABLE "Order" ALTER COLUMN "amount" SET DATA TYPE BIGINT;\n',
      errors: [{ text: 'ALTER COLUMN "amount" SET DATA TYPE BIGINT', message: /"Order"\."amount" to BIGINT rewrites the whole table.*ACCESS EXCLUSIVE/ }],
    },
    {
      name: 'text target with unknown source: the message says how to tell',
      sql: 'ALTER TABLE IF EXISTS app.users ALTER COLUMN name TYPE text, ALTER COLUMN age TYPE smallint USING age::smallint;',
      errors: [{ text: 'ALTER COLUMN name TYPE text', message: /binary-coercible/ }, { text: 'ALTER COLUMN age TYPE smallint USING age::smallint', message: /^(?!.*binary-coercible)/ }],
    },
    {
      name: 'varchar to text after an earlier change in this file: only the first change is reported',
      sql: 'ALTER TABLE app.t ALTER COLUMN c TYPE varchar(50);\nALTER TABLE app.t ALTER COLUMN c TYPE text;',
      errors: [{ text: 'ALTER COLUMN c TYPE varchar(50)' }],
    },
    { name: 'narrowing a varchar added in this file', sql: 'ALTER TABLE t ADD COLUMN code varchar(20);\nALTER TABLE t ALTER COLUMN code TYPE varchar(10);', errors: [{ message: /to varchar\(10\)/ }] },
    { name: 'timestamp with time zone', sql: 'ALTER TABLE t ALTER created_at TYPE timestamp(3) with time zone;', errors: [{ message: /to timestamp\(3\) with time zone rewrites/ }] },
  ],
});
