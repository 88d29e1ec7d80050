import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { startOnWorkspace, type LspClient, type WorkspaceSession } from '../support/lsp-client';

// A Prisma history: the FK of migration 1 gets its index in a later migration that appears on disk.
describe('language server: the catalog follows the migration history on disk', () => {
  let client: LspClient;
  let root: string;
  let migrations: string;
  let session: WorkspaceSession;

  before(async () => {
    session = await startOnWorkspace('pgvet-history-', {
      'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
      'prisma/migrations/20240101000000_init/migration.sql': [
        'CREATE TABLE "customers" ("id" UUID NOT NULL, CONSTRAINT "customers_pkey" PRIMARY KEY ("id"));',
        'CREATE TABLE "orders" ("id" UUID NOT NULL, "customer_id" UUID NOT NULL, CONSTRAINT "orders_pkey" PRIMARY KEY ("id"));',
        'ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id");',
        'COMMENT ON TABLE "orders" IS \'one per checkout\';',
        'GRANT SELECT ON "orders" TO reporting;',
        'CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;',
        'CREATE TRIGGER orders_audit AFTER INSERT OR UPDATE ON "orders" FOR EACH ROW EXECUTE FUNCTION audit();',
        '',
      ].join('\n'),
    });
    ({ client, root } = session);
    migrations = join(root, 'prisma', 'migrations');
  });
  after(() => session.dispose());

  test('an index added in a new migration file clears the unindexed-foreign-key warning in the old one', async () => {
    const oldPath = join(migrations, '20240101000000_init', 'migration.sql');
    const uri = pathToFileURL(oldPath).toString();
    await client.open(uri, readFileSync(oldPath, 'utf8'));
    const first = await client.diagnosticsFor(uri, 1);
    const fk = first.diagnostics.filter((d) => d.code === 'unindexed-foreign-key');
    assert.equal(fk.length, 1, JSON.stringify(first.diagnostics.map((d) => d.code)));
    assert.equal(fk[0].range.start.line, 2, 'reported on the ADD CONSTRAINT statement');

    const newDir = join(migrations, '20240201000000_orders_customer_idx');
    mkdirSync(newDir);
    const newPath = join(newDir, 'migration.sql');
    writeFileSync(newPath, 'CREATE INDEX "orders_customer_id_idx" ON "orders"("customer_id");\n');
    const cleared = client.waitForDiagnostics(uri, (p) => !p.diagnostics.some((d) => d.code === 'unindexed-foreign-key'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(newPath).toString(), type: 1 }] });
    const after = await cleared;
    assert.deepEqual(after.diagnostics.filter((d) => d.code === 'unindexed-foreign-key'), []);
  });

  test('hover on a table shows it as the catalog knows it; definition jumps to its CREATE TABLE', async () => {
    const queryPath = join(root, 'queries.sql');
    const text = 'SELECT o.customer_id FROM orders o JOIN customers c ON c.id = o.customer_id;\n';
    writeFileSync(queryPath, text);
    const uri = pathToFileURL(queryPath).toString();
    await client.open(uri, text);
    const at = text.indexOf('orders') + 2;
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: at } })) as { contents: { value: string } };
    assert.match(hover.contents.value, /\*\*public\.orders\*\*/);
    assert.match(hover.contents.value, /\| customer_id \| `uuid` \| not null/);
    assert.match(hover.contents.value, /orders_customer_id_fkey \(customer_id\) → public\.customers \(id\)/);
    assert.match(hover.contents.value, /20240101000000_init\/migration\.sql:2/);
    assert.match(hover.contents.value, /_one per checkout_/);
    assert.match(hover.contents.value, /- orders_audit after insert or update for each row → public\.audit\(\)/);
    assert.match(hover.contents.value, /- reporting: SELECT/);
    const def = (await client.connection.sendRequest('textDocument/definition', { textDocument: { uri }, position: { line: 0, character: at } })) as { uri: string; range: { start: { line: number } } };
    assert.equal(def.uri, pathToFileURL(join(migrations, '20240101000000_init', 'migration.sql')).toString());
    assert.equal(def.range.start.line, 1);
    const col = text.indexOf('customer_id') + 3;
    const colHover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: col } })) as { contents: { value: string } };
    assert.match(colHover.contents.value, /\*\*public\.orders\.customer_id\*\* `uuid` not null/);
  });

  test('pgvet/catalog lists each history with the tables its migrations build', async () => {
    const histories = (await client.connection.sendRequest('pgvet/catalog')) as { layout: string; migrations: number; tables: { name: string; columns: { name: string; primaryKey: boolean }[]; foreignKeys: string[] }[] }[];
    assert.equal(histories.length, 1);
    assert.equal(histories[0].layout, 'prisma');
    assert.deepEqual(histories[0].tables.map((t) => t.name), ['customers', 'orders']);
    const orders = histories[0].tables[1];
    assert.deepEqual(orders.columns.map((c) => [c.name, c.primaryKey]), [['id', true], ['customer_id', false]]);
    assert.deepEqual(orders.foreignKeys, ['orders_customer_id_fkey: (customer_id) → public.customers']);
  });
});
