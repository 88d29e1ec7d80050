import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  CREATE_INDEX_MIGRATION_REQUEST, EXPLAIN_PROGRESS_NOTIFICATION, LOAD_SAMPLE_ROWS_REQUEST, PICK_HISTORY_REQUEST, readClientSetting,
} from '../../../core/src';
import type { CreateIndexMigrationResult, ExplainProgressParams, LoadSampleRowsResult, PickHistoryParams, ShadowFailure } from '../../../core/src';
import type { ExplainDeps } from './commands';
import { pgvetSettings } from '../configuration';
import { ExplainPanel, registerExplainPanelSerializer, type ExplainPanelHandlers } from './panel/explain-panel';
import { savePlanFile } from './panel/plan-file';
import { toPlanView } from './panel/plan-view';
import { registerSavedPlans } from './saved-plans';

/**
 * The EXPLAIN feature's editor side: the panel's buttons and the problems of the shadow database's build. The
 * embedded database itself, the catalog and the runner live in the language server (server/src/handlers/explain*.ts).
 */
const shadowProblems = vscode.languages.createDiagnosticCollection('pgvet-shadow');
/** How to run the EXPLAIN behind a plan again, by plan id ("Load sample rows" re-runs it), with its shadow database's history. */
const reruns = new Map<string, { history?: string; document?: vscode.Uri; rerun: () => Promise<void> }>();

/** The files each history's last build put problems on: a history's rebuild replaces only its own. */
const problemFiles = new Map<string, vscode.Uri[]>();

/** Migrations that PostgreSQL refused while building a history's shadow database, as problems on their statements. */
async function publishShadowFailures(history: string, failures: ShadowFailure[]): Promise<void> {
  for (const uri of problemFiles.get(history) ?? []) shadowProblems.delete(uri);
  const byFile = new Map<string, vscode.Diagnostic[]>();
  for (const f of failures) {
    const doc = await vscode.workspace.openTextDocument(f.path);
    const d = new vscode.Diagnostic(new vscode.Range(doc.positionAt(f.start), doc.positionAt(f.end)), f.message, vscode.DiagnosticSeverity.Error);
    d.source = 'pgvet shadow database';
    if (f.code) d.code = f.code;
    byFile.set(f.path, [...(byFile.get(f.path) ?? []), d]);
  }
  const uris = [...byFile].map(([path, list]) => {
    const uri = vscode.Uri.file(path);
    shadowProblems.set(uri, list);
    return uri;
  });
  problemFiles.set(history, uris);
}

/** The server asks which history to build the shadow database from: a quick pick; null when dismissed. */
async function pickHistory(params: PickHistoryParams): Promise<string | null> {
  const picked = await vscode.window.showQuickPick(params.candidates.map((c) => ({ label: c.label, description: c.description, id: c.id })), {
    title: 'pgvet: explain on which migration history?',
    placeHolder: params.placeHolder,
  });
  return picked?.id ?? null;
}

/** "Create index migration": the server writes the tip's CREATE INDEX as a new migration's files; they are created here for review. */
async function createIndexMigration(client: LanguageClient | undefined, table: string, sql: string): Promise<void> {
  const created = await client?.sendRequest<CreateIndexMigrationResult>(CREATE_INDEX_MIGRATION_REQUEST, { table, sql });
  if (!created || created.kind === 'no-migrations') {
    const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: `${sql}\n` });
    await vscode.window.showTextDocument(doc);
    void vscode.window.showInformationMessage('pgvet: no migrations folder found; the CREATE INDEX is in a new editor for you to place.');
    return;
  }
  if (created.kind === 'unsupported') {
    void vscode.window.showWarningMessage(`pgvet: ${created.layout} migrations need more than a new file (e.g. sqitch.plan); add this yourself:\n${sql}`);
    return;
  }
  const edit = new vscode.WorkspaceEdit();
  const uris = created.files.map((f) => vscode.Uri.file(f.path));
  created.files.forEach((f, k) => edit.createFile(uris[k], { ignoreIfExists: false, contents: Buffer.from(f.content, 'utf8') }));
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage('pgvet: could not create the migration file.');
    return;
  }
  await vscode.window.showTextDocument(uris[0]);
}

