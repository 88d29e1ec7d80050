import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createLanguageClient } from './client';
import { registerConnectionCommands } from './commands/connections';
import { registerExplainCommands } from './explain/commands';
import { registerRestartServer } from './commands/restart-server';
import { registerWriteBaseline } from './commands/write-baseline';
import { createConnectionStatusBar } from './connections/status-bar';
import { ExplainCodeLensProvider } from './explain/code-lens';
import { explainDeps, registerExplainPanel } from './explain/wiring';
import { CatalogTreeProvider } from './catalog-view';
import { registerGenerateDown } from './commands/generate-down';
import { registerVerify } from './commands/verify';
import { createIndexStatus } from './index-status';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const started = Date.now();
  const output = vscode.window.createOutputChannel('pgvet', { log: true });
  context.subscriptions.push(output);
  client = createLanguageClient(context, output);
  context.subscriptions.push(
    registerRestartServer(() => client),
    registerWriteBaseline(() => client),
    vscode.commands.registerCommand('pgvet.showOutput', () => output.show(true)),
    registerConnectionCommands(context, () => client),
    createConnectionStatusBar(),
    registerExplainPanel(context, () => client, output),
    registerExplainCommands(context, explainDeps(context, () => client, output)),
    vscode.languages.registerCodeLensProvider({ language: 'sql' }, new ExplainCodeLensProvider(() => client)),
  );
  const catalog = new CatalogTreeProvider(() => client);
  context.subscriptions.push(
    vscode.window.registerTreeDataProvider('pgvet.catalog', catalog),
    vscode.commands.registerCommand('pgvet.refreshCatalog', () => catalog.refresh()),
    vscode.commands.registerCommand('pgvet.showCatalog', async () => {
      await catalog.refresh();
      await vscode.commands.executeCommand('pgvet.catalog.focus');
    }),
    createIndexStatus(client, () => void catalog.refresh()),
    registerGenerateDown(() => client),
    registerVerify(client, output),
  );
  // The server starts in the background: activation itself stays fast.
  void client.start().then(
    () => output.info(`pgvet activated in ${Date.now() - started} ms; language server running`),
    (e) => output.error(`pgvet: the language server did not start: ${e instanceof Error ? e.message : String(e)}`),
  );
  output.info(`pgvet activate() returned after ${Date.now() - started} ms`);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
