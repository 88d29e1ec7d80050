/**
 * The plans pgvet showed in this window, newest first: what "Compare…" offers next to saved files.
 * Plans of the same query come first, since comparing before/after a change is the point. No vscode import.
 */
import type { PlanView } from '../protocol/messages';
import { sameQuery } from '../protocol/plan-diff';

export interface RecentPlan {
  plan: PlanView;
  /** When the panel showed it (ms since epoch). */
  shownAt: number;
}

export interface ComparisonCandidate extends RecentPlan {
  sameQuery: boolean;
  /** "earlier run at 14:02:11", as the Compare tab names the plan it compares with. */
  label: string;
  /** "EXPLAIN ANALYZE · 12.3 ms · Seq Scan on public.orders" for the picker. */
  description: string;
}

/** Plans are megabytes at worst; a handful of recent ones is what comparing needs. */
export const HISTORY_LIMIT = 10;

export class PlanHistory {
  private readonly entries: RecentPlan[] = [];

  /** Records a plan the panel shows now (again: moved to the front). */
  add(plan: PlanView, shownAt: number = Date.now()): void {
    const at = this.entries.findIndex((e) => e.plan.planId === plan.planId);
    if (at >= 0) this.entries.splice(at, 1);
    this.entries.unshift({ plan, shownAt });
    this.entries.length = Math.min(this.entries.length, HISTORY_LIMIT);
  }

  get size(): number {
    return this.entries.length;
  }

  /** What to offer for comparing with `current`: every other recent plan, same query first, newest first within each. */
  candidates(current: PlanView): ComparisonCandidate[] {
    const others = this.entries.filter((e) => e.plan.planId !== current.planId);
    const withInfo = others.map((e) => ({ ...e, sameQuery: sameQuery(e.plan, current), label: recentLabel(e), description: planDescription(e.plan) }));
    return [...withInfo.filter((c) => c.sameQuery), ...withInfo.filter((c) => !c.sameQuery)];
  }
}

const two = (n: number) => String(n).padStart(2, '0');

export function clockTime(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

function recentLabel(e: RecentPlan): string {
  const where = e.plan.source.kind === 'file' ? 'saved plan opened' : 'earlier run';
  return `${where} at ${clockTime(e.shownAt)}`;
}

function formatMs(x: number): string {
  return x < 10 ? `${x.toFixed(2)} ms` : x < 1000 ? `${x.toFixed(1)} ms` : `${(x / 1000).toFixed(2)} s`;
}

export function planDescription(plan: PlanView): string {
  const parts = [plan.summary.analyzed ? 'EXPLAIN ANALYZE' : 'EXPLAIN'];
  if (plan.summary.executionMs !== undefined) parts.push(formatMs(plan.summary.executionMs));
  const root = plan.nodes[0];
  if (root) parts.push(`${plan.nodes.length} node${plan.nodes.length === 1 ? '' : 's'}, top: ${root.displayName}`);
  return parts.join(' · ');
}
