import { catalogRuleTests } from '../support/catalog-rule-tester';
import { DS } from '../support/prisma-fix';

// Prisma Migrate's own SQL (umami's prisma/migrations/01_init): the prisma preset's names.
const umami = `CREATE TABLE "user" ("user_id" UUID NOT NULL, "username" VARCHAR(255) NOT NULL, CONSTRAINT "user_pkey" PRIMARY KEY ("user_id"));
CREATE TABLE "website" ("website_id" UUID NOT NULL, "user_id" UUID, CONSTRAINT "website_pkey" PRIMARY KEY ("website_id"));
CREATE UNIQUE INDEX "user_username_key" ON "user"("username");
CREATE INDEX "website_user_id_idx" ON "website"("user_id");
ALTER TABLE "website" ADD CONSTRAINT "website_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("user_id") ON DELETE SET NULL ON UPDATE CASCADE;
`;
// The names PostgreSQL generates when none is given.
const generated = 'CREATE TABLE users (id bigint PRIMARY KEY, email text UNIQUE, org_id bigint REFERENCES users (id));\nCREATE INDEX ON users (org_id);\nCREATE UNIQUE INDEX ON users (lower(email));\n';

catalogRuleTests('naming-convention', {
  valid: [
    { name: 'nothing configured', files: { 'migrations/001.sql': 'CREATE TABLE "Weird Name" (id int CONSTRAINT whatever PRIMARY KEY);\n' } },
    { name: 'Prisma Migrate SQL follows the prisma preset', files: { 'prisma/migrations/01_init/migration.sql': umami }, options: { preset: 'prisma' } },
    { name: 'PostgreSQL-generated names follow the postgres preset (an expression index is not judged)', files: { 'migrations/001.sql': generated }, options: { preset: 'postgres' } },
    { name: 'a collision suffix PostgreSQL adds is fine', files: { 'migrations/001.sql': 'CREATE TABLE t (a int);\nCREATE INDEX ON t (a);\nCREATE INDEX ON t (a);\n' }, options: { preset: 'postgres' } },
    { name: 'snake_case tables and columns', files: { 'migrations/001.sql': generated }, options: { tables: '^[a-z][a-z0-9_]*$', columns: '^[a-z][a-z0-9_]*$' } },
    {
      name: 'a Prisma schema with default names',
      prisma: `${DS}model User {\n  id    Int    @id\n  email String @unique\n  posts Post[]\n}\n\nmodel Post {\n  id       Int  @id\n  authorId Int\n  author   User @relation(fields: [authorId], references: [id])\n\n  @@index([authorId])\n}\n`,
      options: { preset: 'prisma' },
    },
    {
      name: 'Prisma\'s implicit many-to-many table (trigger.dev\'s 20250320130354 migration)',
      files: { 'prisma/migrations/20250320130354_m2m/migration.sql': 'CREATE TABLE "_BackgroundWorkerToTaskQueue" ("A" TEXT NOT NULL, "B" TEXT NOT NULL);\nCREATE UNIQUE INDEX "_BackgroundWorkerToTaskQueue_AB_unique" ON "_BackgroundWorkerToTaskQueue"("A", "B");\nCREATE INDEX "_BackgroundWorkerToTaskQueue_B_index" ON "_BackgroundWorkerToTaskQueue"("B");\n' },
      options: { preset: 'prisma' },
    },
    {
      name: 'the same after Prisma re-created column A (hatchet\'s v0_7_0)',
      files: { 'prisma/migrations/01/migration.sql': 'CREATE TABLE "_ActionToWorker" ("A" TEXT NOT NULL, "B" UUID NOT NULL);\nALTER TABLE "_ActionToWorker" DROP COLUMN "A", ADD COLUMN "A" UUID NOT NULL;\nCREATE UNIQUE INDEX "_ActionToWorker_AB_unique" ON "_ActionToWorker"("A", "B");\n' },
      options: { preset: 'prisma' },
    },
    {
      name: 'partial indexes keep descriptive names (civitai\'s tags_on_image_new)',
      files: { 'migrations/001.sql': 'CREATE TABLE "TagsOnImageNew" ("attributes" int NOT NULL);\nCREATE INDEX "TagsOnImageNew_needsReview_idx" ON "TagsOnImageNew" ("attributes") WHERE ("attributes" & 1 << 09) != 0;\nCREATE INDEX "TagsOnImageNew_disabled_idx" ON "TagsOnImageNew" ("attributes") WHERE ("attributes" & 1 << 10) != 0;\n' },
      options: { preset: 'prisma' },
    },
  ],
  invalid: [
    {
      name: 'hand-named keys against the postgres preset: renamed after the statement',
      files: { 'migrations/001.sql': 'CREATE TABLE users (id bigint CONSTRAINT pk_users PRIMARY KEY, org_id bigint);\nCREATE INDEX idx_users_org ON users (org_id);\n' },
      options: { preset: 'postgres' },
      errors: [
        { text: 'CREATE TABLE users (id bigint CONSTRAINT pk_users PRIMARY KEY, org_id bigint);', message: /Primary key "pk_users" on "users" does not follow the postgres preset \("users_pkey"\)/ },
        { text: 'CREATE INDEX idx_users_org ON users (org_id);', message: /Index "idx_users_org" on "users" does not follow the postgres preset \("users_org_id_idx"\)/ },
      ],
      output: {
        'migrations/001.sql': 'CREATE TABLE users (id bigint CONSTRAINT pk_users PRIMARY KEY, org_id bigint);\nALTER TABLE users RENAME CONSTRAINT pk_users TO users_pkey;\nCREATE INDEX idx_users_org ON users (org_id);\nALTER INDEX idx_users_org RENAME TO users_org_id_idx;\n',
      },
    },
    {
      name: 'a unique index: PostgreSQL says _idx, Prisma says _key',
      files: { 'migrations/001.sql': 'CREATE TABLE "user" ("username" text);\nCREATE UNIQUE INDEX "user_username_key" ON "user"("username");\n' },
      options: { preset: 'postgres' },
      errors: [{ text: 'CREATE UNIQUE INDEX "user_username_key" ON "user"("username");', message: /\("user_username_idx"\)/ }],
    },
    {
      name: 'patterns with {table}',
      files: { 'migrations/001.sql': 'CREATE TABLE "Orders" (id int PRIMARY KEY, "customerId" int);\n' },
      options: { tables: '^[a-z_]+$', columns: '^[a-z_]+$', primaryKey: '^pk_{table}$' },
      errors: [
        { text: 'CREATE TABLE "Orders" (id int PRIMARY KEY, "customerId" int);', message: /Table "Orders" does not follow the pattern/ },
        { text: 'CREATE TABLE "Orders" (id int PRIMARY KEY, "customerId" int);', message: /Column "customerId" of "Orders"/ },
        { text: 'CREATE TABLE "Orders" (id int PRIMARY KEY, "customerId" int);', message: /Primary key "Orders_pkey" on "Orders" does not follow the pattern \^pk_\{table\}\$/ },
      ],
    },
  ],
});
