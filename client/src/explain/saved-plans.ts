/**
 * Saved plans (`.pgplan.json`) without any connection: the command "pgvet: Open Saved Plan" (palette
 * or explorer context menu) shows one in the EXPLAIN panel, and the custom editor `pgvet.planFile`
 * shows one when the file itself is opened. A broken file gets its reason in a message or in the
 * editor, never an exception.
 */
import * as vscode from 'vscode';
import { ExplainPanel, type ExplainPanelHandlers } from './panel/explain-panel';
import { readPlanFile } from './panel/plan-file';

export const PLAN_FILE_VIEW_TYPE = 'pgvet.planFile';

async function openSavedPlan(context: vscode.ExtensionContext, handlers: ExplainPanelHandlers, uri?: vscode.Uri): Promise<void> {
  if (!(uri instanceof vscode.Uri)) {
    [uri] = (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'PostgreSQL plan': ['pgplan.json', 'json'] }, openLabel: 'Open plan' })) ?? [];
    if (!uri) return;
  }
  const read = await readPlanFile(uri);
  if (!read.ok) {
    void vscode.window.showErrorMessage(`pgvet: cannot open the plan: ${read.error}`);
    return;
  }
  ExplainPanel.show(context, read.plan, handlers);
}

class PlanFileEditor implements vscode.CustomReadonlyEditorProvider {
  constructor(private readonly context: vscode.ExtensionContext, private readonly handlers: ExplainPanelHandlers) {}

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  async resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    const read = await readPlanFile(document.uri);
    ExplainPanel.attach(panel, this.context, read.ok
      ? { plan: read.plan }
      : { error: `${read.error} Reopen it as text to look at it (Reopen Editor With… → Text Editor).` }, this.handlers);
  }
}

export function registerSavedPlans(context: vscode.ExtensionContext, handlers: ExplainPanelHandlers): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('pgvet.openSavedPlan', (uri?: vscode.Uri) => openSavedPlan(context, handlers, uri)),
    vscode.window.registerCustomEditorProvider(PLAN_FILE_VIEW_TYPE, new PlanFileEditor(context, handlers), {
      webviewOptions: { enableFindWidget: true },
      supportsMultipleEditorsPerDocument: true,
    }),
  );
}
