import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createLanguageClient } from './client';
import { registerRestartServer } from './commands/restart-server';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('pgvet', { log: true });
  context.subscriptions.push(output);
  client = createLanguageClient(context, output);
  context.subscriptions.push(
    registerRestartServer(() => client),
    vscode.commands.registerCommand('pgvet.showOutput', () => output.show(true)),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
