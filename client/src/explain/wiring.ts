import * as vscode from 'vscode';
import { buildCatalogAsync, findMigrationSets, nodeDirectoryView, readClientSetting, newMigration, initParser, workerExplainClient, loadSampleRows, ShadowDatabaseCache, shadowKey, historyForQuery, shadowHistories } from '../../../core/src';
import type { MigrationSet, Catalog, ShadowHistory, ShadowDatabase } from '../../../core/src';
import type { ExplainDeps } from './commands';
import { pgvetSettings } from '../configuration';
import { ExplainPanel, registerExplainPanelSerializer, SHADOW_SOURCE, type ExplainPanelHandlers } from './panel/explain-panel';
import { savePlanFile } from './panel/plan-file';
import { toPlanView } from './panel/plan-view';
import { registerSavedPlans } from './saved-plans';

const shadowCache = new ShadowDatabaseCache();
const shadowProblems = vscode.languages.createDiagnosticCollection('pgvet-shadow');
let lastShadow: { workspace: string; sets: MigrationSet[]; shadow: ShadowDatabase } | undefined;
/** Rows per table that "Load sample rows" put into a shadow database, for the panel's "Ran on" line. */
const sampleRowsIn = new WeakMap<ShadowDatabase, number>();
/** How to run the EXPLAIN behind a plan again, by plan id ("Load sample rows" re-runs it). */
const reruns = new Map<string, () => Promise<void>>();

function workspaceRoot(): string | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  const folder = (doc && vscode.workspace.getWorkspaceFolder(doc.uri)) ?? vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.fsPath;
}

/** The files each history's last build put problems on: a history's rebuild replaces only its own. */
const problemFiles = new Map<string, vscode.Uri[]>();

/** Migrations that PostgreSQL refused while building a history's shadow database, as problems on their statements. */
async function publishShadowFailures(history: string, shadow: ShadowDatabase): Promise<void> {
  for (const uri of problemFiles.get(history) ?? []) shadowProblems.delete(uri);
  const byFile = new Map<string, vscode.Diagnostic[]>();
  for (const m of shadow.report.migrations) {
    if (m.status !== 'failed' || !m.error) continue;
    const doc = await vscode.workspace.openTextDocument(m.path);
    const at = m.error.offset ?? m.error.statement.start;
    const range = new vscode.Range(doc.positionAt(at), doc.positionAt(m.error.offset !== undefined ? at + 1 : m.error.statement.end));
    const d = new vscode.Diagnostic(range, `This migration fails on PostgreSQL: ${m.error.message}${m.error.hint ? ` (${m.error.hint})` : ''}`, vscode.DiagnosticSeverity.Error);
    d.source = 'pgvet shadow database';
    if (m.error.code) d.code = m.error.code;
    byFile.set(m.path, [...(byFile.get(m.path) ?? []), d]);
  }
  const uris = [...byFile].map(([path, list]) => {
    const uri = vscode.Uri.file(path);
    shadowProblems.set(uri, list);
    return uri;
  });
  problemFiles.set(history, uris);
}

/** The catalog each history builds, for telling which one a query's tables belong to (kept per history content). */
const catalogs = new Map<string, { key: string; catalog: Promise<Catalog> }>();

function catalogOf(history: ShadowHistory): Promise<Catalog> {
  const key = shadowKey(history.sets);
  const cached = catalogs.get(history.id);
  if (cached?.key === key) return cached.catalog;
  const catalog = buildCatalogAsync(history.sets.flatMap((s) => s.migrations));
  catalogs.set(history.id, { key, catalog });
  return catalog;
}

/** The history a query was last explained on after asking, per workspace: offered first next time. */
const lastPicked = new Map<string, string>();

const cancelled = () => Object.assign(new Error('No migration history chosen.'), { name: 'AbortError' });

/**
 * The history to explain `sql` on: the one whose tables the query names, else the user's pick (the query names
 * tables of several histories, or none of any). Rejects with an AbortError when the pick is dismissed.
 */
