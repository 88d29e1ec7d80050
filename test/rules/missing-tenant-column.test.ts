import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogRuleTests } from '../support/catalog-rule-tester';
import { DS, prismaFixed } from '../support/prisma-fix';

const tenants = 'CREATE TABLE tenants (id uuid PRIMARY KEY, name text);\n';

catalogRuleTests('missing-tenant-column', {
  valid: [
    { name: 'no tenancy in sight', files: { 'migrations/001.sql': 'CREATE TABLE a (id int PRIMARY KEY);\n' } },
    { name: 'column added by a later migration', files: { 'migrations/001.sql': tenants + 'CREATE TABLE a (id int PRIMARY KEY);\n', 'migrations/002.sql': 'ALTER TABLE a ADD COLUMN tenant_id uuid REFERENCES tenants;\n' } },
    { name: 'excluded tables', files: { 'migrations/001.sql': tenants + 'CREATE TABLE plans (id int);\nCREATE TABLE ref_countries (code text);\n' }, options: { exclude: ['plans', 'ref_*'] } },
    { name: 'the table was dropped', files: { 'migrations/001.sql': tenants + 'CREATE TABLE a (id int);\n', 'migrations/002.sql': 'DROP TABLE a;\n' } },
    {
      name: 'guessed tenancy: a child row belongs to a tenant through its parent',
      files: { 'migrations/001.sql': tenants + 'CREATE TABLE orders (id int PRIMARY KEY, tenant_id uuid REFERENCES tenants);\nCREATE TABLE order_lines (order_id int REFERENCES orders);\n' },
    },
    { name: 'mode off', files: { 'migrations/001.sql': tenants + 'CREATE TABLE a (id int);\n' }, options: { mode: 'off' } },
    {
      name: 'Prisma: tenantId matches tenant_id',
      prisma: 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\nmodel Tenant {\n  id String @id\n  @@map("tenants")\n}\nmodel Order {\n  id Int @id\n  tenantId String\n}\n',
    },
  ],
  invalid: [
    {
      name: 'Prisma: a model without tenantId, reported on the model',
      prisma: 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\nmodel Tenant {\n  id String @id\n  @@map("tenants")\n}\nmodel Invoice {\n  id Int @id\n}\n',
      errors: [{ text: 'model Invoice {\n  id Int @id\n}', message: /"Invoice" has no "tenant_id" column/ }],
    },
    {
      name: 'a tenants table exists: the column is added as a nullable FK with the backfill owed',
      files: { 'migrations/001.sql': tenants + 'CREATE TABLE invoices (id int PRIMARY KEY);\n' },
      errors: [{ text: 'CREATE TABLE invoices (id int PRIMARY KEY);', message: /"invoices" has no "tenant_id" column, but this schema is multi-tenant \(a "tenants" table exists\)/ }],
      output: { 'migrations/001.sql': tenants + 'CREATE TABLE invoices (id int PRIMARY KEY);\nALTER TABLE invoices ADD COLUMN tenant_id uuid REFERENCES tenants (id);\nCREATE INDEX invoices_tenant_id_idx ON invoices (tenant_id);\n-- TODO: backfill tenant_id, then SET NOT NULL\n' },
    },
    {
      name: 'the column was dropped later; other tables have it',
      files: {
        'migrations/001.sql': 'CREATE TABLE a (id int, tenant_id int);\nCREATE TABLE b (id int, tenant_id int);\n',
        'migrations/002.sql': 'ALTER TABLE b DROP COLUMN tenant_id;\n',
      },
      errors: [{ file: 'migrations/001.sql', text: 'CREATE TABLE b (id int, tenant_id int);', message: /1 table has a "tenant_id" column/ }],
    },
    {
      name: 'declared tenancy: the child table is reported too',
      files: { 'migrations/001.sql': tenants + 'CREATE TABLE orders (id int PRIMARY KEY, tenant_id uuid REFERENCES tenants);\nCREATE TABLE order_lines (order_id int REFERENCES orders);\n' },
      project: { tenant: { mode: 'on' } },
      errors: [{ text: 'CREATE TABLE order_lines (order_id int REFERENCES orders);', message: /multi-tenancy is on in pgvet\.json/ }],
    },
    {
      name: 'Prisma-style "Tenant" table found through the tenantId foreign keys; it is exempt itself',
      files: { 'migrations/001.sql': 'CREATE TABLE "Tenant" ("id" UUID PRIMARY KEY);\nCREATE TABLE "Workflow" ("id" UUID PRIMARY KEY, "tenantId" UUID NOT NULL REFERENCES "Tenant" ("id"));\nCREATE TABLE "User" ("id" UUID PRIMARY KEY);\n' },
      errors: [{ text: 'CREATE TABLE "User" ("id" UUID PRIMARY KEY);', message: /"User" has no "tenantId" column.*foreign key to "Tenant"/ }],
      output: { 'migrations/001.sql': 'CREATE TABLE "Tenant" ("id" UUID PRIMARY KEY);\nCREATE TABLE "Workflow" ("id" UUID PRIMARY KEY, "tenantId" UUID NOT NULL REFERENCES "Tenant" ("id"));\nCREATE TABLE "User" ("id" UUID PRIMARY KEY);\nALTER TABLE "User" ADD COLUMN "tenantId" uuid REFERENCES "Tenant" (id);\nCREATE INDEX "User_tenantId_idx" ON "User" ("tenantId");\n-- TODO: backfill tenantId, then SET NOT NULL\n' },
    },
    {
      name: 'option column',
      files: { 'migrations/001.sql': 'CREATE TABLE orgs (id bigint PRIMARY KEY);\nCREATE TABLE docs (id int);\n' },
      project: { tenant: { table: 'orgs' } },
      options: { column: 'org_id' },
      errors: [{ text: 'CREATE TABLE docs (id int);', message: /"org_id"/ }],
      output: { 'migrations/001.sql': 'CREATE TABLE orgs (id bigint PRIMARY KEY);\nCREATE TABLE docs (id int);\nALTER TABLE docs ADD COLUMN org_id bigint REFERENCES orgs (id);\nCREATE INDEX docs_org_id_idx ON docs (org_id);\n-- TODO: backfill org_id, then SET NOT NULL\n' },
    },
  ],
});


