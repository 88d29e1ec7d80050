import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../support/lsp-client';

// The language server keeps the workspace's problems in the cache folder (node_modules/.cache/pgvet of the
// workspace): a second start on an unchanged workspace publishes them from there, the same diagnostics; a file
// changed on disk in between is linted again; unsaved text is never kept.

const FILES: Record<string, string> = {
  'node_modules/.keep': '',
  'db/migrations/001_init.sql': 'CREATE TABLE customers (id bigint PRIMARY KEY, email text);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id));\n',
  'db/migrations/002_email.sql': 'CREATE INDEX customers_email_idx ON customers (email);\n',
  'app/prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
  'app/prisma/migrations/20240101000000_init/migration.sql':
    'CREATE TABLE "User" ("id" INTEGER NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));\nCREATE TABLE "Post" ("id" INTEGER NOT NULL, "authorId" INTEGER NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));\nALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id");\n',
};

const root = mkdtempSync(join(tmpdir(), 'pgvet-problems-cache-'));
for (const [rel, text] of Object.entries(FILES)) {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
}
const cacheDir = join(root, 'node_modules/.cache/pgvet');
after(() => rmSync(root, { recursive: true, force: true }));

const kept = (m: string) => m.startsWith("pgvet: the workspace's problems kept in the cache");
const fromCache = (m: string) => m.startsWith("pgvet: the workspace's problems from the cache");

/** Starts the server on the workspace and waits for its first workspace problems (computed or from the cache). */
async function start(): Promise<LspClient> {
  const client = await LspClient.start({ rootUri: pathToFileURL(root).toString() });
  await new Promise<void>((done) => client.connection.onNotification('pgvet/problems', () => done()));
  return client;
}

/** Every published diagnostic, by file, as plain data in a stable order. */
const published = (client: LspClient) =>
  [...client.publishedDiagnostics()].sort(([a], [b]) => a.localeCompare(b)).map(([uri, p]) => [uri, p.diagnostics.map((d) => [d.code, d.range.start.line, d.message])]);

const entries = () => readdirSync(cacheDir, { recursive: true }).filter((f) => String(f).endsWith('.json')).length;

test('a second start on an unchanged workspace takes its problems from the cache; a file changed on disk is linted again; unsaved text is not kept', { timeout: 120_000 }, async () => {
  const first = await start();
  await first.waitForLog(kept);
  assert.ok(!first.logs.some(fromCache), 'nothing in the cache at the first start');
  const cold = published(first);
  assert.ok(cold.some(([uri, d]) => String(uri).endsWith('001_init.sql') && JSON.stringify(d).includes('unindexed-foreign-key')), JSON.stringify(cold));
  await first.stop();

  const second = await start();
  await second.waitForLog(fromCache);
  assert.deepEqual(published(second), cold, 'the same diagnostics');
  await second.stop();

  // Changed on disk while no server ran: an index on the new foreign key column... of a new table.
  appendFileSync(join(root, 'db/migrations/002_email.sql'), 'CREATE TABLE notes (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id));\n');
  const third = await start();
  await third.waitForLog(kept);
  assert.ok(!third.logs.some(fromCache), 'the changed history is linted, not taken from the cache');
  const relinted = published(third).find(([uri]) => String(uri).endsWith('002_email.sql'));
  assert.ok(relinted && JSON.stringify(relinted[1]).includes('unindexed-foreign-key'), `the new foreign key found: ${JSON.stringify(relinted)}`);

  // Unsaved text: the problems are published again for it, and nothing is kept.
  const before = entries();
  const uri = pathToFileURL(join(root, 'db/migrations/001_init.sql')).toString();
  await third.open(uri, readFileSync(join(root, 'db/migrations/001_init.sql'), 'utf8'));
  await third.change(uri, 'CREATE TABLE customers (id bigint PRIMARY KEY, email text);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);\n');
  await third.waitForLog((m) => m.startsWith("pgvet: the workspace's problems not cached"));
  assert.equal(entries(), before, 'nothing written for unsaved text');
  await third.stop();
});