async function chooseHistory(root: string, histories: ShadowHistory[], sql: string, token: vscode.CancellationToken): Promise<ShadowHistory> {
  const choice = historyForQuery(await Promise.all(histories.map(async (history) => ({ history, catalog: await catalogOf(history) }))), sql);
  if (choice.kind === 'one') return choice.history;
  const names = choice.named.map((r) => (r.schema ? `${r.schema}.${r.name}` : r.name)).join(', ');
  const previous = lastPicked.get(root);
  const items = [...choice.candidates]
    .sort((a, b) => Number(b.id === previous) - Number(a.id === previous))
    .map((history) => ({
      label: vscode.workspace.asRelativePath(history.id),
      description: `${history.sets.reduce((n, s) => n + s.migrations.length, 0)} migrations (${history.sets.map((s) => s.layout).join(' + ')})`,
      history,
    }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'pgvet: explain on which migration history?',
    placeHolder: choice.reason === 'ambiguous'
      ? `${names} exist in each of these histories (separate databases): pick the one to build the shadow database from`
      : `${names ? `No history creates ${names}` : 'The query names no table'}: pick the history to build the shadow database from`,
  }, token);
  if (!picked) throw cancelled();
  lastPicked.set(root, picked.history.id);
  return picked.history;
}

async function embedded(progress: vscode.Progress<{ message?: string }>, token: vscode.CancellationToken, sql: string) {
  const root = workspaceRoot();
  if (!root) throw new Error('Open a folder with migrations to explain on the embedded shadow database, or pick a connection from the status bar.');
  await initParser();
  // One shadow database per history: separate projects' migrations replayed into one database collide.
  const histories = shadowHistories(findMigrationSets(root, nodeDirectoryView), root);
  const history = histories.length ? await chooseHistory(root, histories, sql, token) : { id: root, sets: [] };
  const sets = history.sets;
  const abort = new AbortController();
  token.onCancellationRequested(() => abort.abort());
  const shadow = await shadowCache.get(history.id, sets, {
    signal: abort.signal,
    onProgress: (p) => progress.report({ message: `building the shadow database: ${p.done}/${p.total} migrations` }),
  });
  lastShadow = { workspace: root, sets, shadow };
  await publishShadowFailures(history.id, shadow);
  const migrations = sets.reduce((n, s) => n + s.migrations.length, 0);
  const from = histories.length > 1 ? ` from ${vscode.workspace.asRelativePath(history.id)}` : '';
  const rows = sampleRowsIn.get(shadow);
  const label = migrations === 0
    ? 'embedded shadow database — no migrations found in the workspace, so it is empty'
    : rows !== undefined
      ? `embedded shadow database (PGlite)${from} with ${rows.toLocaleString('en-US')} generated sample rows per table (${shadow.report.summary.replace(/^Empty shadow database \(PGlite\) /, '')})`
      : `${SHADOW_SOURCE.label}${from} (${shadow.report.summary})`;
  const release = await shadow.db.acquire();
  return { client: workerExplainClient(shadow.db), label, end: async () => release() };
}

/** "Create index migration": the tip's CREATE INDEX in a new migration of the history that owns the table. */
async function createIndexMigration(table: string, sql: string): Promise<void> {
  const root = workspaceRoot();
  const sets = root ? findMigrationSets(root, nodeDirectoryView) : [];
  const set = sets.find((s) => s.migrations.some((m) => new RegExp(`\\b${table.replace(/^.*\./, '').replace(/"/g, '')}\\b`, 'i').test(m.text))) ?? sets[0];
  if (!set || set.migrations.length === 0) {
    const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: `${sql}\n` });
    await vscode.window.showTextDocument(doc);
    void vscode.window.showInformationMessage('pgvet: no migrations folder found; the CREATE INDEX is in a new editor for you to place.');
    return;
  }
  const last = set.migrations[set.migrations.length - 1].path;
  const indexName = /INDEX\s+(?:CONCURRENTLY\s+)?(?:IF NOT EXISTS\s+)?("?[\w$]+"?)/i.exec(sql)?.[1] ?? 'new_idx';
  const plain = sql.replace(/\s+CONCURRENTLY\b/i, '').replace(/;\s*$/, '');
  const created = newMigration({
    layout: set.layout,
    existing: set.migrations.map((m) => m.path),
    originFile: last,
    name: `add_${indexName.replace(/"/g, '')}`,
    up: (concurrently) => [`${concurrently ? plain.replace(/\bINDEX\b/i, 'INDEX CONCURRENTLY') : plain};`],
    down: (concurrently) => [`DROP INDEX${concurrently ? ' CONCURRENTLY' : ''} IF EXISTS ${indexName};`],
    wantsConcurrently: true,
  });
  if (!created) {
    void vscode.window.showWarningMessage(`pgvet: ${set.layout} migrations need more than a new file (e.g. sqitch.plan); add this yourself:\n${sql}`);
    return;
  }
  const edit = new vscode.WorkspaceEdit();
  const base = vscode.Uri.file(last.replace(/[\\/][^\\/]*$/, ''));
  const uris = created.files.map((f) => vscode.Uri.joinPath(base, f.relativePath));
  created.files.forEach((f, k) => {
    edit.createFile(uris[k], { ignoreIfExists: false, contents: Buffer.from(f.content, 'utf8') });
  });
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage('pgvet: could not create the migration file.');
    return;
  }
  await vscode.window.showTextDocument(uris[0]);
}

