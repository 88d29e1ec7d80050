import { ruleTests } from '../support/rule-tester';

ruleTests('adding-required-column', {
  valid: [
    { sql: 'ALTER TABLE t ADD COLUMN c int;' },
    { name: 'with a DEFAULT', sql: 'ALTER TABLE "User" ADD COLUMN "role" TEXT NOT NULL DEFAULT \'member\';' },
    { name: 'identity column', sql: 'ALTER TABLE t ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY NOT NULL;' },
    { name: 'generated column', sql: 'ALTER TABLE t ADD COLUMN total numeric NOT NULL GENERATED ALWAYS AS (price * qty) STORED;' },
    { name: 'serial brings its own default', sql: 'ALTER TABLE t ADD COLUMN n bigserial NOT NULL;' },
    { name: 'table created earlier in the same file', sql: 'CREATE TABLE IF NOT EXISTS app.t (id int);\nALTER TABLE app.t ADD COLUMN c int NOT NULL;' },
  ],
  invalid: [
    {
      name: 'DEFAULT NULL is no default: PostgreSQL stores none, and the NOT NULL fails on the first row',
      sql: 'ALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT NULL;',
      errors: [{ text: 'ADD COLUMN c int NOT NULL DEFAULT NULL', message: /without a DEFAULT/ }],
      output: 'ALTER TABLE t ADD COLUMN c int DEFAULT NULL;',
    },
    { name: 'DEFAULT NULL::text', sql: 'ALTER TABLE t ADD COLUMN c text DEFAULT NULL::text NOT NULL;', errors: [{}], output: 'ALTER TABLE t ADD COLUMN c text DEFAULT NULL::text;' },
    {
      name: 'Prisma',
      path: '/p/prisma/migrations/20240101000000_required/migration.sql',
      sql: '-- AlterTable\nALTER TABLE "User" ADD COLUMN     "tenantId" TEXT NOT NULL;\n',
      errors: [{ text: 'ADD COLUMN     "tenantId" TEXT NOT NULL', message: /NOT NULL column "tenantId" without a DEFAULT to existing table "User".*contains null values/ }],
      output: '-- AlterTable\nALTER TABLE "User" ADD COLUMN     "tenantId" TEXT;\n',
    },
    {
      name: 'several subcommands, schema-qualified, IF NOT EXISTS',
      sql: 'ALTER TABLE app.orders ADD COLUMN IF NOT EXISTS a int NOT NULL DEFAULT 0, ADD COLUMN b text CONSTRAINT b_nn NOT NULL CHECK (b <> \'\');',
      errors: [{ text: 'ADD COLUMN b text CONSTRAINT b_nn NOT NULL CHECK (b <> \'\')', message: /"b".*"app\.orders"/ }],
      output: 'ALTER TABLE app.orders ADD COLUMN IF NOT EXISTS a int NOT NULL DEFAULT 0, ADD COLUMN b text CHECK (b <> \'\');',
    },
    {
      name: 'non-ASCII names keep the offsets right',
      sql: "-- Übersetzung 😀\nALTER TABLE \"Bücher\" ADD COLUMN \"Titel_ü\" text NOT NULL;\n",
      errors: [{ text: 'ADD COLUMN "Titel_ü" text NOT NULL', message: /"Titel_ü".*"Bücher"/ }],
      output: "-- Übersetzung 😀\nALTER TABLE \"Bücher\" ADD COLUMN \"Titel_ü\" text;\n",
    },
    { name: 'ADD without COLUMN', sql: 'alter table t add c uuid not null references u (id);', errors: [{ message: /"c"/ }], output: 'alter table t add c uuid references u (id);' },
  ],
});
