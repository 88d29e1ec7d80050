import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

/** A status bar item that says what the language server has indexed: "indexing…", then the migration count. */
export function createIndexStatus(client: LanguageClient, onIndexed: () => void): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('pgvet.index', vscode.StatusBarAlignment.Left, 49);
  item.name = 'pgvet index';
  item.command = 'pgvet.showCatalog';
  item.text = '$(sync~spin) pgvet';
  item.tooltip = 'pgvet is starting';
  item.show();
  return vscode.Disposable.from(
    item,
    client.onNotification('pgvet/indexing', () => {
      item.text = '$(sync~spin) pgvet: indexing migrations…';
      item.tooltip = 'pgvet is reading the migration histories of the workspace';
    }),
    client.onNotification('pgvet/indexed', (p: { migrations: number; histories: number }) => {
      item.text = `$(database) pgvet: ${p.migrations} migration${p.migrations === 1 ? '' : 's'}`;
      item.tooltip = `${p.migrations} migrations in ${p.histories} histor${p.histories === 1 ? 'y' : 'ies'} indexed. Click to show the catalog they build.`;
      onIndexed();
    }),
  );
}
