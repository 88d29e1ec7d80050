/**
 * What a message from the panel asks the extension to do, checked against the plan the host holds:
 * malformed messages and tip references that do not match (wrong index, wrong id, no such fix) are
 * refused here, so the callbacks only ever see a real tip of the current plan. No vscode import.
 */
import { WebviewMessageSchema, type PlanView, type PlanViewTip } from '../protocol/messages';
import { explainJsonText, planText } from '../protocol/plan-text';

export type CreateIndexTip = PlanViewTip & { fix: Extract<NonNullable<PlanViewTip['fix']>, { kind: 'create-index' }> };

export type PanelAction =
  | { kind: 'ready'; planId?: string }
  | { kind: 'save' }
  | { kind: 'compare' }
  | { kind: 'loadSampleRows' }
  | { kind: 'copy'; format: 'json' | 'text' | 'sql'; text: string }
  | { kind: 'createIndex'; tip: CreateIndexTip }
  | { kind: 'openFix'; tip: PlanViewTip };

export type Resolved = { ok: true; action: PanelAction } | { ok: false; reason: string };

export function resolvePanelMessage(raw: unknown, plan: PlanView | undefined): Resolved {
  const parsed = WebviewMessageSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: `malformed message from the EXPLAIN panel: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}` };
  const m = parsed.data;
  if (m.type === 'ready') return { ok: true, action: { kind: 'ready', planId: m.planId } };
  if (!plan) return { ok: false, reason: `"${m.type}" from the EXPLAIN panel, but it shows no plan` };
  switch (m.type) {
    case 'savePlan': return { ok: true, action: { kind: 'save' } };
    case 'compare': return { ok: true, action: { kind: 'compare' } };
    case 'loadSampleRows': return { ok: true, action: { kind: 'loadSampleRows' } };
    case 'copy': {
      const text = m.format === 'json' ? explainJsonText(plan) : m.format === 'text' ? (plan.rawText ?? planText(plan)) : plan.sql;
      if (text === undefined) return { ok: false, reason: 'copy: the plan has no query text' };
      return { ok: true, action: { kind: 'copy', format: m.format, text } };
    }
    case 'createIndex':
    case 'openFix': {
      const tip = plan.tips[m.tipIndex];
      if (!tip || tip.id !== m.tipId) return { ok: false, reason: `${m.type}: no tip ${m.tipId} at ${m.tipIndex}` };
      if (!tip.fix) return { ok: false, reason: `${m.type}: tip ${m.tipId} has no fix` };
      if (m.type === 'createIndex') {
        if (tip.fix.kind !== 'create-index') return { ok: false, reason: `createIndex: tip ${m.tipId} offers a ${tip.fix.kind} fix` };
        return { ok: true, action: { kind: 'createIndex', tip: tip as CreateIndexTip } };
      }
      return { ok: true, action: { kind: 'openFix', tip } };
    }
  }
}
