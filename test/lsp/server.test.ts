import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { LspClient } from '../support/lsp-client';

describe('language server over stdio', () => {
  let client: LspClient;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pgvet-lsp-'));
    client = await LspClient.start({ rootUri: pathToFileURL(dir).toString() });
  });
  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('publishes diagnostics on open, offers the quick fix, and the fix clears the diagnostic', async () => {
    const uri = pathToFileURL(join(dir, 'add_index.sql')).toString();
    await client.open(uri, 'CREATE INDEX users_email_idx ON users (email);\n');
    const first = await client.diagnosticsFor(uri, 1);
    assert.equal(first.diagnostics.length, 1);
    const d = first.diagnostics[0];
    assert.equal(d.source, 'pgvet');
    assert.equal(d.code, 'require-concurrent-index-creation');
    assert.match(d.codeDescription!.href, /docs\/rules\/require-concurrent-index-creation\.md$/);
    assert.deepEqual(d.range.start, { line: 0, character: 0 });

    const actions = await client.codeActions(uri, [d]);
    assert.deepEqual(actions.map((a) => a.title), [
      'Add CONCURRENTLY',
      'Ignore require-concurrent-index-creation for this statement',
      'Ignore require-concurrent-index-creation for this file',
      'Fix all auto-fixable pgvet problems (1)',
    ]);
    const version = await client.applyEdit(uri, actions[0].edit!);
    assert.equal(client.texts.get(uri)!.text, 'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n');
    const after = await client.diagnosticsFor(uri, version);
    assert.deepEqual(after.diagnostics, []);
  });

  test('"ignore for this statement" inserts a comment that suppresses the finding', async () => {
    const uri = pathToFileURL(join(dir, 'ignore.sql')).toString();
    await client.open(uri, '  DROP INDEX IF EXISTS a;\n  CREATE INDEX i ON t (a);\n');
    const { diagnostics } = await client.diagnosticsFor(uri, 1);
    const target = diagnostics.find((x) => x.code === 'require-concurrent-index-creation')!;
    const actions = await client.codeActions(uri, [target]);
    const ignore = actions.find((a) => a.title === 'Ignore require-concurrent-index-creation for this statement')!;
    const version = await client.applyEdit(uri, ignore.edit!);
    assert.equal(client.texts.get(uri)!.text, '  DROP INDEX IF EXISTS a;\n  -- pgvet-ignore require-concurrent-index-creation\n  CREATE INDEX i ON t (a);\n');
    const next = await client.diagnosticsFor(uri, version);
    assert.equal(next.diagnostics.some((x) => x.code === 'require-concurrent-index-creation'), false);
  });

  test('a syntax error in one statement leaves the others checked, at the right UTF-16 column', async () => {
    const uri = pathToFileURL(join(dir, 'broken.sql')).toString();
    await client.open(uri, "SELECT '😀 é' AS x FRM t;\nCREATE INDEX i ON t (a);\n");
    const { diagnostics } = await client.diagnosticsFor(uri, 1);
    const codes = diagnostics.map((x) => x.code).sort();
    assert.deepEqual(codes, ['require-concurrent-index-creation', 'syntax-error']);
    const syntax = diagnostics.find((x) => x.code === 'syntax-error')!;
    // "SELECT '😀 é' AS x " is 19 UTF-16 code units (the emoji counts twice).
    assert.deepEqual(syntax.range, { start: { line: 0, character: 19 }, end: { line: 0, character: 22 } });
    assert.equal(syntax.message, 'syntax error at or near "FRM"');
  });

  test('fix-all applies every safe fix at once', async () => {
    const uri = pathToFileURL(join(dir, 'many.sql')).toString();
    await client.open(uri, 'CREATE INDEX a ON t (a);\nCREATE INDEX b ON t (b);\n');
    await client.diagnosticsFor(uri, 1);
    const actions = await client.codeActions(uri, [], ['source.fixAll']);
    assert.equal(actions.length, 1);
    const version = await client.applyEdit(uri, actions[0].edit!);
    assert.equal(client.texts.get(uri)!.text, 'CREATE INDEX CONCURRENTLY a ON t (a);\nCREATE INDEX CONCURRENTLY b ON t (b);\n');
    assert.deepEqual((await client.diagnosticsFor(uri, version)).diagnostics, []);
  });

  test('a quick fix computed for an older version is refused', async () => {
    const uri = pathToFileURL(join(dir, 'stale.sql')).toString();
    await client.open(uri, 'CREATE INDEX a ON t (a);\n');
    const { diagnostics } = await client.diagnosticsFor(uri, 1);
    const version = await client.change(uri, '\n\nCREATE INDEX a ON t (a);\n');
    await client.diagnosticsFor(uri, version);
    const actions = await client.codeActions(uri, diagnostics, ['quickfix']);
    assert.equal(actions.length, 1);
    assert.ok(actions[0].disabled, 'the stale action is disabled');
    assert.equal(actions[0].edit, undefined);
  });

  test('a broken pgvet.json gives one diagnostic on that file and the defaults are used', async () => {
    const project = join(dir, 'project');
    mkdirSync(project);
    const configPath = join(project, 'pgvet.json');
    writeFileSync(configPath, JSON.stringify({ rules: { 'no-such-rule': 'error', 'require-concurrent-index-creation': 'loud' } }));
    const configUri = pathToFileURL(configPath).toString();
    const uri = pathToFileURL(join(project, 'm.sql')).toString();
    const configDiagnostics = client.waitForDiagnostics(configUri);
    await client.open(uri, 'CREATE INDEX a ON t (a);\n');
    const own = await client.diagnosticsFor(uri, 1);
    assert.deepEqual(own.diagnostics.map((x) => [x.code, x.severity]), [['require-concurrent-index-creation', 2]], 'defaults apply');
    const onConfig = await configDiagnostics;
    assert.equal(onConfig.diagnostics.length, 1);
    assert.match(String(onConfig.diagnostics[0].message), /pgvet\.json is not valid/);
  });

  test('the server survives garbage and keeps answering', async () => {
    const uri = pathToFileURL(join(dir, 'garbage.sql')).toString();
    await client.open(uri, "\u0000\u0001'$$ /* (((( \\ :x {{ ;;; ".repeat(50));
    await client.diagnosticsFor(uri, 1);
    const ok = pathToFileURL(join(dir, 'after.sql')).toString();
    await client.open(ok, 'SELECT 1;');
    assert.deepEqual((await client.diagnosticsFor(ok, 1)).diagnostics, []);
    assert.equal(client.exited, undefined);
  });

  test('document symbols outline the statements of a migration and the models of a Prisma schema', async () => {
    const uri = pathToFileURL(join(dir, 'outline.sql')).toString();
    await client.open(uri, 'CREATE TABLE orders (id int PRIMARY KEY);\nCREATE INDEX CONCURRENTLY orders_id_idx ON orders (id);\nALTER TABLE orders ENABLE ROW LEVEL SECURITY;\n');
    const symbols = (await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as { name: string }[];
    assert.deepEqual(symbols.map((s) => s.name), ['CREATE TABLE orders', 'CREATE INDEX CONCURRENTLY orders_id_idx', 'ALTER TABLE orders ENABLE']);
    const prisma = pathToFileURL(join(dir, 'schema.prisma')).toString();
    await client.open(prisma, 'model User {\n  id Int @id\n  email String\n}\n', 'prisma');
    const models = (await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: prisma } })) as { name: string; children: { name: string }[] }[];
    assert.deepEqual(models.map((m) => [m.name, m.children.map((c) => c.name)]), [['User', ['id', 'email']]]);
  });
});