test('Prisma fix: tenantId like the other models, its relation, and the back-relation on the tenants model', () => {
  const schema = DS + [
    'model Tenant {',
    '  id    String  @id @default(uuid()) @db.Uuid',
    '  users User[]',
    '',
    '  @@map("tenants")',
    '}',
    '',
    'model User {',
    '  id       Int    @id',
    '  tenantId String @map("tenant_id") @db.Uuid',
    '  tenant   Tenant @relation(fields: [tenantId], references: [id])',
    '}',
    '',
    'model Invoice {',
    '  id    Int @id',
    '  total Int',
    '}',
    '',
  ].join('\n');
  assert.equal(prismaFixed('missing-tenant-column', schema), DS + [
    'model Tenant {',
    '  id       String    @id @default(uuid()) @db.Uuid',
    '  users    User[]',
    '  invoices Invoice[]',
    '',
    '  @@map("tenants")',
    '}',
    '',
    'model User {',
    '  id       Int    @id',
    '  tenantId String @map("tenant_id") @db.Uuid',
    '  tenant   Tenant @relation(fields: [tenantId], references: [id])',
    '}',
    '',
    'model Invoice {',
    '  id       Int     @id',
    '  total    Int',
    '  tenantId String? @map("tenant_id") @db.Uuid // TODO: backfill tenantId, then make it required',
    '  tenant   Tenant? @relation(fields: [tenantId], references: [id])',
    '}',
    '',
  ].join('\n'));
});
