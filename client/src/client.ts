import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/** Starts the pgvet language server (dist/server.js) over IPC and returns the client. */
export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'sql' },
      { scheme: 'untitled', language: 'sql' },
      { scheme: 'file', language: 'prisma' },
    ],
    synchronize: {
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/pgvet.json'),
        vscode.workspace.createFileSystemWatcher('**/pgvet-baseline.json'),
        vscode.workspace.createFileSystemWatcher('**/*.sql'),
        vscode.workspace.createFileSystemWatcher('**/*.prisma'),
        vscode.workspace.createFileSystemWatcher('**/metadata.toml'),
        // A branch switch moves the default base ref (pgvet.baseRef): the server resolves it again.
        vscode.workspace.createFileSystemWatcher('**/.git/HEAD'),
      ],
    },
    outputChannel: output,
    traceOutputChannel: output,
  };
  return new LanguageClient('pgvet', 'pgvet', serverOptions, clientOptions);
}
