import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { INDEXED_NOTIFICATION, INDEXING_NOTIFICATION, PROBLEMS_NOTIFICATION } from '../../core/src';
import type { IndexedParams, WorkspaceProblemCounts as ProblemCounts } from '../../core/src';

/**
 * A status bar item that says what the language server has indexed ("indexing…", then the migration count), then
 * the workspace's problems and what decides them: a baseline, a base ref, pgvet.json "applied".
 */
export function createIndexStatus(client: LanguageClient, onIndexed: () => void): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('pgvet.index', vscode.StatusBarAlignment.Left, 49);
  item.name = 'pgvet index';
  item.command = 'pgvet.showCatalog';
  item.text = '$(sync~spin) pgvet';
  item.tooltip = 'pgvet is starting';
  item.show();
  let indexed = '';
  return vscode.Disposable.from(
    item,
    client.onNotification(INDEXING_NOTIFICATION, () => {
      item.text = '$(sync~spin) pgvet: indexing migrations…';
      item.tooltip = 'pgvet is reading the migration histories of the workspace';
    }),
    client.onNotification(INDEXED_NOTIFICATION, (p: IndexedParams) => {
      indexed = `${p.migrations} migrations in ${p.histories} histor${p.histories === 1 ? 'y' : 'ies'} indexed.`;
      item.text = `$(database) pgvet: ${p.migrations} migration${p.migrations === 1 ? '' : 's'}`;
      item.tooltip = `${indexed} Click to show the catalog they build.`;
      onIndexed();
    }),
    client.onNotification(PROBLEMS_NOTIFICATION, (p: ProblemCounts) => {
      const parts = [`$(error) ${p.error}`, `$(warning) ${p.warning}`];
      if (p.baselines.length) parts.push(`$(archive) ${p.hidden} baselined`);
      if (p.baseRefs.length) parts.push(`$(git-branch) since ${p.baseRefs.join(', ')}`);
      else if (p.appliedInConfig) parts.push('$(git-branch) applied per pgvet.json');
      item.text = `$(database) pgvet ${parts.join(' ')}`;
      const tips = [
        `${indexed}`,
        `Workspace problems: ${p.error} error(s), ${p.warning} warning(s), ${p.other} info/hint(s): the schema problems of every history${p.baseRefs.length || p.appliedInConfig ? ' and the findings of pending migrations' : ''}.`,
        p.baselines.length
          ? `${p.hidden} finding(s) hidden by ${p.baselines.map((b) => vscode.workspace.asRelativePath(b)).join(', ')} ("pgvet: Write Baseline" updates it).`
          : 'No pgvet-baseline.json: "pgvet: Write Baseline" accepts today\'s findings.',
        p.baseRefs.length
          ? `Migrations in ${p.baseRefs.join(', ')} are applied (pgvet.baseRef): only pending ones get statement findings.`
          : p.appliedInConfig ? 'pgvet.json "applied" names the applied migrations.' : 'No base ref: every migration counts as pending (pgvet.baseRef).',
        'Click to show the catalog.',
      ];
      item.tooltip = tips.join('\n');
    }),
  );
}
