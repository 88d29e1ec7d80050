import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogRuleTests } from '../support/catalog-rule-tester';
import { DS, prismaFixed } from '../support/prisma-fix';

const customers = 'CREATE TABLE customers (id bigint PRIMARY KEY, email text);\n';
const orders = 'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id), total numeric);\n';

catalogRuleTests('unindexed-foreign-key', {
  valid: [
    {
      name: 'FK in migration 1, index in migration 3',
      files: {
        'migrations/001_init.sql': customers + orders,
        'migrations/002_other.sql': 'ALTER TABLE customers ADD COLUMN name text;\n',
        'migrations/003_idx.sql': 'CREATE INDEX orders_customer_id_idx ON orders (customer_id);\n',
      },
    },
    {
      name: 'a composite PK, a UNIQUE constraint or a wider index leads with the FK columns (in any order)',
      files: {
        'migrations/001.sql': customers
          + 'CREATE TABLE tags (id int PRIMARY KEY);\n'
          + 'CREATE TABLE customer_tags (customer_id bigint REFERENCES customers, tag_id int REFERENCES tags, PRIMARY KEY (customer_id, tag_id));\n'
          + 'CREATE TABLE tag_links (tag_id int, customer_id bigint, UNIQUE (tag_id, customer_id));\n'
          + 'ALTER TABLE tag_links ADD FOREIGN KEY (customer_id, tag_id) REFERENCES customer_tags;\n'
          + 'CREATE INDEX ON customer_tags (tag_id, customer_id);\n',
      },
    },
    {
      name: 'the referencing table was dropped later',
      files: { 'migrations/001.sql': customers + orders, 'migrations/002.sql': 'DROP TABLE orders;\n' },
    },
    {
      name: 'the FK column was dropped later',
      files: { 'migrations/001.sql': customers + orders, 'migrations/002.sql': 'ALTER TABLE orders DROP COLUMN customer_id;\n' },
    },
    {
      name: 'Prisma: @@index on the relation field',
      prisma: 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\nmodel User {\n  id Int @id\n  posts Post[]\n}\nmodel Post {\n  id Int @id\n  authorId Int\n  author User @relation(fields: [authorId], references: [id])\n  @@index([authorId])\n}\n',
    },
  ],
  invalid: [
    {
      name: 'FK created with the table: the index goes right after it, without CONCURRENTLY',
      files: { 'migrations/001_init.sql': customers + orders },
      errors: [{
        file: 'migrations/001_init.sql',
        text: orders.trim(),
        message: /Foreign key "orders_customer_id_fkey" on "orders" \(customer_id\).*deleting a row of "customers".*scans all of "orders" to check orders_customer_id_fkey/,
      }],
      output: { 'migrations/001_init.sql': customers + orders + 'CREATE INDEX orders_customer_id_idx ON orders (customer_id);\n' },
    },
    {
      name: 'FK added to an existing table in a plain (non-transactional) file: CONCURRENTLY',
      files: {
        'migrations/001_init.sql': customers + 'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);\n',
        'migrations/002_fk.sql': 'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE;\n',
      },
      errors: [{ file: 'migrations/002_fk.sql', message: /orders_customer_fk.*ON DELETE CASCADE/ }],
      output: {
        'migrations/002_fk.sql': 'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE;\n'
          + 'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);\n',
      },
    },
    {
      name: 'explicit BEGIN: no CONCURRENTLY',
      files: {
        'migrations/001_init.sql': customers + 'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);\n',
        'migrations/002_fk.sql': 'BEGIN;\nALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers;\nCOMMIT;\n',
      },
      errors: [{ text: 'ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers;' }],
      output: { 'migrations/002_fk.sql': 'BEGIN;\nALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers;\nCREATE INDEX orders_customer_id_idx ON orders (customer_id);\nCOMMIT;\n' },
    },
    {
      name: 'Prisma migrations run in a transaction: no CONCURRENTLY; quoted names kept',
      files: {
        'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE "User" ("id" TEXT NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));\nCREATE TABLE "Post" ("id" TEXT NOT NULL, "authorId" TEXT NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));\n',
        'prisma/migrations/20240102000000_fk/migration.sql': 'ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;\n',
      },
      errors: [{ file: 'prisma/migrations/20240102000000_fk/migration.sql', message: /"Post_authorId_fkey" on "Post" \(authorId\)/ }],
      output: {
        'prisma/migrations/20240102000000_fk/migration.sql': 'ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;\n'
          + 'CREATE INDEX "Post_authorId_idx" ON "Post" ("authorId");\n',
      },
    },
    {
      name: 'partial and expression indexes do not count',
      files: {
        'migrations/001.sql': customers + orders,
        'migrations/002.sql': 'CREATE INDEX orders_open ON orders (customer_id) WHERE total > 0;\nCREATE INDEX orders_expr ON orders ((customer_id + 0));\n',
      },
      errors: [{ file: 'migrations/001.sql', text: orders.trim() }],
    },
    {
      name: 'an index on (total, customer_id) does not lead with the FK column',
      files: { 'migrations/001.sql': customers + orders + 'CREATE INDEX orders_total_customer ON orders (total, customer_id);\n' },
      errors: [{ message: /orders_customer_id_fkey/ }],
    },
    {
      name: 'table renamed later: no in-place fix (the name did not exist yet), a new migration instead',
      files: {
        'migrations/001_init.sql': customers + orders,
        'migrations/002_rename.sql': 'ALTER TABLE orders RENAME TO purchases;\n',
      },
      errors: [{ file: 'migrations/001_init.sql', message: /on "purchases" \(customer_id\)/ }],
      output: { 'migrations/003_add_purchases_customer_id_idx.sql': '-- Generated by pgvet.\nCREATE INDEX CONCURRENTLY purchases_customer_id_idx ON purchases (customer_id);\n' },
    },
    {
      name: 'the index was dropped later',
      files: {
        'migrations/001.sql': customers + orders + 'CREATE INDEX orders_customer_id_idx ON orders (customer_id);\n',
        'migrations/002.sql': 'DROP INDEX orders_customer_id_idx;\n',
      },
      errors: [{ file: 'migrations/001.sql', message: /orders_customer_id_fkey/ }],
      output: { 'migrations/001.sql': customers + orders + 'CREATE INDEX orders_customer_id_idx1 ON orders (customer_id);\nCREATE INDEX orders_customer_id_idx ON orders (customer_id);\n' },
    },
    {
      name: 'Prisma schema: reported on the relation',
      prisma: 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\nmodel User {\n  id Int @id\n  posts Post[]\n}\nmodel Post {\n  id Int @id\n  authorId Int\n  author User @relation(fields: [authorId], references: [id])\n}\n',
      errors: [{ message: /"Post_authorId_fkey" on "Post" \(authorId\).*"User"/ }],
    },
    {
      name: 'ignored on the statement',
      files: { 'migrations/001.sql': customers + '-- pgvet-ignore unindexed-foreign-key\n' + orders + 'CREATE TABLE lines (order_id bigint REFERENCES orders);\n' },
      errors: [{ text: 'CREATE TABLE lines (order_id bigint REFERENCES orders);' }],
    },
  ],
});


