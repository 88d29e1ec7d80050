/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, waitForActivation, workspaceRoot } from './helpers';
import { ACTIVATION_MARKS, report } from './report';

/** VS Code's own performance marks in this extension host (vs/base/common/performance, epoch milliseconds). */
function extensionHostMarks(): { name: string; startTime: number }[] {
  const perf = (globalThis as { MonacoPerformanceMarks?: { getMarks(): { name: string; startTime: number }[] } }).MonacoPerformanceMarks;
  return perf?.getMarks() ?? [];
}

// First file in the run (mocha loads the files sorted): nothing has activated pgvet yet when it opens a .sql file.
suite('pgvet in VS Code: activation', () => {
  test('activates on opening a .sql file', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    const wasActive = ext.isActive;
    const t0 = Date.now();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), 'billing/migrations/000002_invoice_status.up.sql')));
    await waitForActivation();
    report(wasActive ? 'activation (API): already active before the first .sql file opened' : `activation (API): ${Date.now() - t0} ms from opening the .sql file to isActive`);
    // The marks VS Code sets around loading and activating pgvet: run-in-code-server.ts sets them against the
    // `_doActivateExtension pgvet.pgvet` line of the extension host's log and prints the activation time.
    const marks = Object.fromEntries(
      extensionHostMarks()
        .filter((m) => m.name.endsWith(`/${EXTENSION_ID}`))
        .map((m) => [m.name.replace(`/${EXTENSION_ID}`, '').replace('code/extHost/', ''), m.startTime]),
    );
    assert.ok(marks.didActivateExtension, `VS Code marked the end of pgvet's activation; marks: ${JSON.stringify(marks)}`);
    report(`${ACTIVATION_MARKS} ${JSON.stringify(marks)}`);
  });
});
