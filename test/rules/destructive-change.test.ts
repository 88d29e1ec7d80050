import { readFileSync } from 'node:fs';
import path from 'node:path';
import { catalogRuleTests } from '../support/catalog-rule-tester';
import { ruleTests } from '../support/rule-tester';

const corpus = path.resolve(__dirname, '../../../shared/corpus');
// A real Prisma migration with the "Warnings:" header Prisma Migrate writes (civitai).
const prismaDropColumn = readFileSync(path.join(corpus, 'civitai__civitai/packages/civitai-db-schema/prisma/migrations/20241016185054_announcement_disabled/migration.sql'), 'utf8');

ruleTests('destructive-change', {
  valid: [
    { name: 'a diesel down.sql undoes its up: not destructive', path: '/p/migrations/2024-01-01-000000_add_t/down.sql', sql: 'DROP TABLE t;' },
    { name: 'a golang-migrate .down.sql', path: '/p/migrations/000002_add_t.down.sql', sql: 'DROP TABLE t;' },
    { name: 'the Down section of a goose file', sql: '-- +goose Up\nCREATE TABLE t (id int);\n-- +goose Down\nDROP TABLE t;' },
    { sql: 'CREATE TABLE t (id int); ALTER TABLE t ADD COLUMN name text;' },
    { sql: 'DELETE FROM sessions WHERE expires_at < now();' },
    { sql: "UPDATE users SET role = 'member' WHERE role IS NULL;" },
    { name: 'widening varchar', sql: 'CREATE TABLE t (name varchar(50)); ALTER TABLE t ALTER COLUMN name TYPE varchar(100);' },
    { name: 'varchar to text', sql: 'CREATE TABLE t (name varchar(50)); ALTER TABLE t ALTER COLUMN name TYPE text;' },
    { name: 'integer to bigint', sql: 'CREATE TABLE t (n int); ALTER TABLE t ALTER COLUMN n TYPE bigint;' },
    { name: 'DROP INDEX loses no data', sql: 'DROP INDEX users_email_idx;' },
    { name: 'timestamp(3) → timestamptz(3) in the same file', sql: 'CREATE TABLE t (at timestamp(3)); ALTER TABLE t ALTER COLUMN at TYPE timestamptz(3);' },
    {
      name: 'a scratch table made and dropped in the same migration (civitai 20251017171807_thread)',
      sql: 'SELECT "threadId", COUNT(*) AS count INTO temp_comment_counts FROM "CommentV2" GROUP BY "threadId";\nUPDATE "Thread" t SET "commentCount" = c.count FROM temp_comment_counts c WHERE c."threadId" = t.id;\nDROP TABLE temp_comment_counts;',
    },
    { name: 'narrowing a column of a table created in the same file: it holds no rows yet', sql: 'CREATE TABLE t (name varchar(100), code text, price numeric(12,4)); ALTER TABLE t ALTER COLUMN name TYPE varchar(20), ALTER COLUMN code TYPE integer USING code::integer, ALTER COLUMN price TYPE numeric(12,2);' },
    { name: 'a temp table emptied and dropped', sql: 'CREATE TEMP TABLE tmp_ids (id int);\nDELETE FROM tmp_ids;\nTRUNCATE tmp_ids;\nUPDATE tmp_ids SET id = 0;\nALTER TABLE tmp_ids DROP COLUMN id;\nDROP TABLE tmp_ids;' },
  ],
  invalid: [
    { sql: 'DROP TABLE accounts;', errors: [{ text: 'DROP TABLE accounts;', message: /deletes table "accounts" and every row/ }] },
    { sql: 'DROP SCHEMA legacy CASCADE;', errors: [{ message: /schema "legacy" and, with CASCADE, every table/ }] },
    { sql: 'TRUNCATE audit_log, events;', errors: [{ message: /every row of "audit_log", "events"/ }] },
    { name: 'a scratch table beside an existing one: only the existing one is named', sql: 'CREATE TABLE scratch (id int);\nTRUNCATE scratch, audit_log;\nDROP TABLE scratch, accounts;', errors: [{ message: /every row of "audit_log";/ }, { message: /deletes table "accounts"/ }] },
    { sql: 'DELETE FROM sessions;', errors: [{ message: /DELETE without WHERE deletes every row of "sessions"/ }] },
    { sql: "UPDATE users SET role = 'member';", errors: [{ message: /overwrites "role" in every row of "users"/ }] },
    { sql: 'ALTER TABLE users ADD COLUMN a int, DROP COLUMN legacy_id;', errors: [{ text: 'DROP COLUMN legacy_id', message: /"users"."legacy_id" and all its values/ }] },
    {
      name: 'a real Prisma migration: the Warnings header is quoted',
      path: '/project/prisma/migrations/20241016185054_announcement_disabled/migration.sql',
      sql: prismaDropColumn,
      errors: [{ text: 'DROP COLUMN "enabled"', message: /Prisma warned when it generated this migration: "You are about to drop the column `enabled` on the `Announcement` table\. All the data in the column will be lost\."/ }],
    },
  ],
});