test('Prisma fix: @@index with the relation\'s field names after a blank line', () => {
  const schema = DS + [
    'model User {',
    '  id    Int    @id',
    '  posts Post[]',
    '}',
    '',
    'model Post {',
    '  id       Int  @id',
    '  authorId Int  @map("author_id")',
    '  author   User @relation(fields: [authorId], references: [id])',
    '}',
    '',
  ].join('\n');
  assert.equal(prismaFixed('unindexed-foreign-key', schema), schema.replace('references: [id])\n}', 'references: [id])\n\n  @@index([authorId])\n}'));
});

test('Prisma fix: a composite relation gets its index where prisma format puts it, before @@map', () => {
  const schema = DS + [
    'model Account {',
    '  orgId Int',
    '  id    Int',
    '  items Item[]',
    '',
    '  @@id([orgId, id])',
    '}',
    '',
    'model Item {',
    '  id        Int     @id',
    '  orgId     Int',
    '  accountId Int',
    '  account   Account @relation(fields: [orgId, accountId], references: [orgId, id])',
    '',
    '  @@map("items")',
    '}',
    '',
  ].join('\n');
  assert.equal(prismaFixed('unindexed-foreign-key', schema), schema.replace('  @@map("items")\n', '  @@index([orgId, accountId])\n  @@map("items")\n'));
});
