import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogRuleTests } from '../support/catalog-rule-tester';
import { DS, prismaFixed } from '../support/prisma-fix';

// crates.io's trigger function (migrations/20170706165855_dont_touch_timestamps_unless_row_changed).
const setUpdatedAt = `CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger AS $$
BEGIN
    IF (NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at) THEN
        NEW.updated_at := current_timestamp;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
`;
const crates = 'CREATE TABLE crates (id SERIAL PRIMARY KEY, name VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL DEFAULT now(), updated_at TIMESTAMP NOT NULL DEFAULT now());\n';
const cratesTrigger = 'CREATE TRIGGER trigger_crates_set_updated_at BEFORE UPDATE ON crates FOR EACH ROW EXECUTE PROCEDURE set_updated_at();\n';
const both = { columns: ['created_at', 'updated_at'], updatedAt: { column: 'updated_at' } };

catalogRuleTests('audit-columns', {
  valid: [
    { name: 'nothing configured: nothing to say', files: { 'migrations/001.sql': 'CREATE TABLE a (id int);\n' } },
    { name: 'columns present, updated_at kept by a BEFORE UPDATE trigger', files: { 'migrations/001.sql': setUpdatedAt + crates + cratesTrigger }, options: both },
    { name: 'excluded by a glob', files: { 'migrations/001.sql': 'CREATE TABLE schema_migrations (version text);\n' }, options: { ...both, exclude: ['schema_*'] } },
    { name: 'not included', files: { 'migrations/001.sql': 'CREATE TABLE lookup (code text);\n' }, options: { ...both, include: ['crates'] } },
    { name: 'type compared without typmod', files: { 'migrations/001.sql': 'CREATE TABLE a (created_at timestamp(3) with time zone NOT NULL DEFAULT now());\n' }, options: { columns: [{ name: 'created_at', type: 'timestamptz', notNull: true, default: 'now()' }] } },
    {
      name: 'Prisma: createdAt @default(now()) and updatedAt @updatedAt',
      prisma: `${DS}model Post {\n  id        Int      @id\n  createdAt DateTime @default(now())\n  updatedAt DateTime @updatedAt\n}\n`,
      options: both,
    },
    {
      name: 'Prisma Migrate SQL: updatedAt is set by Prisma Client (@updatedAt), invisible in the migration',
      files: { 'prisma/migrations/20221206131204_init/migration.sql': 'CREATE TABLE "User" ("id" TEXT NOT NULL, "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, "updatedAt" TIMESTAMP(3) NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));\n' },
      options: both,
    },
    {
      name: 'Prisma: the implicit many-to-many table is Prisma\'s',
      prisma: `${DS}model Post {\n  id        Int        @id\n  createdAt DateTime   @default(now())\n  updatedAt DateTime   @updatedAt\n  tags      Tag[]\n}\n\nmodel Tag {\n  id        Int      @id\n  createdAt DateTime @default(now())\n  updatedAt DateTime @updatedAt\n  posts     Post[]\n}\n`,
      options: both,
    },
    {
      name: 'Prisma Migrate SQL: an implicit many-to-many table',
      files: { 'prisma/migrations/20250320130354_add_many_to_many/migration.sql': 'CREATE TABLE "_BackgroundWorkerToTaskQueue" ("A" TEXT NOT NULL, "B" TEXT NOT NULL, CONSTRAINT "_BackgroundWorkerToTaskQueue_AB_pkey" PRIMARY KEY ("A","B"));\n' },
      options: both,
    },
    {
      name: 'a dump of a Prisma-made database: "updatedAt" timestamp(3) without a DEFAULT is Prisma Client\'s @updatedAt (civitai\'s 02_all_dll.sql)',
      files: { 'db/02_all_dll.sql': 'CREATE TABLE public."Announcement" (id integer NOT NULL, "createdAt" timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL, "updatedAt" timestamp(3) without time zone NOT NULL);\n' },
      options: both,
    },
  ],
  invalid: [
    {
      name: 'both columns missing: added with DEFAULT now() NOT NULL, and the trigger the other tables use',
      files: { 'migrations/001.sql': setUpdatedAt + crates + cratesTrigger + 'CREATE TABLE keywords (id SERIAL PRIMARY KEY, keyword VARCHAR NOT NULL);\n' },
      options: both,
      errors: [{ text: 'CREATE TABLE keywords (id SERIAL PRIMARY KEY, keyword VARCHAR NOT NULL);', message: /"keywords" has no "created_at", "updated_at" columns/ }],
      output: {
        'migrations/001.sql': setUpdatedAt + crates + cratesTrigger + 'CREATE TABLE keywords (id SERIAL PRIMARY KEY, keyword VARCHAR NOT NULL);\n'
          + 'ALTER TABLE keywords ADD COLUMN created_at timestamptz DEFAULT now() NOT NULL;\n'
          + 'ALTER TABLE keywords ADD COLUMN updated_at timestamptz DEFAULT now() NOT NULL;\n'
          + 'CREATE TRIGGER set_updated_at BEFORE UPDATE ON keywords FOR EACH ROW EXECUTE FUNCTION set_updated_at();\n',
      },
    },
    {
      name: 'updated_at without a trigger: the configured function is called',
      files: { 'migrations/001.sql': setUpdatedAt + crates },
      options: { updatedAt: { column: 'updated_at', function: 'set_updated_at' } },
      errors: [{ text: crates.trim(), message: /Nothing keeps "updated_at" of "crates" current: it needs a BEFORE UPDATE trigger calling set_updated_at\(\)/ }],
      output: { 'migrations/001.sql': setUpdatedAt + crates + 'CREATE TRIGGER set_updated_at BEFORE UPDATE ON crates FOR EACH ROW EXECUTE FUNCTION set_updated_at();\n' },
    },
    {
      name: 'a trigger calling another function does not count when the function is configured',
      files: { 'migrations/001.sql': setUpdatedAt + crates + cratesTrigger },
      options: { updatedAt: { column: 'updated_at', function: 'audit.touch' } },
      errors: [{ text: crates.trim(), message: /calling audit\.touch\(\)/ }],
    },
    {
      name: 'the trigger was dropped later',
      files: { 'migrations/001.sql': setUpdatedAt + crates + cratesTrigger, 'migrations/002.sql': 'DROP TRIGGER trigger_crates_set_updated_at ON crates;\n' },
      options: both,
      errors: [{ file: 'migrations/001.sql', text: crates.trim(), message: /Nothing keeps "updated_at"/ }],
    },
    {
      name: 'wrong type: reported, no fix (a type change rewrites the table)',
      files: { 'migrations/001.sql': crates },
      options: { columns: [{ name: 'created_at', type: 'timestamptz' }, { name: 'updated_at', type: 'timestamptz' }] },
      errors: [
        { text: crates.trim(), message: /Column "created_at" of "crates" should have type timestamptz \(it is timestamp without time zone\)/ },
        { text: crates.trim(), message: /Column "updated_at"/ },
      ],
    },
    {
      name: 'a name ending in _on is a timestamp too (hoppscotch\'s createdOn)',
      files: { 'migrations/001.sql': 'CREATE TABLE a (id int PRIMARY KEY);\n' },
      options: { columns: ['created_on'] },
      errors: [{ text: 'CREATE TABLE a (id int PRIMARY KEY);', message: /no "created_on" column/ }],
      output: { 'migrations/001.sql': 'CREATE TABLE a (id int PRIMARY KEY);\nALTER TABLE a ADD COLUMN created_on timestamptz DEFAULT now() NOT NULL;\n' },
    },
    {
      name: 'a column of unknown type cannot be added',
      files: { 'migrations/001.sql': 'CREATE TABLE a (id int);\n' },
      options: { columns: ['created_by'] },
      errors: [{ text: 'CREATE TABLE a (id int);', message: /no "created_by" column/ }],
    },
    {
      name: 'Prisma: missing fields',
      prisma: `${DS}model Post {\n  id Int @id\n}\n`,
      options: both,
      errors: [{ message: /"Post" has no "created_at", "updated_at" columns/ }],
    },
  ],
});

