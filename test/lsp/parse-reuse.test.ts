import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { startOnWorkspace, type LspClient, type WorkspaceSession } from '../support/lsp-client';

// Hover, definition and document symbols use the linter's parse of the document when it is of the version
// asked about, and parse the text themselves when the lint has not caught up with an edit yet (the lint is
// debounced: a request sent right after a change arrives before it).

type HoverResult = { contents: { value: string } } | null;

describe('language server: hover, definition and symbols answer for the text as it is now', { timeout: 30_000 }, () => {
  let client: LspClient;
  let root: string;
  let session: WorkspaceSession;

  before(async () => {
    session = await startOnWorkspace('pgvet-parse-reuse-', {
      'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
      'prisma/migrations/20240101000000_init/migration.sql': [
        'CREATE TABLE "customers" ("id" UUID NOT NULL, "name" TEXT NOT NULL, CONSTRAINT "customers_pkey" PRIMARY KEY ("id"));',
        'CREATE TABLE "orders" ("id" UUID NOT NULL, "customer_id" UUID NOT NULL, CONSTRAINT "orders_pkey" PRIMARY KEY ("id"));',
        '',
      ].join('\n'),
    });
    ({ client, root } = session);
  });
  after(() => session.dispose());

  const hoverAt = (uri: string, character: number) => client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character } }) as Promise<HoverResult>;

  test('hover and definition after the lint, and right after an edit the lint has not seen', async () => {
    const uri = pathToFileURL(join(root, 'queries.sql')).toString();
    const v1 = 'SELECT customer_id FROM orders;\n';
    await client.open(uri, v1);
    await client.diagnosticsFor(uri, 1);
    const table = v1.indexOf('orders') + 1;
    assert.match((await hoverAt(uri, table))?.contents.value ?? '', /\*\*public\.orders\*\*/);
    assert.match((await hoverAt(uri, 9))?.contents.value ?? '', /\*\*public\.orders\.customer_id\*\* `uuid` not null/);

    // Same offsets, other names: an answer from version 1's parse would still say orders.
    const v2 = 'SELECT name        FROM customers;\n';
    assert.equal(v2.indexOf('customers'), v1.indexOf('orders'));
    const version = await client.change(uri, v2);
    const [now, column, def] = await Promise.all([
      hoverAt(uri, table),
      hoverAt(uri, 9),
      client.connection.sendRequest('textDocument/definition', { textDocument: { uri }, position: { line: 0, character: table } }) as Promise<{ range: { start: { line: number } } } | null>,
    ]);
    assert.match(now?.contents.value ?? '', /\*\*public\.customers\*\*/);
    assert.match(column?.contents.value ?? '', /\*\*public\.customers\.name\*\* `text` not null/);
    assert.equal(def?.range.start.line, 0, 'CREATE TABLE "customers" is on the first line');

    await client.diagnosticsFor(uri, version);
    assert.match((await hoverAt(uri, table))?.contents.value ?? '', /\*\*public\.customers\*\*/);
  });

  test('document symbols of a SQL file and of a .prisma file, before and after their lint catches up', async () => {
    const uri = pathToFileURL(join(root, 'outline.sql')).toString();
    const symbols = async (u: string) => ((await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: u } })) as { name: string; children?: { name: string }[] }[]).map((s) => s.name);
    await client.open(uri, 'CREATE TABLE a (id int);\n');
    await client.diagnosticsFor(uri, 1);
    assert.deepEqual(await symbols(uri), ['CREATE TABLE a']);
    const version = await client.change(uri, 'CREATE TABLE a (id int);\nCREATE INDEX a_id_idx ON a (id);\n');
    assert.deepEqual(await symbols(uri), ['CREATE TABLE a', 'CREATE INDEX a_id_idx']);
    await client.diagnosticsFor(uri, version);
    assert.deepEqual(await symbols(uri), ['CREATE TABLE a', 'CREATE INDEX a_id_idx']);

    const prisma = pathToFileURL(join(root, 'other', 'schema.prisma')).toString();
    await client.open(prisma, 'model User {\n  id Int @id\n}\n', 'prisma');
    await client.diagnosticsFor(prisma, 1);
    assert.deepEqual(await symbols(prisma), ['User']);
    const next = await client.change(prisma, 'model User {\n  id Int @id\n}\n\nmodel Post {\n  id Int @id\n}\n');
    assert.deepEqual(await symbols(prisma), ['User', 'Post']);
    await client.diagnosticsFor(prisma, next);
    assert.deepEqual(await symbols(prisma), ['User', 'Post']);
  });
});
