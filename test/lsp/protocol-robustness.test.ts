import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { DocumentSymbol } from 'vscode-languageserver-protocol';
import { LspClient } from '../support/lsp-client';

/** Resolves with the server's exit code (it must exit on its own; the test's timeout catches a hang). */
function exitOf(client: LspClient): Promise<number | null> {
  if (client.exited !== undefined) return Promise.resolve(client.exited);
  return new Promise((resolve) => client.proc.once('exit', (code) => resolve(code)));
}

describe('language server: malformed input over stdio', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgvet-lsp-protocol-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [what, header] of [
    ['a Content-Length that is not a number', 'Content-Length: twelve\r\n\r\n'],
    ['a header line without a colon', 'Content-Length 12\r\n\r\n'],
    ['a header without Content-Length', 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n'],
  ] as const) {
    test(`${what}: the server says so on stderr and exits with 1 instead of never answering again`, { timeout: 60_000 }, async () => {
      const client = await LspClient.start({ rootUri: pathToFileURL(dir).toString() });
      try {
        client.proc.stdin!.write(header + '{"jsonrpc":"2.0","method":"initialized","params":{}}');
        assert.equal(await exitOf(client), 1);
        assert.match(client.stderr, /pgvet: malformed message header from the editor, exiting so it can restart the server: /);
      } finally {
        client.connection.dispose();
        client.proc.kill();
      }
    });
  }

  test('a body that is not JSON under a good header is skipped and the server keeps answering', { timeout: 60_000 }, async () => {
    const client = await LspClient.start({ rootUri: pathToFileURL(dir).toString() });
    try {
      client.proc.stdin!.write('Content-Length: 9\r\n\r\nnot json!');
      const uri = pathToFileURL(join(dir, 'after.sql')).toString();
      await client.open(uri, 'CREATE TABLE answered (id bigint PRIMARY KEY);\n');
      const symbols = (await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as DocumentSymbol[];
      assert.deepEqual(symbols.map((s) => s.name), ['CREATE TABLE answered']);
      assert.match(client.stderr, /ignored a message that is not JSON/);
      assert.equal(client.exited, undefined);
    } finally {
      await client.stop();
    }
  });
});

describe('language server: document versions', () => {
  let client: LspClient;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pgvet-lsp-versions-'));
    client = await LspClient.start({ rootUri: pathToFileURL(dir).toString() });
  });
  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const symbolsOf = async (uri: string) =>
    ((await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as DocumentSymbol[]).map((s) => s.name);
  const change = (uri: string, version: number, text: string) =>
    client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });

  test('a didChange with an older (or the same) version is ignored: the document keeps the newer text', async () => {
    const uri = pathToFileURL(join(dir, 'versions.sql')).toString();
    await client.open(uri, 'CREATE TABLE v1 (id bigint PRIMARY KEY);\n');
    await change(uri, 3, 'CREATE TABLE v3 (id bigint PRIMARY KEY);\n');
    await client.diagnosticsFor(uri, 3);
    await change(uri, 2, 'CREATE TABLE v2 (id bigint PRIMARY KEY);\n');
    await change(uri, 3, 'CREATE TABLE v3_again (id bigint PRIMARY KEY);\n');
    // Notifications and requests are handled in order, so the symbols answer sees both stale changes done.
    assert.deepEqual(await symbolsOf(uri), ['CREATE TABLE v3']);

    await change(uri, 4, 'CREATE TABLE v4 (id bigint PRIMARY KEY);\n');
    assert.deepEqual(await symbolsOf(uri), ['CREATE TABLE v4']);
    const latest = await client.diagnosticsFor(uri, 4);
    assert.equal(latest.version, 4);
  });
});
