import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { WRITE_BASELINE_REQUEST } from '../../../core/src';
import type { WriteBaselineResult } from '../../../core/src';

/**
 * "pgvet: Write Baseline": the server writes pgvet-baseline.json for each workspace folder (what
 * `pgvet lint --write-baseline` does), so today's findings are accepted and only new ones are shown.
 */
export function registerWriteBaseline(getClient: () => LanguageClient | undefined): vscode.Disposable {
  return vscode.commands.registerCommand('pgvet.writeBaseline', async () => {
    const client = getClient();
    if (!client) return;
    if (vscode.workspace.textDocuments.some((d) => d.isDirty && (d.languageId === 'sql' || d.languageId === 'prisma'))) {
      const choice = await vscode.window.showWarningMessage('pgvet writes the baseline from the files on disk: save the unsaved SQL and Prisma files first?', 'Save All and Write', 'Write');
      if (!choice) return;
      if (choice === 'Save All and Write') await vscode.workspace.saveAll(false);
    }
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'pgvet: writing pgvet-baseline.json…' },
      () => client.sendRequest<WriteBaselineResult>(WRITE_BASELINE_REQUEST),
    );
    if (result.written.length === 0) {
      void vscode.window.showInformationMessage('pgvet: no workspace folder to write a baseline for.');
      return;
    }
    const lines = result.written.map((w) => `${vscode.workspace.asRelativePath(w.path)}: ${w.count} finding(s)`);
    const open = await vscode.window.showInformationMessage(`pgvet: baseline written — ${lines.join('; ')}. These findings are hidden until they change; commit the file.`, 'Open');
    if (open) await vscode.window.showTextDocument(vscode.Uri.file(result.written[0].path));
  });
}
