import { sep } from 'node:path';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { forwardOnlyDocuments } from './handlers/documents';
import { stdioTransport } from './handlers/transport';
import { codeActions, createdFileArgument, FIX_ALL_KIND, SHOW_CREATED_FILE_COMMAND } from './handlers/code-actions';
import { definition, hover } from './handlers/hover';
import { documentSymbols, workspaceSymbols } from './handlers/symbols';
import { catalogView } from './handlers/catalog-request';
import { AppliedMigrations } from './handlers/applied';
import { Linter } from './handlers/linting';
import { ProjectConfigs, uriToPath } from './handlers/project-config';
import { SettingsCache } from './handlers/settings';
import {
  CATALOG_REQUEST, CREATE_INDEX_MIGRATION_REQUEST, EXPLAIN_REQUEST, EXPLAINABLE_STATEMENTS_REQUEST, explainableStatements, EXPLAIN_STATEMENT_REQUEST, GENERATE_DOWN_REQUEST,
  INDEXED_NOTIFICATION, INDEXING_NOTIFICATION, initParser, LOAD_SAMPLE_ROWS_REQUEST, nodeDirectoryView, shadowHistories, TEST_CONNECTION_REQUEST, VERIFY_REQUEST, Workspace, WorkspaceIndex,
  WRITE_BASELINE_REQUEST,
} from '../../core/src';
import type {
  CreateIndexMigrationParams, ExplainableStatementsParams, ExplainParams, ExplainStatementParams, GenerateDownAnswer, GenerateDownParams, LoadSampleRowsParams, TestConnectionParams, VerifyParams,
} from '../../core/src';
import { createIndexMigration, explain, explainStatement, loadRows } from './handlers/explain';
import { EmbeddedDatabases, type HistoriesOf } from './handlers/explain-shadow';
import { EditorBaseline } from './handlers/editor-baseline';
import { WorkspaceProblems } from './handlers/workspace-problems';
import { ProblemsCache } from './handlers/problems-cache';
import { writeWorkspaceBaselines } from './handlers/write-baseline';
import { generateDownAnswer } from './handlers/generate-down';
import { verifyRequest } from './handlers/verify';
import { testConnection } from './handlers/test-connection';

// LSP wiring only: the work happens in handlers/, engine/ and rules/.
const transport = stdioTransport(process.argv);
const connection = transport ? createConnection(ProposedFeatures.all, ...transport) : createConnection(ProposedFeatures.all);
const documents = new TextDocuments(forwardOnlyDocuments((uri, version, current) =>
  connection.console.warn(`pgvet: ignored a change to ${uri} for version ${version}: the document is at version ${current}`)));
const settings = new SettingsCache(connection);
const configs = new ProjectConfigs(connection);
let index: WorkspaceIndex | undefined;
// The open documents' text over the disk: what linting, hover, go-to-definition and the Prisma schema loading read.
const workspace = new Workspace(nodeDirectoryView, () => index);
const linter = new Linter(connection, settings, configs, (uri) => documents.get(uri), () => documents.all(), workspace);
const applied = new AppliedMigrations(connection, settings, configs);
linter.onAppliedProblem = (p) => applied.warnOnce(p);
const baseline = new EditorBaseline(configs, () => roots);
linter.baseline = baseline;
// The workspace's problems are kept in the CLI's cache folder of the first workspace folder (handlers/problems-cache.ts).
const problemsCache = new ProblemsCache(() => roots[0]);
const problems = new WorkspaceProblems(connection, workspace, configs, settings, applied, baseline, (uri) => documents.get(uri) !== undefined, problemsCache);
linter.onHistoryChanged = () => problems.historyEdited();
const embedded = new EmbeddedDatabases(connection);
const parserReady = initParser();
let roots: string[] = [];
let indexed: Promise<void> = Promise.resolve();
let canShowDocument = false;

connection.onInitialize((params) => {
  if (params.capabilities.workspace?.configuration) settings.enablePull();
  canShowDocument = params.capabilities.window?.showDocument?.support === true;
  roots = (params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []))
    .map((u) => uriToPath(u))
    .filter((p): p is string => p !== undefined);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
      executeCommandProvider: { commands: [SHOW_CREATED_FILE_COMMAND] },
      hoverProvider: true,
      documentSymbolProvider: true,
      workspaceSymbolProvider: true,
      definitionProvider: true,
    },
    serverInfo: { name: 'pgvet', version: process.env.PGVET_VERSION },
  };
});

