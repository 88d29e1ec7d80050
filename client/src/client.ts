import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/** JSON `"password": "…"` fields, as a traced pgvet/explain request to a connection holds one. */
const PASSWORD_FIELD = /("password"\s*:\s*)"(?:[^"\\]|\\.)*"/g;

/**
 * The output channel, for LSP traces (pgvet.trace.server): a pgvet/explain request to a connection carries its
 * password from SecretStorage, and a trace must not write it to the log.
 */
function redactingTrace(output: vscode.LogOutputChannel): vscode.LogOutputChannel {
  return new Proxy(output, {
    get(target, key) {
      if (key === 'trace') return (message: string, ...args: unknown[]) => target.trace(message.replace(PASSWORD_FIELD, '$1"***"'), ...args);
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

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
    traceOutputChannel: redactingTrace(output),
  };
  return new LanguageClient('pgvet', 'pgvet', serverOptions, clientOptions);
}
