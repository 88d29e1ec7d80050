/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import * as vscode from 'vscode';
import type { ExplainCommandResult } from '../../../client/src/explain/commands';
import { openScratch, settlesWithin, waitForActivation, workspaceRoot } from './helpers';

/** A TCP port on this machine with nothing listening on it: bound by the OS, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const explainAnalyze = (uri: vscode.Uri, offset: number) => vscode.commands.executeCommand<ExplainCommandResult | undefined>('pgvet.explainAnalyze', uri, offset);

// Scratch files live under explain-errors-e2e/ and are removed afterwards, like the commands suite's.
const removeScratch = () => vscode.workspace.fs.delete(vscode.Uri.joinPath(workspaceRoot(), 'explain-errors-e2e'), { recursive: true, useTrash: false }).then(undefined, () => undefined);

suite('pgvet in VS Code: Explain ends promptly on errors', () => {
  suiteTeardown(removeScratch);

  test('a statement the safety rules refuse (DROP TABLE): the command resolves with the refusal, nothing runs', async () => {
    const doc = await openScratch('explain-errors-e2e/refused.sql', 'DROP TABLE orders;\n');
    await waitForActivation();
    const result = await settlesWithin(explainAnalyze(doc.uri, 2), 20_000, 'DROP TABLE');
    assert.equal(result?.outcome, 'error', `the command resolves with an error result; got ${JSON.stringify(result)}`);
    assert.equal(result.reason, 'refused');
    assert.match(result.message, /cannot explain this statement/);
  });

  test('a column the schema does not have: PostgreSQL\'s error is a problem on that column in the editor', async () => {
    const text = 'SELECT id, no_such_column\nFROM orders;\n';
    const doc = await openScratch('explain-errors-e2e/missing-column.sql', text);
    await waitForActivation();
    // On the embedded shadow database built from the workspace's migrations (no connection is configured here).
    const result = await settlesWithin(explainAnalyze(doc.uri, 0), 120_000, 'missing column');
    assert.equal(result?.outcome, 'error', `the command resolves with an error result; got ${JSON.stringify(result)}`);
    assert.equal(result.reason, 'explain');
    assert.match(result.message, /column "no_such_column" does not exist/);
    const problems = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'pgvet explain');
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.equal(doc.getText(problems[0].range), 'no_such_column');
    assert.equal(problems[0].severity, vscode.DiagnosticSeverity.Error);
  });

  suite('with a connection where nothing listens', () => {
    const settings = () => vscode.workspace.getConfiguration('pgvet', null);
    suiteSetup(async () => {
      const port = await closedPort();
      await settings().update('connections', [{ name: 'nothing-listens', host: '127.0.0.1', port, database: 'postgres', user: 'postgres' }], vscode.ConfigurationTarget.Workspace);
      await settings().update('activeConnection', 'nothing-listens', vscode.ConfigurationTarget.Workspace);
    });
    // The later suites explain on the embedded shadow database: put the settings back as they were.
    suiteTeardown(async () => {
      await settings().update('activeConnection', undefined, vscode.ConfigurationTarget.Workspace);
      await settings().update('connections', undefined, vscode.ConfigurationTarget.Workspace);
    });

    test('connection refused: the command (and its progress) ends with the error while the message stays up', async () => {
      const uri = vscode.Uri.joinPath(workspaceRoot(), 'queries.sql');
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      await waitForActivation();
      assert.equal(settings().get('activeConnection'), 'nothing-listens', 'the test connection is the active one');
      const result = await settlesWithin(explainAnalyze(uri, doc.getText().indexOf('SELECT')), 30_000, 'connection refused');
      assert.equal(result?.outcome, 'error', `the command resolves with an error result; got ${JSON.stringify(result)}`);
      assert.equal(result.reason, 'connection');
      assert.match(result.message, /Connection refused at 127\.0\.0\.1:\d+/);
    });
  });
});