connection.onInitialized(() => {
  void connection.client.register(DidChangeConfigurationNotification.type, { section: 'pgvet' }).catch(() => undefined);
  indexed = indexWorkspace();
});

/** Finds and parses the workspace's migration histories at start-up, with progress shown in the editor. */
async function indexWorkspace(): Promise<void> {
  await parserReady;
  if (roots.length === 0) return;
  const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
  progress?.begin('pgvet: indexing migrations', 0, 'looking for migration folders', false);
  void connection.sendNotification(INDEXING_NOTIFICATION, {});
  const started = Date.now();
  const next = new WorkspaceIndex(roots, workspace.files, (root) => configs.forRoot(root).migrations);
  try {
    await next.buildAsync((done, total) => progress?.report(Math.round((100 * done) / total), `${done}/${total} migrations`));
    await applied.refresh(roots);
    next.setAppliedSource(applied.source());
    index = next;
    const sets = next.migrationSets();
    connection.console.info(
      `pgvet: indexed ${next.migrationCount()} migrations in ${sets.length} histor${sets.length === 1 ? 'y' : 'ies'} in ${Date.now() - started} ms` +
        sets.map((s) => `\n  ${s.dir} (${s.layout}, ${s.migrations.length})`).join(''),
    );
  } catch (e) {
    connection.console.error(`pgvet: indexing the workspace failed, schema rules are off: ${e instanceof Error ? e.stack : String(e)}`);
  } finally {
    progress?.done();
  }
  void connection.sendNotification(INDEXED_NOTIFICATION, { migrations: index?.migrationCount() ?? 0, histories: index?.migrationSets().length ?? 0 });
  linter.relintAll();
  void problems.refresh();
}

const relintAll = () => {
  linter.relintAll();
  void problems.refresh();
};

/** pgvet.baseRef changed, or HEAD moved: resolve the base refs again, then lint again. */
async function refreshApplied(): Promise<void> {
  await indexed;
  await applied.refresh(roots);
  index?.setAppliedSource(applied.source());
  relintAll();
}

connection.onDidChangeConfiguration(() => {
  settings.clear();
  configs.invalidate();
  relintAll();
  void refreshApplied();
});

connection.onDidChangeWatchedFiles((params) => {
  let relevant = false;
  const prismaFiles: string[] = [];
  const sqlFiles: string[] = [];
  for (const change of params.changes) {
    const path = uriToPath(change.uri);
    if (change.uri.endsWith('/.git/HEAD')) {
      void refreshApplied();
      continue;
    }
    if (change.uri.endsWith('/pgvet-baseline.json')) {
      relevant = true;
      continue;
    }
    if (change.uri.endsWith('/pgvet.json')) {
      configs.invalidate(path);
      relevant = true;
    } else if (change.uri.endsWith('metadata.toml')) {
      relevant = true;
    }
    const kind = change.type === FileChangeType.Created ? 'created' : change.type === FileChangeType.Deleted ? 'deleted' : 'changed';
    // An open file's editor text wins over the disk: saving it changes nothing the linter reads.
    if (!path || (kind === 'changed' && documents.get(change.uri))) continue;
    if (/\.sql$/i.test(path)) {
      sqlFiles.push(path);
      if (index) relevant = index.fileChanged(path, kind) || relevant;
    } else if (/\.prisma$/i.test(path)) {
      prismaFiles.push(path);
    }
  }
  if (relevant) return relintAll();
  // The open .prisma files whose schema, or whose migrations folder (one the index does not hold), changed on disk.
  if (prismaFiles.length) linter.prismaFilesChanged(prismaFiles);
  if (sqlFiles.length) linter.migrationFilesChanged(sqlFiles);
});

documents.onDidOpen(async (e) => {
  problems.opened(e.document.uri);
  await parserReady;
  linter.schedule(e.document, true);
});
documents.onDidChangeContent(async (e) => {
  // On open too: the editor's text wins over the disk from the first version on.
  const path = uriToPath(e.document.uri);
  if (path) workspace.open(path, e.document.getText());
  await parserReady;
  if (e.document.version > 1) linter.schedule(e.document, false);
});
documents.onDidClose((e) => {
  settings.forget(e.document.uri);
  linter.closed(e.document);
  const path = uriToPath(e.document.uri);
  if (path) index?.unfocus(path);
  // Closed without saving: the history goes back to what is on disk.
  if (path && workspace.close(path)) relintAll();
  // Its schema problems stay in the Problems panel, now from the disk.
  else void problems.refresh();
});

