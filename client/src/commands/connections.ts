import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { pgvetSettings } from '../configuration';
import { describeSetting, TEST_CONNECTION_REQUEST } from '../../../core/src';
import type { TestConnectionParams, TestConnectionResult } from '../../../core/src';
import { activeConnectionName, configuredConnections, ENV_CONNECTION, environmentConnection, passwordKey, resolveTarget } from '../connections/connections';

interface ConnectionPick extends vscode.QuickPickItem {
  value: string;
}

/** "pgvet: Select Connection": embedded, PG* environment, or a configured connection. */
async function selectConnection(): Promise<void> {
  const scope = vscode.window.activeTextEditor?.document.uri ?? null;
  const { connections, problem } = configuredConnections(scope);
  if (problem) void vscode.window.showWarningMessage(`pgvet: ${problem}`);
  const active = activeConnectionName(scope);
  const items: ConnectionPick[] = [
    { label: '$(database) Embedded shadow database', description: 'PGlite, built from the workspace migrations', value: '' },
  ];
  const env = environmentConnection();
  if (env) items.push({ label: '$(terminal) PG* environment variables', description: describeSetting(env), value: ENV_CONNECTION });
  for (const c of connections) items.push({ label: `$(plug) ${c.name}`, description: describeSetting(c), value: c.name });
  for (const i of items) if (i.value === active) i.detail = 'active';
  const pick = await vscode.window.showQuickPick(items, { title: 'pgvet: where should EXPLAIN run?', placeHolder: connections.length ? undefined : 'Add connections in the pgvet.connections setting' });
  if (!pick) return;
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await pgvetSettings(scope).update('activeConnection', pick.value, target);
}

/** "pgvet: Set Connection Password": stored in SecretStorage, never in settings. */
async function setPassword(secrets: vscode.SecretStorage): Promise<void> {
  const scope = vscode.window.activeTextEditor?.document.uri ?? null;
  const { connections } = configuredConnections(scope);
  const names = [...connections.map((c) => c.name), ...(environmentConnection() ? [ENV_CONNECTION] : [])];
  if (names.length === 0) {
    void vscode.window.showInformationMessage('pgvet: there is no connection yet. Add one to the pgvet.connections setting first.', 'Open Settings').then((a) => {
      if (a) void vscode.commands.executeCommand('workbench.action.openSettings', 'pgvet.connections');
    });
    return;
  }
  const active = activeConnectionName(scope);
  const name = names.length === 1 ? names[0] : await vscode.window.showQuickPick(names, { title: 'pgvet: set the password of which connection?', placeHolder: active || undefined });
  if (!name) return;
  const password = await vscode.window.showInputBox({ title: `Password for "${name}"`, password: true, prompt: 'Kept in VS Code secret storage. Leave empty to remove it.', ignoreFocusOut: true });
  if (password === undefined) return;
  if (password === '') await secrets.delete(passwordKey(name));
  else await secrets.store(passwordKey(name), password);
  void vscode.window.setStatusBarMessage(`pgvet: password for "${name}" ${password === '' ? 'removed' : 'saved'}`, 3000);
}

/**
 * "pgvet: Test Connection": the language server connects (the extension host loads no database driver) and
 * answers with the server version or what to change.
 */
async function testConnection(secrets: vscode.SecretStorage, client: LanguageClient | undefined): Promise<void> {
  const target = await resolveTarget(secrets, vscode.window.activeTextEditor?.document.uri ?? null);
  if ('error' in target) {
    void vscode.window.showErrorMessage(`pgvet: ${target.error}`);
    return;
  }
  if (target.kind === 'embedded') {
    void vscode.window.showInformationMessage('pgvet: EXPLAIN uses the embedded shadow database; there is no server to test. Pick a connection from the status bar first.');
    return;
  }
  if (!client) {
    void vscode.window.showErrorMessage('pgvet: the language server is not running; see the pgvet output.');
    return;
  }
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `pgvet: connecting to ${target.label}…` }, async () => {
    let result: TestConnectionResult;
    try {
      result = await client.sendRequest<TestConnectionResult>(TEST_CONNECTION_REQUEST, { connection: target.config } satisfies TestConnectionParams);
    } catch (e) {
      result = { ok: false, message: `the language server did not answer: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (result.ok) {
      const tls = result.tls ? `over TLS (${result.tls})` : 'without TLS';
      void vscode.window.showInformationMessage(`pgvet: connected to "${target.name}" as ${result.user} on ${result.database}, ${tls}: ${result.version}`);
    } else {
      const { message } = result;
      // Not awaited: the progress ends now; the buttons work whenever they are clicked.
      void vscode.window.showErrorMessage(`pgvet: cannot connect to "${target.name}": ${message}`, 'Set Password', 'Edit Connections').then((action) => {
        if (action === 'Set Password') void setPassword(secrets);
        if (action === 'Edit Connections') void vscode.commands.executeCommand('workbench.action.openSettings', 'pgvet.connections');
      });
    }
  });
}

export function registerConnectionCommands(context: vscode.ExtensionContext, client: () => LanguageClient | undefined): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('pgvet.selectConnection', selectConnection),
    vscode.commands.registerCommand('pgvet.setConnectionPassword', () => setPassword(context.secrets)),
    vscode.commands.registerCommand('pgvet.testConnection', () => testConnection(context.secrets, client())),
  );
}
