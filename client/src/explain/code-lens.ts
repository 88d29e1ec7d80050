import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EXPLAINABLE_STATEMENTS_REQUEST, readClientSetting } from '../../../core/src';
import { pgvetSettings } from '../configuration';

/** "Explain Analyze | Explain" above each query of a .sql file; the language server says where the queries are. */
export class ExplainCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly client: () => LanguageClient | undefined) {
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('pgvet.explain.codeLens') && this.changed.fire());
  }

  async provideCodeLenses(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (!readClientSetting(pgvetSettings(doc.uri).get('explain.codeLens'), 'explain.codeLens').value) return [];
    if (doc.lineCount > 20_000) return []; // a dump, not a query file
    const client = this.client();
    if (!client) return [];
    const starts = await client.sendRequest<number[]>(EXPLAINABLE_STATEMENTS_REQUEST, { uri: doc.uri.toString() }, token).then(undefined, () => []);
    return starts.flatMap((start) => {
      const range = new vscode.Range(doc.positionAt(start), doc.positionAt(start));
      return [
        new vscode.CodeLens(range, { title: 'Explain Analyze', command: 'pgvet.explainAnalyze', arguments: [doc.uri, start], tooltip: 'Run EXPLAIN ANALYZE (rolled back) and show the plan' }),
        new vscode.CodeLens(range, { title: 'Explain', command: 'pgvet.explain', arguments: [doc.uri, start], tooltip: 'Show the plan without running the statement' }),
      ];
    });
  }
}
