/** Reading `.pgplan.json` files in VS Code: for "Open Saved Plan", the custom editor and "Compare…". */
import * as vscode from 'vscode';
import { parseSavedPlan, savedPlanText, type SavedPlanResult } from './saved-plan';
import type { PlanView } from '../protocol/messages';

/** Bigger than any plan pgvet saves (a 5,000-node plan is a few MB): refuse rather than freeze on a stray file. */
const MAX_BYTES = 200 * 1024 * 1024;

export function baseName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

/** The plan in `uri`, or a message that says what is wrong with the file (never throws). */
export async function readPlanFile(uri: vscode.Uri): Promise<SavedPlanResult> {
  const name = baseName(uri);
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_BYTES) return { ok: false, error: `${name} is ${(stat.size / 1024 / 1024).toFixed(0)} MB, too large for a saved plan` };
    const parsed = parseSavedPlan(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)), name);
    return parsed.ok ? parsed : { ok: false, error: `${name} is ${parsed.error}.` };
  } catch (e) {
    return { ok: false, error: `${name} could not be read: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** "Save plan": a save dialog, then the file. */
export async function savePlanFile(plan: PlanView): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  const target = await vscode.window.showSaveDialog({
    filters: { 'PostgreSQL plan': ['pgplan.json'] },
    saveLabel: 'Save plan',
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `plan-${stamp}.pgplan.json`) } : {}),
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(savedPlanText(plan)));
  vscode.window.setStatusBarMessage(`pgvet: plan saved to ${baseName(target)}`, 4000);
  return target;
}
