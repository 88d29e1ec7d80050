import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export function registerRestartServer(getClient: () => LanguageClient | undefined): vscode.Disposable {
  return vscode.commands.registerCommand('pgvet.restartServer', async () => {
    const client = getClient();
    if (!client) return;
    await client.restart();
    void vscode.window.setStatusBarMessage('pgvet: language server restarted', 3000);
  });
}
