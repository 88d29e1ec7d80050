import * as vscode from 'vscode';
import { findMigrationSets } from '../../../server/src/catalog/history';
import { nodeDirectoryView } from '../../../server/src/catalog/node-directory';
import { initParser } from '../../../server/src/parse/sql/parser';
import { verifyHistory, type MigrationVerdict } from '../../../server/src/verify/verify';

const verdicts = vscode.languages.createDiagnosticCollection('pgvet-verify');

/** A verdict as a problem on the up migration (or on the failing statement of the up or down file). */
async function toDiagnostic(v: MigrationVerdict): Promise<[vscode.Uri, vscode.Diagnostic] | undefined> {
  if (v.status === 'reversible') return undefined;
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

/**
 * "pgvet: Verify Migrations": every history of the workspace replayed on an embedded PostgreSQL (never a real
 * database): up, snapshot, down, compare, up again. Verdicts become problems; progress shows and can be cancelled.
 */
async function verifyMigrations(output: vscode.LogOutputChannel): Promise<void> {
  const folder = (vscode.window.activeTextEditor && vscode.workspace.getWorkspaceFolder(vscode.window.activeTextEditor.document.uri)) ?? vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showInformationMessage('pgvet: open a folder with migrations to verify them.');
    return;
  }
  await initParser();
  const sets = findMigrationSets(folder.uri.fsPath, nodeDirectoryView);
  if (sets.length === 0) {
    void vscode.window.showInformationMessage('pgvet: no migration folders found in this workspace.');
    return;
  }
  verdicts.clear();
  const byFile = new Map<string, vscode.Diagnostic[]>();
  const summary: string[] = [];
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'pgvet: verifying migrations', cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    for (const set of sets) {
      if (abort.signal.aborted) break;
      const name = vscode.workspace.asRelativePath(set.dir);
      try {
        const report = await verifyHistory(set, {
          signal: abort.signal,
          onProgress: (p) => progress.report({ message: `${name}: ${p.done}/${p.total}`, increment: 0 }),
        });
        summary.push(`${name}: ${report.reversible} reversible, ${report.notReversible} not reversible, ${report.failed} failing`);
        output.info(`pgvet verify ${name}: ${summary[summary.length - 1]} (${report.ms} ms)`);
        for (const v of report.migrations) {
          const hit = await toDiagnostic(v);
          if (!hit) continue;
          const key = hit[0].toString();
          byFile.set(key, [...(byFile.get(key) ?? []), hit[1]]);
        }
      } catch (e) {
        if (abort.signal.aborted) break;
        output.error(`pgvet verify ${name}: ${e instanceof Error ? e.stack : String(e)}`);
        summary.push(`${name}: could not be verified (${e instanceof Error ? e.message : String(e)})`);
      }
    }
  });
  for (const [uri, list] of byFile) verdicts.set(vscode.Uri.parse(uri), list);
  void vscode.window.showInformationMessage(`pgvet verify: ${summary.join(' · ') || 'cancelled'}`);
}

export function registerVerify(output: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.Disposable.from(verdicts, vscode.commands.registerCommand('pgvet.verifyMigrations', () => verifyMigrations(output)));
}