// Narrowing against the type an earlier migration gave the column, and Prisma's way of dropping enum values.
catalogRuleTests('destructive-change', {
  valid: [
    { files: { 'migrations/001_init.sql': 'CREATE TABLE t (name varchar(50));', 'migrations/002_wider.sql': 'ALTER TABLE t ALTER COLUMN name TYPE varchar(200);' } },
    { files: { 'migrations/001_init.sql': "CREATE TYPE role AS ENUM ('a', 'b');", 'migrations/002_add.sql': "ALTER TYPE role ADD VALUE 'c';" } },
    {
      name: 'Prisma: TIMESTAMP(3) → TIMESTAMPTZ(3) keeps every instant (the down converts back in the same zone)',
      files: {
        'prisma/migrations/1_init/migration.sql': 'CREATE TABLE "User" ("id" TEXT NOT NULL, "createdAt" TIMESTAMP(3) NOT NULL);',
        'prisma/migrations/2_tz/migration.sql': 'ALTER TABLE "User" ALTER COLUMN "createdAt" SET DATA TYPE TIMESTAMPTZ(3);',
      },
    },
    {
      name: 'cidr → inet, varbit widening, numeric relaxed',
      files: {
        'migrations/001_init.sql': 'CREATE TABLE t (net cidr, flags varbit(8), price numeric(10,2));',
        'migrations/002_widen.sql': 'ALTER TABLE t ALTER COLUMN net TYPE inet, ALTER COLUMN flags TYPE varbit(16), ALTER COLUMN price TYPE numeric;',
      },
    },
    {
      name: 'a CREATE TABLE … AS column whose type the catalog cannot derive (a user function) is not called narrowed',
      files: { 'migrations/001_init.sql': 'CREATE TABLE t AS SELECT my_fn(1) AS code;', 'migrations/002_retype.sql': 'ALTER TABLE t ALTER COLUMN code TYPE integer USING code::integer;' },
    },
  ],
  invalid: [
    {
      files: { 'migrations/001_init.sql': 'CREATE TABLE t (name varchar(200), n bigint);', 'migrations/002_narrow.sql': 'ALTER TABLE t ALTER COLUMN name TYPE varchar(20), ALTER COLUMN n TYPE integer;' },
      errors: [
        { file: 'migrations/002_narrow.sql', text: 'ALTER COLUMN name TYPE varchar(20)', message: /from character varying\(200\) to character varying\(20\)/ },
        { file: 'migrations/002_narrow.sql', text: 'ALTER COLUMN n TYPE integer', message: /values outside the integer range/ },
      ],
    },
    {
      name: 'a CREATE TABLE … AS column typed by its query (count → bigint) narrowed to integer',
      files: { 'migrations/001_init.sql': 'CREATE TABLE src (id int); CREATE TABLE totals AS SELECT count(*) AS n FROM src;', 'migrations/002_narrow.sql': 'ALTER TABLE totals ALTER COLUMN n TYPE integer;' },
      errors: [{ file: 'migrations/002_narrow.sql', text: 'ALTER COLUMN n TYPE integer', message: /from bigint to integer narrows it/ }],
    },
    {
      name: 'shorter varchar, text to integer, numeric precision down, on a table an earlier migration made',
      files: {
        'migrations/001_init.sql': 'CREATE TABLE t (name varchar(100), code text, price numeric(12,4));',
        'migrations/002_narrow.sql': 'ALTER TABLE t ALTER COLUMN name TYPE varchar(20), ALTER COLUMN code TYPE integer USING code::integer, ALTER COLUMN price TYPE numeric(12,2);',
      },
      errors: [
        { file: 'migrations/002_narrow.sql', message: /from character varying\(100\) to character varying\(20\) narrows it: values longer than 20 characters/ },
        { file: 'migrations/002_narrow.sql', message: /from text to integer narrows it: text that does not parse as integer/ },
        { file: 'migrations/002_narrow.sql', message: /digits beyond scale 2 are rounded away/ },
      ],
    },
    {
      name: 'timestamp(6) → timestamptz(3) rounds',
      files: { 'migrations/001_init.sql': 'CREATE TABLE t (at timestamp);', 'migrations/002_tz.sql': 'ALTER TABLE t ALTER COLUMN at TYPE timestamptz(3);' },
      errors: [{ file: 'migrations/002_tz.sql', message: /from timestamp without time zone to timestamp\(3\) with time zone narrows it: fractional seconds are rounded away/ }],
    },
    {
      name: 'Prisma recreates an enum without a value',
      files: {
        'prisma/migrations/1_init/migration.sql': `CREATE TYPE "Role" AS ENUM ('ADMIN', 'MEMBER', 'GUEST');\nCREATE TABLE "User" ("id" SERIAL PRIMARY KEY, "role" "Role" NOT NULL);`,
        'prisma/migrations/2_drop_guest/migration.sql': `/*
  Warnings:

  - The values [GUEST] on the enum \`Role\` will be removed. If these variants are still used in the database, this will fail.

*/
-- AlterEnum
BEGIN;
CREATE TYPE "Role_new" AS ENUM ('ADMIN', 'MEMBER');
ALTER TABLE "User" ALTER COLUMN "role" TYPE "Role_new" USING ("role"::text::"Role_new");
ALTER TYPE "Role" RENAME TO "Role_old";
ALTER TYPE "Role_new" RENAME TO "Role";
DROP TYPE "Role_old";
COMMIT;
`,
      },
      errors: [{ file: 'prisma/migrations/2_drop_guest/migration.sql', text: 'ALTER TYPE "Role_new" RENAME TO "Role";', message: /Enum "Role" loses value 'GUEST'.*Prisma warned.*The values \[GUEST\] on the enum `Role` will be removed/ }],
    },
  ],
});
