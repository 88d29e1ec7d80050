import * as vscode from 'vscode';
import { activeConnectionName, ENV_CONNECTION } from './connections';

/** Shows where EXPLAIN runs and switches it on click. */
export function createConnectionStatusBar(): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('pgvet.connection', vscode.StatusBarAlignment.Left, 50);
  item.name = 'pgvet connection';
  item.command = 'pgvet.selectConnection';
  const update = () => {
    const name = activeConnectionName(vscode.window.activeTextEditor?.document.uri ?? null);
    item.text = `$(database) ${name === '' ? 'pgvet: embedded' : name === ENV_CONNECTION ? 'pgvet: PG* env' : `pgvet: ${name}`}`;
    item.tooltip = name === ''
      ? 'EXPLAIN runs on an embedded shadow database built from the workspace migrations. Click to choose a connection.'
      : `EXPLAIN runs on the connection "${name}". Click to switch.`;
    const editor = vscode.window.activeTextEditor;
    if (editor && (editor.document.languageId === 'sql' || editor.document.languageId === 'prisma')) item.show();
    else item.hide();
  };
  update();
  return vscode.Disposable.from(
    item,
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('pgvet.activeConnection') || e.affectsConfiguration('pgvet.connections')) update();
    }),
  );
}
