import * as vscode from 'vscode';
import { findMigrationSets, nodeDirectoryView, initParser, reportCounts, verifyHistory } from '../../../core/src';
import type { MigrationVerdict, VerifyReport } from '../../../core/src';

const verdicts = vscode.languages.createDiagnosticCollection('pgvet-verify');

/** What "pgvet: Verify Migrations" found; the command resolves to it (undefined when there was nothing to verify). */
export interface VerifyCommandResult {
  /** One report per history verified to the end, in path order. */
  reports: VerifyReport[];
  /** Histories that could not be verified, with the reason (cancellation is not an error). */
  errors: { set: string; message: string }[];
  /** Stopped by the user (or the caller's token) before every history was verified. */
  cancelled: boolean;
}

/**
 * A verdict as a problem on the up migration (or on the failing statement of the up or down file). A migration
 * that applies is no problem, also where the tool keeps no downs (`applied`): the summary says that once.
 */
async function toDiagnostic(v: MigrationVerdict): Promise<[vscode.Uri, vscode.Diagnostic] | undefined> {
  if (v.status === 'reversible' || v.status === 'applied') return undefined;
  if (v.failure) {
    const doc = await vscode.workspace.openTextDocument(v.failure.path);
    const e = v.failure.error;
    const at = e.offset ?? e.statement.start;
    const range = new vscode.Range(doc.positionAt(at), doc.positionAt(e.offset !== undefined ? at + 1 : e.statement.end));
    const d = new vscode.Diagnostic(range, `pgvet verify: the ${v.failure.direction} migration fails on PostgreSQL: ${e.message}`, vscode.DiagnosticSeverity.Error);
    d.source = 'pgvet verify';
    return [doc.uri, d];
  }
  const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), `pgvet verify: not reversible — ${v.differences.join('; ')}`, vscode.DiagnosticSeverity.Warning);
  d.source = 'pgvet verify';
  return [vscode.Uri.file(v.path), d];
}

/** Publishes the problems of one verified history (as soon as it is done, not after the last one). */
async function publish(report: VerifyReport): Promise<void> {
  const byFile = new Map<string, [vscode.Uri, vscode.Diagnostic[]]>();
  for (const v of report.migrations) {
    const hit = await toDiagnostic(v);
    if (!hit) continue;
    const key = hit[0].toString();
    byFile.set(key, [hit[0], [...(byFile.get(key)?.[1] ?? []), hit[1]]]);
  }
  for (const [uri, list] of byFile.values()) verdicts.set(uri, list);
}

const isToken = (x: unknown): x is vscode.CancellationToken =>
  typeof x === 'object' && x !== null && typeof (x as vscode.CancellationToken).onCancellationRequested === 'function';

/**
 * "pgvet: Verify Migrations": every history of the workspace (or under `folder`) replayed on an embedded
 * PostgreSQL (never a real database): up, snapshot, down, compare, up again. Verdicts become problems, history
 * by history; progress shows and can be cancelled, from the notification or through `external`. The embedded
 * database runs in a worker thread (core/src/verify/database.ts): Cancel, and a statement running past the
 * statement timeout (60 s), terminate the worker even in the middle of a statement, so the extension host is never blocked.
 */
async function verifyMigrations(output: vscode.LogOutputChannel, folder?: vscode.Uri, external?: vscode.CancellationToken): Promise<VerifyCommandResult | undefined> {
  const root =
    folder?.fsPath ??
    ((vscode.window.activeTextEditor && vscode.workspace.getWorkspaceFolder(vscode.window.activeTextEditor.document.uri)) ?? vscode.workspace.workspaceFolders?.[0])?.uri.fsPath;
  if (!root) {
    void vscode.window.showInformationMessage('pgvet: open a folder with migrations to verify them.');
    return undefined;
  }
  await initParser();
  // Path order, so that the order of the verdicts does not depend on the order the file system lists folders in.
  const sets = findMigrationSets(root, nodeDirectoryView).sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
  if (sets.length === 0) {
    void vscode.window.showInformationMessage('pgvet: no migration folders found in this workspace.');
    return undefined;
  }
  verdicts.clear();
  const result: VerifyCommandResult = { reports: [], errors: [], cancelled: false };
  const summary: string[] = [];
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'pgvet: verifying migrations', cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    const listeners = [token.onCancellationRequested(() => abort.abort()), ...(external ? [external.onCancellationRequested(() => abort.abort())] : [])];
    if (external?.isCancellationRequested) abort.abort();
    try {
      for (const set of sets) {
        if (abort.signal.aborted) break;
        const name = vscode.workspace.asRelativePath(set.dir);
        try {
          const report = await verifyHistory(set, {
            signal: abort.signal,
            onProgress: (p) => progress.report({ message: `${name}: ${p.done}/${p.total}`, increment: 0 }),
          });
          result.reports.push(report);
          summary.push(`${name}: ${reportCounts(report)}`);
          output.info(`pgvet verify ${summary[summary.length - 1]} (${report.ms} ms)`);
          for (const line of report.afterRun) output.warn(`pgvet verify ${name}: ${line}`);
          await publish(report);
        } catch (e) {
          if (abort.signal.aborted) break;
          const message = e instanceof Error ? e.message : String(e);
          output.error(`pgvet verify ${name}: ${e instanceof Error ? e.stack : String(e)}`);
          result.errors.push({ set: set.dir, message });
          summary.push(`${name}: could not be verified (${message})`);
        }
      }
    } finally {
      for (const l of listeners) l.dispose();
    }
    result.cancelled = abort.signal.aborted;
  });
  if (result.cancelled) output.info(`pgvet verify: cancelled after ${result.reports.length} of ${sets.length} histories`);
  void vscode.window.showInformationMessage(`pgvet verify: ${[...summary, ...(result.cancelled ? ['cancelled'] : [])].join(' · ')}`);
  return result;
}

export function registerVerify(output: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.Disposable.from(
    verdicts,
    // Arguments (all optional): a folder to verify instead of the workspace (explorer menus pass one), and a
    // CancellationToken for callers other than the notification's Cancel button.
    vscode.commands.registerCommand('pgvet.verifyMigrations', (folder?: unknown, token?: unknown) =>
      verifyMigrations(output, folder instanceof vscode.Uri ? folder : undefined, isToken(token) ? token : undefined),
    ),
  );
}
