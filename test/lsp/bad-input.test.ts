import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { ShowMessageParams } from 'vscode-languageserver-protocol';
import { LspClient } from '../support/lsp-client';

describe('language server: input that is not SQL text, and unknown rule names', () => {
  let client: LspClient;
  let dir: string;
  const messages: ShowMessageParams[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pgvet-lsp-bad-'));
    writeFileSync(join(dir, 'pgvet.json'), JSON.stringify({ rules: { 'require-concurrent-index-creation': 'off', 'unindexed-foreing-key': 'error' } }));
    client = await LspClient.start({
      rootUri: pathToFileURL(dir).toString(),
      configuration: (section) => (section === 'pgvet' ? { rules: { 'prefer-txt': 'warning' } } : {}),
    });
    // connection.window.showWarningMessage is a request (it may carry actions).
    client.connection.onRequest('window/showMessageRequest', (p: ShowMessageParams) => {
      messages.push(p);
      return null;
    });
  });
  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a text document with a stray NUL is still checked, statement by statement', async () => {
    const uri = pathToFileURL(join(dir, 'stray-nul.sql')).toString();
    await client.open(uri, 'ALTER TABLE t RENAME COLUMN a TO b;\nSELECT 1;\n' + 'SELECT 2;\n'.repeat(50) + "SELECT 'a\u0000b';\n");
    const d = await client.diagnosticsFor(uri, 1);
    assert.ok(d.diagnostics.some((x) => x.code === 'renaming-column' && x.range.start.line === 0), JSON.stringify(d.diagnostics));
    assert.ok(!d.diagnostics.some((x) => String(x.message).startsWith('binary file')), JSON.stringify(d.diagnostics));
  });

  test('a binary document: one diagnostic "binary file, not checked"', async () => {
    const uri = pathToFileURL(join(dir, 'blob.sql')).toString();
    // What an editor shows of a binary file: control characters everywhere.
    await client.open(uri, 'SELECT 1;\n' + Array.from({ length: 2000 }, (_, i) => String.fromCharCode(i % 40)).join('') + "'\n");
    const d = await client.diagnosticsFor(uri, 1);
    assert.deepEqual(d.diagnostics.map((x) => [x.code, x.message, x.range.start]), [['syntax-error', 'binary file, not checked (a NUL byte at line 2 column 1)', { line: 1, character: 0 }]]);
  });

  test('text that was not UTF-8 (U+FFFD where the editor could not decode a byte): one warning, the rest still checked', async () => {
    const uri = pathToFileURL(join(dir, 'latin1.sql')).toString();
    await client.open(uri, "SELECT 'caf\uFFFD';\nSELEC 2;\n");
    const d = await client.diagnosticsFor(uri, 1);
    const encoding = d.diagnostics.filter((x) => /not UTF-8/.test(String(x.message)));
    assert.equal(encoding.length, 1);
    assert.match(String(encoding[0].message), /^not UTF-8 text \(invalid byte at line 1 column 12, shown as U\+FFFD\)/);
    assert.deepEqual(d.diagnostics.filter((x) => x !== encoding[0]).map((x) => [x.message, x.range.start.line]), [['syntax error at or near "SELEC"', 1]]);
  });

  test("pgvet.json's unknown rule: one diagnostic on pgvet.json with a suggestion, and the rest of the file applies", async () => {
    const uri = pathToFileURL(join(dir, 'index.sql')).toString();
    await client.open(uri, 'CREATE INDEX a ON t (a);\n');
    const d = await client.diagnosticsFor(uri, 1);
    assert.deepEqual(d.diagnostics.map((x) => x.code), [], 'require-concurrent-index-creation is off in pgvet.json');
    const config = await client.waitForDiagnostics(pathToFileURL(join(dir, 'pgvet.json')).toString());
    assert.deepEqual(config.diagnostics.map((x) => x.message), ["pgvet.json: rules.unindexed-foreing-key: unknown rule 'unindexed-foreing-key' — did you mean 'unindexed-foreign-key'?"]);
  });

  test('an unknown rule in the pgvet.rules setting is said once', async () => {
    const said = messages.filter((m) => String(m.message).includes("unknown rule"));
    assert.deepEqual(said.map((m) => String(m.message)), ["pgvet: invalid setting, using the default instead — pgvet.rules: unknown rule 'prefer-txt' — did you mean 'prefer-text'?"]);
  });
});
