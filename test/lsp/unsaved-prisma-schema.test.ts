import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { startOnWorkspace, type WorkspaceSession } from '../support/lsp-client';

// The schema.prisma describing a Prisma Migrate history takes its schema problems onto the models; the history's
// schema findings read that schema through the overlay, so its unsaved text is what counts.
const DATASOURCE = 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n';
const MIGRATION = [
  'CREATE TABLE "User" ("id" INTEGER NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));',
  'CREATE TABLE "Post" ("id" INTEGER NOT NULL, "authorId" INTEGER NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));',
  'ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;',
  '',
].join('\n');
const WITH_RELATION = [DATASOURCE, 'model User {\n  id    Int    @id\n  posts Post[]\n}\n', 'model Post {\n  id       Int  @id\n  authorId Int\n  author   User @relation(fields: [authorId], references: [id])\n}\n'].join('\n');
const WITHOUT_RELATION = [DATASOURCE, 'model User {\n  id Int @id\n}\n', 'model Post {\n  id       Int @id\n  authorId Int\n}\n'].join('\n');

describe('language server: a Prisma schema with unsaved edits is what the history schema findings use', { timeout: 60_000 }, () => {
  let s: WorkspaceSession;
  before(async () => {
    s = await startOnWorkspace('pgvet-unsaved-prisma-', {
      'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
      'prisma/migrations/20240101000000_init/migration.sql': MIGRATION,
      'prisma/schema.prisma': WITH_RELATION,
    });
  });
  after(() => s.dispose());

  test('the unsaved schema no longer declares the relation: the unindexed foreign key comes back on the migration', async () => {
    const schema = pathToFileURL(join(s.root, 'prisma/schema.prisma')).toString();
    const migration = pathToFileURL(join(s.root, 'prisma/migrations/20240101000000_init/migration.sql')).toString();
    await s.client.open(schema, WITH_RELATION, 'prisma');
    await s.client.diagnosticsFor(schema, 1);
    await s.client.diagnosticsFor(schema, await s.client.change(schema, WITHOUT_RELATION));
    await s.client.open(migration, MIGRATION);
    const p = await s.client.diagnosticsFor(migration, 1);
    assert.deepEqual(p.diagnostics.filter((d) => d.code === 'unindexed-foreign-key').map((d) => d.range.start.line), [2]);
  });
});
