/** "Compare…": a quick pick of this window's other plans (the same query first) and saved plan files. */
import * as vscode from 'vscode';
import type { PlanView } from '../protocol/messages';
import { readPlanFile } from './plan-file';
import type { ComparisonCandidate } from './plan-history';

export interface PlanToCompare {
  base: PlanView;
  /** How the Compare tab names it, e.g. "earlier run at 14:02:11". */
  label: string;
}

type Item = vscode.QuickPickItem & { candidate?: ComparisonCandidate; openFile?: true };

export async function pickPlanToCompare(plan: PlanView, recent: ComparisonCandidate[]): Promise<PlanToCompare | undefined> {
  const items: Item[] = recent.map((c) => ({
    label: `$(history) ${c.label}`,
    description: c.sameQuery ? 'same query' : `another query: ${(c.plan.sql ?? '').replace(/\s+/g, ' ').slice(0, 60)}`,
    detail: `${c.description} — ran on ${c.plan.source.label}`,
    candidate: c,
  }));
  items.push({ label: '$(folder-opened) Open a saved plan (.pgplan.json)…', openFile: true, alwaysShow: true });
  const picked = await vscode.window.showQuickPick(items, {
    title: 'pgvet: compare this plan with…',
    placeHolder: recent.length ? 'An earlier plan of this window, or a saved plan file' : 'No earlier plan in this window yet: open a saved plan file',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked) return undefined;
  if (picked.candidate) return { base: picked.candidate.plan, label: picked.candidate.label };
  const [uri] = (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'PostgreSQL plan': ['pgplan.json', 'json'] }, openLabel: 'Compare' })) ?? [];
  if (!uri) return undefined;
  const read = await readPlanFile(uri);
  if (!read.ok) {
    void vscode.window.showErrorMessage(`pgvet: cannot compare: ${read.error}`);
    return undefined;
  }
  return { base: read.plan, label: read.plan.source.label };
}