function handlers(output: vscode.LogOutputChannel): ExplainPanelHandlers {
  return {
    onCreateIndex: (tip) => createIndexMigration(tip.fix.table, tip.fix.sql),
    async onSave(plan) {
      await savePlanFile(plan);
    },
    async onLoadSampleRows(plan) {
      const shadow = lastShadow;
      if (!shadow) {
        void vscode.window.showInformationMessage('pgvet: the shadow database is not built yet; run Explain first.');
        return;
      }
      // The shadow database is the workspace folder's, so a folder's own setting applies.
      const rows = readClientSetting(pgvetSettings(vscode.Uri.file(shadow.workspace)).get('explain.sampleRows'), 'explain.sampleRows').value;
      const loaded = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `pgvet: loading ${rows} sample rows per table…`, cancellable: true },
        async (progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          const catalog = await buildCatalogAsync(shadow.sets.flatMap((set) => set.migrations));
          const release = await shadow.shadow.db.acquire();
          try {
            const report = await loadSampleRows(shadow.shadow.db, catalog, {
              rowsPerTable: rows,
              signal: abort.signal,
              onProgress: (p) => progress.report({ message: `${p.done}/${p.total} tables${p.table ? ` (${p.table})` : ''}` }),
            });
            // An EXPLAIN stopped by its timeout restarts the worker from here, rows included.
            await shadow.shadow.db.checkpoint();
            sampleRowsIn.set(shadow.shadow, Math.max(rows, sampleRowsIn.get(shadow.shadow) ?? 0));
            return report;
          } finally {
            release();
          }
        },
      );
      const filled = loaded.tables.filter((t) => t.inserted > 0).length;
      output.info(`sample rows: ${rows} per table, rows inserted into ${filled} of ${loaded.tables.length} tables in ${loaded.ms} ms`);
      const rerun = reruns.get(plan.planId);
      if (!rerun) {
        void vscode.window.showInformationMessage(`pgvet: sample rows loaded into ${filled} of ${loaded.tables.length} tables. Run Explain again to see plans on them.`);
        return;
      }
      // The same EXPLAIN again, so the panel shows the plan over the rows just loaded.
      vscode.window.setStatusBarMessage(`pgvet: sample rows loaded into ${filled} of ${loaded.tables.length} tables; explaining again…`, 5000);
      await rerun();
    },
    log: (message) => output.info(`explain panel: ${message}`),
  };
}

export function explainDeps(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): ExplainDeps {
  const h = handlers(output);
  return {
    embedded,
    showRunning: (message) => ExplainPanel.showRunning(context, message, h),
    showPlan: ({ analyzed, tips, sql, source, rerun }) => {
      const view = toPlanView({ plan: analyzed, tips, sql, source: { kind: source.kind, label: source.label } });
      reruns.set(view.planId, rerun);
      // Only recent plans can be re-run (the panel's history is short too).
      for (const id of [...reruns.keys()].slice(0, -20)) reruns.delete(id);
      ExplainPanel.show(context, view, h);
    },
  };
}

export function registerExplainPanel(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): vscode.Disposable {
  const h = handlers(output);
  return vscode.Disposable.from(
    registerExplainPanelSerializer(context, h),
    registerSavedPlans(context, h),
    shadowProblems,
    { dispose: () => void shadowCache.dispose() },
  );
}