let progressTokens = 0;

/** "Load sample rows" into the plan's shadow database (in the server), then the same EXPLAIN again. */
async function loadSampleRows(client: LanguageClient | undefined, output: vscode.LogOutputChannel, planId: string): Promise<void> {
  const run = reruns.get(planId);
  if (!client || !run?.history) {
    void vscode.window.showInformationMessage('pgvet: the shadow database is not built yet; run Explain first.');
    return;
  }
  const history = run.history;
  // The folder's own setting applies to its shadow database.
  const scope = run.document ?? vscode.workspace.workspaceFolders?.[0]?.uri ?? null;
  const rows = readClientSetting(pgvetSettings(scope).get('explain.sampleRows'), 'explain.sampleRows').value;
  const loaded = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `pgvet: loading ${rows} sample rows per table…`, cancellable: true },
    async (progress, token) => {
      const progressToken = `rows-${++progressTokens}`;
      const listening = client.onNotification(EXPLAIN_PROGRESS_NOTIFICATION, (p: ExplainProgressParams) => {
        if (p.token === progressToken) progress.report({ message: p.message });
      });
      try {
        return await client.sendRequest<LoadSampleRowsResult>(LOAD_SAMPLE_ROWS_REQUEST, { history, rowsPerTable: rows, progressToken }, token);
      } finally {
        listening.dispose();
      }
    },
  );
  if (!loaded.ok) {
    if (loaded.error.kind !== 'cancelled') void vscode.window.showErrorMessage(`pgvet: loading sample rows failed: ${loaded.error.message}`);
    return;
  }
  output.info(`sample rows: ${rows} per table, rows inserted into ${loaded.filled} of ${loaded.tables} tables in ${loaded.ms} ms`);
  // The same EXPLAIN again, so the panel shows the plan over the rows just loaded.
  vscode.window.setStatusBarMessage(`pgvet: sample rows loaded into ${loaded.filled} of ${loaded.tables} tables; explaining again…`, 5000);
  await run.rerun();
}

function handlers(getClient: () => LanguageClient | undefined, output: vscode.LogOutputChannel): ExplainPanelHandlers {
  return {
    onCreateIndex: (tip) => createIndexMigration(getClient(), tip.fix.table, tip.fix.sql),
    async onSave(plan) {
      await savePlanFile(plan);
    },
    onLoadSampleRows: (plan) => loadSampleRows(getClient(), output, plan.planId),
    log: (message) => output.info(`explain panel: ${message}`),
  };
}

export function explainDeps(context: vscode.ExtensionContext, getClient: () => LanguageClient | undefined, output: vscode.LogOutputChannel): ExplainDeps {
  const h = handlers(getClient, output);
  return {
    client: getClient,
    showRunning: (message) => ExplainPanel.showRunning(context, message, h),
    showShadowFailures: publishShadowFailures,
    showPlan: ({ analyzed, tips, sql, source, rerun, history, document }) => {
      const view = toPlanView({ plan: analyzed, tips, sql, source: { kind: source.kind, label: source.label } });
      reruns.set(view.planId, { rerun, history, document });
      // Only recent plans can be re-run (the panel's history is short too).
      for (const id of [...reruns.keys()].slice(0, -20)) reruns.delete(id);
      ExplainPanel.show(context, view, h);
    },
  };
}

export function registerExplainPanel(context: vscode.ExtensionContext, getClient: () => LanguageClient | undefined, output: vscode.LogOutputChannel): vscode.Disposable {
  const h = handlers(getClient, output);
  return vscode.Disposable.from(
    registerExplainPanelSerializer(context, h),
    registerSavedPlans(context, h),
    shadowProblems,
    getClient()?.onRequest(PICK_HISTORY_REQUEST, pickHistory) ?? { dispose: () => undefined },
  );
}