connection.onRequest(WRITE_BASELINE_REQUEST, async () => {
  await indexed;
  const result = writeWorkspaceBaselines(roots, index, applied, baseline);
  relintAll();
  return result;
});

connection.onHover((params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc || doc.languageId !== 'sql') return null;
  return hover(doc, doc.offsetAt(params.position), workspace, roots[0], linter.parsedSql(doc.uri, doc.version));
});

connection.onDefinition((params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc || doc.languageId !== 'sql') return null;
  return definition(doc, doc.offsetAt(params.position), workspace, linter.parsedSql(doc.uri, doc.version));
});

connection.onDocumentSymbol((params) => {
  const doc = documents.get(params.textDocument.uri);
  return doc ? documentSymbols(doc, linter.parsedAt(doc.uri, doc.version)) : [];
});

connection.onWorkspaceSymbol((params) => workspaceSymbols(params.query, index));

connection.onRequest(CATALOG_REQUEST, () => catalogView(index));

connection.onRequest(GENERATE_DOWN_REQUEST, async (params: GenerateDownParams): Promise<GenerateDownAnswer> => {
  await parserReady;
  const up = uriToPath(params.uri);
  const folder = uriToPath(params.folder);
  return up && folder ? generateDownAnswer(up, folder) : { pairsDowns: false };
});

connection.onRequest(VERIFY_REQUEST, async (params: VerifyParams, token) => {
  await parserReady;
  return verifyRequest(connection, params, token);
});

/** The workspace folder holding `path` (the first one when none does). */
function rootOf(path: string | undefined): string | undefined {
  return roots.find((r) => path !== undefined && (path === r || path.startsWith(r.endsWith(sep) ? r : r + sep))) ?? roots[0];
}

/** The migration histories of the document's workspace folder: one embedded database each. */
const historiesOf: HistoriesOf = async (uri) => {
  await indexed;
  const root = rootOf(uriToPath(uri));
  if (!root) return undefined;
  const inRoot = (index?.migrationSets() ?? []).filter((s) => rootOf(s.dir) === root);
  return { root, histories: shadowHistories(inRoot, root) };
};

connection.onRequest(EXPLAINABLE_STATEMENTS_REQUEST, (params: ExplainableStatementsParams) => {
  const doc = documents.get(params.uri);
  return doc ? explainableStatements(doc.getText()).map((s) => s.start) : [];
});

connection.onRequest(EXPLAIN_STATEMENT_REQUEST, (params: ExplainStatementParams) => explainStatement(params));

connection.onRequest(EXPLAIN_REQUEST, async (params: ExplainParams, token) => {
  embedded.setIdleMinutes((await settings.get(params.uri)).settings.embeddedDatabase.idleMinutes);
  return explain(connection, embedded, historiesOf, params, token);
});

connection.onRequest(TEST_CONNECTION_REQUEST, (params: TestConnectionParams) => testConnection(params));

connection.onRequest(LOAD_SAMPLE_ROWS_REQUEST, (params: LoadSampleRowsParams, token) => loadRows(connection, embedded, params, token));

connection.onRequest(CREATE_INDEX_MIGRATION_REQUEST, async (params: CreateIndexMigrationParams) => {
  await indexed;
  return createIndexMigration(index?.migrationSets() ?? [], params);
});

connection.onShutdown(() => embedded.dispose());

connection.onCodeAction((params) => {
  const doc = documents.get(params.textDocument.uri);
  return doc ? codeActions(doc, params, linter) : [];
});

connection.onExecuteCommand(async (params) => {
  const uri = params.command === SHOW_CREATED_FILE_COMMAND ? createdFileArgument(params.arguments) : undefined;
  if (uri && canShowDocument) await connection.window.showDocument({ uri, takeFocus: true }).catch(() => undefined);
});

// Never let one bad input end the process: log and carry on.
process.on('uncaughtException', (e) => connection.console.error(`pgvet: unexpected error: ${e.stack ?? e}`));
process.on('unhandledRejection', (e) => connection.console.error(`pgvet: unexpected rejection: ${e instanceof Error ? e.stack : String(e)}`));

documents.listen(connection);
connection.listen();
