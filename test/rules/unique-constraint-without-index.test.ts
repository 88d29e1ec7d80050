import { ruleTests } from '../support/rule-tester';

ruleTests('unique-constraint-without-index', {
  valid: [
    { sql: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;' },
    { name: 'table created earlier in the same file', sql: 'CREATE TABLE "User" ("id" TEXT, "email" TEXT);\nALTER TABLE "User" ADD CONSTRAINT "User_pkey" PRIMARY KEY ("id"), ADD UNIQUE ("email");' },
    { name: 'foreign keys are another rule', sql: 'ALTER TABLE t ADD CONSTRAINT t_u_fkey FOREIGN KEY (u) REFERENCES u (id);' },
    { name: 'ADD COLUMN … UNIQUE on a table created in the same file', sql: 'CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN code text UNIQUE;' },
    { name: 'the recommended two steps', sql: 'CREATE UNIQUE INDEX CONCURRENTLY t_a_key ON t (a);\nALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE USING INDEX t_a_key;' },
  ],
  invalid: [
    {
      name: 'ADD COLUMN … UNIQUE on an existing table',
      sql: 'ALTER TABLE "User" ADD COLUMN "username" TEXT UNIQUE;',
      errors: [{ text: 'ADD COLUMN "username" TEXT UNIQUE', message: /column "username" with UNIQUE to existing table "User" builds unique index "User_username_key".*ACCESS EXCLUSIVE/ }],
    },
    {
      name: 'ADD COLUMN … SERIAL PRIMARY KEY on an existing table',
      sql: 'ALTER TABLE legacy ADD COLUMN id SERIAL PRIMARY KEY;',
      errors: [{ text: 'ADD COLUMN id SERIAL PRIMARY KEY', message: /column "id" with PRIMARY KEY to existing table "legacy" builds unique index "legacy_pkey"/ }],
    },
    {
      sql: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);\n',
      errors: [{ text: 'ADD CONSTRAINT users_email_key UNIQUE (email)', message: /UNIQUE constraint "users_email_key" to existing table "users".*ACCESS EXCLUSIVE.*CONCURRENTLY/ }],
      output: 'CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);\nALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;\n',
    },
    {
      name: 'unnamed, quoted, schema-qualified, with other subcommands',
      sql: 'ALTER TABLE "app"."Account" ADD COLUMN "slug" TEXT, ADD UNIQUE NULLS NOT DISTINCT ("tenantId", "slug");\n',
      errors: [{ text: 'ADD UNIQUE NULLS NOT DISTINCT ("tenantId", "slug")', message: /"Account_tenantId_slug_key" to existing table "app\.Account"/ }],
      output: 'CREATE UNIQUE INDEX CONCURRENTLY "Account_tenantId_slug_key" ON "app"."Account" ("tenantId", "slug") NULLS NOT DISTINCT;\n'
        + 'ALTER TABLE "app"."Account" ADD COLUMN "slug" TEXT, ADD CONSTRAINT "Account_tenantId_slug_key" UNIQUE USING INDEX "Account_tenantId_slug_key";\n',
    },
    {
      name: 'primary key, an ignore comment stays on its statement',
      sql: '-- pgvet-ignore require-lock-timeout\nALTER TABLE IF EXISTS orders ADD PRIMARY KEY (id);\n',
      errors: [{ message: /PRIMARY KEY constraint "orders_pkey".*NOT NULL/ }],
      output: 'CREATE UNIQUE INDEX CONCURRENTLY orders_pkey ON orders (id);\n-- pgvet-ignore require-lock-timeout\nALTER TABLE IF EXISTS orders ADD CONSTRAINT orders_pkey PRIMARY KEY USING INDEX orders_pkey;\n',
    },
    {
      name: 'in a Prisma migration of several statements the note says CONCURRENTLY cannot run there',
      path: '/p/prisma/migrations/20240101000000_unique/migration.sql',
      sql: 'ALTER TABLE "User" ADD COLUMN "nick" TEXT;\nALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE ("email") INCLUDE ("name") DEFERRABLE;\n',
      errors: [{ message: /cannot run inside a transaction/ }],
      // The CONCURRENTLY statement would fail in this transaction: no fix.
      output: 'ALTER TABLE "User" ADD COLUMN "nick" TEXT;\nALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE ("email") INCLUDE ("name") DEFERRABLE;\n',
    },
    {
      name: 'Prisma, the only statement: the index would make it two statements, one implicit transaction, so no fix',
      path: '/p/prisma/migrations/20240101000000_unique/migration.sql',
      sql: 'ALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE ("email");\n',
      errors: [{ message: /one transaction/ }],
      output: 'ALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE ("email");\n',
    },
    {
      name: 'INCLUDE and DEFERRABLE carried over (a plain file)',
      sql: 'ALTER TABLE "User" ADD COLUMN "nick" TEXT;\nALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE ("email") INCLUDE ("name") DEFERRABLE;\n',
      errors: [{ message: /"User_email_key"/ }],
      output: 'ALTER TABLE "User" ADD COLUMN "nick" TEXT;\nCREATE UNIQUE INDEX CONCURRENTLY "User_email_key" ON "User" ("email") INCLUDE ("name");\nALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE USING INDEX "User_email_key" DEFERRABLE;\n',
    },
    { name: 'WITH storage parameters: reported without a fix', sql: 'ALTER TABLE t ADD UNIQUE (a) WITH (fillfactor = 70);', errors: [{ message: /"t_a_key"/ }], output: 'ALTER TABLE t ADD UNIQUE (a) WITH (fillfactor = 70);' },
  ],
});