test('Prisma: the fix adds createdAt @default(now()) and updatedAt @updatedAt, mapped like the other models', () => {
  const schema = `${DS}model User {\n  id        Int      @id\n  createdAt DateTime @default(now()) @map("created_at")\n  updatedAt DateTime @updatedAt @map("updated_at")\n}\n\nmodel Post {\n  id    Int    @id\n  title String\n}\n`;
  assert.equal(prismaFixed('audit-columns', schema, {}, both), `${DS}model User {\n  id        Int      @id\n  createdAt DateTime @default(now()) @map("created_at")\n  updatedAt DateTime @updatedAt @map("updated_at")\n}\n\nmodel Post {\n  id        Int      @id\n  title     String\n  createdAt DateTime @default(now()) @map("created_at")\n  updatedAt DateTime @updatedAt @map("updated_at")\n}\n`);
});

test('Prisma: an updatedAt field without @updatedAt gets it', () => {
  const schema = `${DS}model Post {\n  id        Int      @id\n  updatedAt DateTime @default(now())\n}\n`;
  assert.equal(prismaFixed('audit-columns', schema, {}, { updatedAt: { column: 'updated_at' } }), `${DS}model Post {\n  id        Int      @id\n  updatedAt DateTime @default(now()) @updatedAt\n}\n`);
});
