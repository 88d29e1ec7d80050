import * as vscode from 'vscode';

/**
 * The `pgvet` settings as they apply to `scope`. Every pgvet setting the client reads is resource-scoped in
 * package.json, and VS Code logs a warning for each read without a resource, so the scope is required:
 * the document (or workspace folder) the setting is for, or `null` when there is none (no editor open),
 * which gives the workspace or user value.
 */
export function pgvetSettings(scope: vscode.Uri | null): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('pgvet', scope);
}
