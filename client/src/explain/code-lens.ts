import * as vscode from 'vscode';
import { explainableStatements, readClientSetting } from '../../../core/src';
import { pgvetSettings } from '../configuration';

/** "Explain Analyze | Explain" above each query of a .sql file. */
export class ExplainCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor() {
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('pgvet.explain.codeLens') && this.changed.fire());
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!readClientSetting(pgvetSettings(doc.uri).get('explain.codeLens'), 'explain.codeLens').value) return [];
    if (doc.lineCount > 20_000) return []; // a dump, not a query file
    return explainableStatements(doc.getText()).flatMap((s) => {
      const range = new vscode.Range(doc.positionAt(s.start), doc.positionAt(s.start));
      return [
        new vscode.CodeLens(range, { title: 'Explain Analyze', command: 'pgvet.explainAnalyze', arguments: [doc.uri, s.start], tooltip: 'Run EXPLAIN ANALYZE (rolled back) and show the plan' }),
        new vscode.CodeLens(range, { title: 'Explain', command: 'pgvet.explain', arguments: [doc.uri, s.start], tooltip: 'Show the plan without running the statement' }),
      ];
    });
  }
}
