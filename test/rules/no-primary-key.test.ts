import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogRuleTests } from '../support/catalog-rule-tester';
import { DS, prismaFixed } from '../support/prisma-fix';

catalogRuleTests('no-primary-key', {
  valid: [
    { name: 'Prisma: @@id is a key', prisma: 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\nmodel M {\n  a Int\n  b Int\n  @@id([a, b])\n}\n' },
    { name: 'key added in a later migration', files: { 'migrations/001.sql': 'CREATE TABLE t (id int NOT NULL);\n', 'migrations/002.sql': 'ALTER TABLE t ADD PRIMARY KEY (id);\n' } },
    { name: 'views are not tables', files: { 'migrations/001.sql': 'CREATE TABLE t (id int PRIMARY KEY);\nCREATE VIEW v AS SELECT id FROM t;\n' } },
    {
      name: 'partitions inherit the key of the partitioned table',
      files: { 'migrations/001.sql': "CREATE TABLE m (id int, at date, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);\nCREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n" },
    },
    { name: 'the keyless table was dropped', files: { 'migrations/001.sql': 'CREATE TABLE t (a int);\n', 'migrations/002.sql': 'DROP TABLE t;\n' } },
  ],
  invalid: [
    {
      files: { 'migrations/001.sql': 'CREATE TABLE events (payload jsonb);\n' },
      errors: [{ text: 'CREATE TABLE events (payload jsonb);', message: /"events" has no primary key.*logical replication.*identity column/ }],
    },
    {
      name: 'the key was dropped later; a unique index on NOT NULL columns is suggested',
      files: {
        'migrations/001.sql': 'CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL UNIQUE);\n',
        'migrations/002.sql': 'ALTER TABLE users DROP CONSTRAINT users_pkey;\n',
      },
      errors: [{ file: 'migrations/001.sql', message: /"users_email_key" on NOT NULL columns \(email\)/ }],
    },
    {
      name: 'renamed table: the message uses today\'s name',
      files: { 'migrations/001.sql': 'CREATE TABLE a (x int);\n', 'migrations/002.sql': 'ALTER TABLE a RENAME TO b;\n' },
      errors: [{ file: 'migrations/001.sql', message: /"b" has no primary key/ }],
    },
    {
      name: 'Prisma model without @id (only @@unique)',
      prisma: 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\nmodel Log {\n  a Int\n  b Int\n  @@unique([a, b])\n}\n',
      errors: [{ message: /"Log" has no primary key/ }],
    },
  ],
});


test('Prisma fix: @id on the field named id, the attribute column re-aligned', () => {
  const schema = DS + 'model Event {\n  id      String\n  payload Json   @default("{}")\n  at      DateTime\n}\n';
  assert.equal(prismaFixed('no-primary-key', schema), DS + 'model Event {\n  id      String   @id\n  payload Json     @default("{}")\n  at      DateTime\n}\n');
});

test('Prisma: no fix without a field named id', () => {
  assert.equal(prismaFixed('no-primary-key', DS + 'model Log {\n  a Int\n  b Int\n\n  @@unique([a, b])\n}\n'), undefined);
});
