import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions, FIX_ALL_KIND } from './handlers/code-actions';
import { Linter } from './handlers/linting';
import { ProjectConfigs, uriToPath } from './handlers/project-config';
import { SettingsCache } from './handlers/settings';
import { initParser } from './parse/sql/parser';

// LSP wiring only: the work happens in handlers/, engine/ and rules/.
const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const settings = new SettingsCache(connection);
const configs = new ProjectConfigs(connection);
const linter = new Linter(connection, settings, configs, (uri) => documents.get(uri));
const parserReady = initParser();

connection.onInitialize((params) => {
  if (params.capabilities.workspace?.configuration) settings.enablePull();
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
    },
    serverInfo: { name: 'pgvet', version: process.env.PGVET_VERSION },
  };
});

connection.onInitialized(() => {
  void connection.client.register(DidChangeConfigurationNotification.type, { section: 'pgvet' }).catch(() => undefined);
});

const relintAll = () => {
  for (const doc of documents.all()) linter.schedule(doc, true);
};

connection.onDidChangeConfiguration(() => {
  settings.clear();
  configs.invalidate();
  relintAll();
});

connection.onDidChangeWatchedFiles((params) => {
  let relevant = false;
  for (const change of params.changes) {
    if (change.uri.endsWith('/pgvet.json')) {
      configs.invalidate(uriToPath(change.uri));
      relevant = true;
    } else if (change.uri.endsWith('metadata.toml') || change.type !== FileChangeType.Changed) {
      relevant = true;
    }
  }
  if (relevant) relintAll();
});

documents.onDidOpen(async (e) => {
  await parserReady;
  linter.schedule(e.document, true);
});
documents.onDidChangeContent(async (e) => {
  await parserReady;
  if (e.document.version > 1) linter.schedule(e.document, false);
});
documents.onDidClose((e) => {
  settings.forget(e.document.uri);
  linter.clear(e.document.uri);
});

connection.onCodeAction((params) => {
  const doc = documents.get(params.textDocument.uri);
  return doc ? codeActions(doc, params, linter) : [];
});

// Never let one bad input end the process: log and carry on.
process.on('uncaughtException', (e) => connection.console.error(`pgvet: unexpected error: ${e.stack ?? e}`));
process.on('unhandledRejection', (e) => connection.console.error(`pgvet: unexpected rejection: ${e instanceof Error ? e.stack : String(e)}`));

documents.listen(connection);
connection.listen();
