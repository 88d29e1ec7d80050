import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { VERIFY_PROGRESS_NOTIFICATION, VERIFY_REQUEST } from '../../../core/src';
import type { MigrationVerdict, VerifyParams, VerifyProgressParams, VerifyReport, VerifyRunResult } from '../../../core/src';

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

/** The progress listener of each run going on, by run id (a client has one handler per notification method). */
const runs = new Map<string, (p: VerifyProgressParams) => void>();
let runCount = 0;

/**
 * "pgvet: Verify Migrations": every history of the workspace (or under `folder`) replayed on an embedded
 * PostgreSQL (never a real database) by the language server (`pgvet/verify`): up, snapshot, down, compare, up
 * again. Verdicts become problems, history by history; progress shows and can be cancelled, from the notification
 * or through `external`: cancelling the request stops the embedded database in the server, even mid-statement.
 */
async function verifyMigrations(client: LanguageClient, output: vscode.LogOutputChannel, folder?: vscode.Uri, external?: vscode.CancellationToken): Promise<VerifyCommandResult | undefined> {
  const root =
    folder ??
    ((vscode.window.activeTextEditor && vscode.workspace.getWorkspaceFolder(vscode.window.activeTextEditor.document.uri)) ?? vscode.workspace.workspaceFolders?.[0])?.uri;
  if (!root) {
    void vscode.window.showInformationMessage('pgvet: open a folder with migrations to verify them.');
    return undefined;
  }
  const runId = String(++runCount);
  const summary: string[] = [];
  let published = Promise.resolve();
  // The previous run's problems go once this run has histories to verify (not when it finds none).
  let cleared = false;
  const clearOnce = () => {
    if (!cleared) verdicts.clear();
    cleared = true;
  };
  const answer = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'pgvet: verifying migrations', cancellable: true }, async (progress, token) => {
    const cancel = new vscode.CancellationTokenSource();
    const listeners = [token.onCancellationRequested(() => cancel.cancel()), ...(external ? [external.onCancellationRequested(() => cancel.cancel())] : [])];
    if (external?.isCancellationRequested) cancel.cancel();
    runs.set(runId, (p) => {
      clearOnce();
      const name = vscode.workspace.asRelativePath(p.set);
      if (p.kind === 'progress') {
        progress.report({ message: `${name}: ${p.done}/${p.total}`, increment: 0 });
      } else if (p.kind === 'verified') {
        summary.push(`${name}: ${p.counts}`);
        output.info(`pgvet verify ${name}: ${p.counts} (${p.report.ms} ms)`);
        for (const line of p.report.afterRun) output.warn(`pgvet verify ${name}: ${line}`);
        published = published.then(() => publish(p.report)).catch((e) => output.error(`pgvet verify ${name}: ${e instanceof Error ? e.stack : String(e)}`));
      } else {
        output.error(`pgvet verify ${name}: ${p.message}`);
        summary.push(`${name}: could not be verified (${p.message})`);
      }
    });
    try {
      const params: VerifyParams = { runId, folder: root.toString() };
      return await client.sendRequest<VerifyRunResult>(VERIFY_REQUEST, params, cancel.token);
    } catch (e) {
      // A token cancelled before the request went out: the client does not send it.
      if (cancel.token.isCancellationRequested) return undefined;
      throw e;
    } finally {
      runs.delete(runId);
      for (const l of listeners) l.dispose();
      cancel.dispose();
      await published;
    }
  });
  if (answer?.histories === 0) {
    void vscode.window.showInformationMessage('pgvet: no migration folders found in this workspace.');
    return undefined;
  }
  clearOnce();
  const result: VerifyCommandResult = answer ? { reports: answer.reports, errors: answer.errors, cancelled: answer.cancelled } : { reports: [], errors: [], cancelled: true };
  if (result.cancelled) output.info(`pgvet verify: cancelled after ${result.reports.length} of ${answer?.histories ?? '?'} histories`);
  void vscode.window.showInformationMessage(`pgvet verify: ${[...summary, ...(result.cancelled ? ['cancelled'] : [])].join(' · ')}`);
  return result;
}

export function registerVerify(client: LanguageClient, output: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.Disposable.from(
    verdicts,
    client.onNotification(VERIFY_PROGRESS_NOTIFICATION, (p: VerifyProgressParams) => runs.get(p.runId)?.(p)),
    // Arguments (all optional): a folder to verify instead of the workspace (explorer menus pass one), and a
    // CancellationToken for callers other than the notification's Cancel button.
    vscode.commands.registerCommand('pgvet.verifyMigrations', (folder?: unknown, token?: unknown) =>
      verifyMigrations(client, output, folder instanceof vscode.Uri ? folder : undefined, isToken(token) ? token : undefined),
    ),
  );
}
