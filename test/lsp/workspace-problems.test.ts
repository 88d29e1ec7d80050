import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { startOnWorkspace, type LspClient, type WorkspaceSession } from '../support/lsp-client';

const uriOf = (path: string) => pathToFileURL(path).toString();

interface Counts { error: number; warning: number; other: number; hidden: number; baselines: string[]; baseRefs: string[] }

// A workspace nobody has opened a file of: the Problems panel still shows its schema problems.
describe('language server: the schema problems of every history are published at start', () => {
  let session: WorkspaceSession;
  let client: LspClient;
  let root: string;
  const counts: Counts[] = [];
  const waiters: { pred: (c: Counts) => boolean; resolve: (c: Counts) => void }[] = [];
  /** The first `pgvet/problems` counts (already received or to come) that satisfy `pred`. */
  const countsWhere = (pred: (c: Counts) => boolean) => new Promise<Counts>((resolve) => {
    const have = counts.find(pred);
    if (have) resolve(have);
    else waiters.push({ pred, resolve });
  });

  before(async () => {
    session = await startOnWorkspace('pgvet-workspace-problems-', {
      'db/migrations/001_init.sql': 'CREATE TABLE customers (id bigint PRIMARY KEY, email text);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id));\n',
      'db/migrations/002_email.sql': 'CREATE INDEX customers_email_idx ON customers (email);\n',
      'app/prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
      'app/prisma/migrations/20240101000000_init/migration.sql': [
        'CREATE TABLE "User" ("id" INTEGER NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));',
        'CREATE TABLE "Post" ("id" INTEGER NOT NULL, "authorId" INTEGER NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));',
        'ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;',
        '',
      ].join('\n'),
      'app/prisma/schema.prisma': [
        'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n',
        'model User {\n  id    Int    @id\n  posts Post[]\n}\n',
        'model Post {\n  id       Int  @id\n  authorId Int\n  author   User @relation(fields: [authorId], references: [id])\n}\n',
      ].join('\n'),
    });
    ({ client, root } = session);
    client.connection.onNotification('pgvet/problems', (p: Counts) => {
      counts.push(p);
      for (const w of [...waiters]) if (w.pred(p)) waiters.splice(waiters.indexOf(w), 1) && w.resolve(p);
    });
  });
  after(() => session.dispose());

  test('an unopened migration that creates an unindexed foreign key gets its diagnostic', async () => {
    const uri = uriOf(join(root, 'db/migrations/001_init.sql'));
    const p = await client.waitForDiagnostics(uri, (d) => d.diagnostics.length > 0);
    assert.deepEqual(p.diagnostics.map((d) => [d.code, d.range.start.line]), [['unindexed-foreign-key', 1]]);
  });

  test('closed migrations get schema problems only while pgvet does not know which are pending', async () => {
    // 002 has a statement finding (CREATE INDEX without CONCURRENTLY) that an open file shows; closed, nothing is published for it.
    const path = join(root, 'db/migrations/002_email.sql');
    // The status bar's counts: the two unindexed foreign keys (db/ and the Prisma model), not 002's statement finding.
    const first = await countsWhere(() => true);
    assert.deepEqual([first.error, first.warning, first.other, first.hidden], [0, 2, 0, 0]);
    assert.deepEqual(first.baseRefs, []);
    await client.open(uriOf(path), readFileSync(path, 'utf8'));
    const open = await client.diagnosticsFor(uriOf(path), 1);
    assert.deepEqual(open.diagnostics.map((d) => d.code), ['require-concurrent-index-creation']);
  });

  test('a history described by schema.prisma: the problem is on the model, naming the migration, and not on the migration', async () => {
    const schema = uriOf(join(root, 'app/prisma/schema.prisma'));
    const p = await client.waitForDiagnostics(schema, (d) => d.diagnostics.length > 0);
    const fk = p.diagnostics.filter((d) => d.code === 'unindexed-foreign-key');
    assert.equal(fk.length, 1, JSON.stringify(p.diagnostics.map((d) => d.code)));
    const migration = join(root, 'app/prisma/migrations/20240101000000_init/migration.sql');
    assert.equal(fk[0].relatedInformation?.[0].location.uri, uriOf(migration));
    assert.equal(fk[0].relatedInformation?.[0].location.range.start.line, 2);
    assert.equal(fk[0].relatedInformation?.[0].message, 'The migration that created it');
    await client.open(uriOf(migration), readFileSync(migration, 'utf8'));
    const onMigration = await client.diagnosticsFor(uriOf(migration), 1);
    assert.deepEqual(onMigration.diagnostics.filter((d) => d.code === 'unindexed-foreign-key'), []);
  });

  test('"pgvet: Write Baseline" writes pgvet-baseline.json, and the baselined problems leave the Problems panel', async () => {
    const uri = uriOf(join(root, 'db/migrations/001_init.sql'));
    await client.waitForDiagnostics(uri, (d) => d.diagnostics.length > 0);
    const result: { written: { path: string; count: number }[] } = await client.connection.sendRequest('pgvet/writeBaseline');
    const file = join(root, 'pgvet-baseline.json');
    assert.deepEqual(result.written.map((w) => w.path), [file]);
    assert.ok(existsSync(file));
    assert.match(readFileSync(file, 'utf8'), /"rule":"unindexed-foreign-key","schema":"db\/migrations"/);
    await client.waitForDiagnostics(uri, (d) => d.diagnostics.length === 0);
    const hidden = await countsWhere((c) => c.baselines.length > 0);
    assert.deepEqual(hidden.baselines, [file]);
    assert.equal(hidden.hidden, 2, "the two unindexed foreign keys");
    assert.equal(hidden.warning + hidden.error, 0, JSON.stringify(hidden));
  });
});
