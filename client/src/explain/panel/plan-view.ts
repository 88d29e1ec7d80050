/**
 * Turns an analyzed plan into what the panel receives. Each node travels once, without its nested
 * `Plans` (the tree is in parentId/childIds), so a deep plan does not repeat its subtrees per level.
 * No vscode import: tests and the benchmark build plan views with it.
 */
import type { AnalyzedPlan, NodeMetrics, Tip } from '../../../../core/src';
import type { PlanSource, PlanView, PlanViewNode } from '../protocol/messages';

/** The label for plans from the embedded database, as EXPLAIN.md asks the panel to say it. */
export const SHADOW_SOURCE: PlanSource = {
  kind: 'shadow',
  label: 'embedded shadow database (PGlite) built from migrations — empty unless sample rows were loaded',
};

export interface PlanViewInput {
  plan: AnalyzedPlan;
  tips?: readonly Tip[];
  sql?: string;
  source: PlanSource;
  /** EXPLAIN (FORMAT TEXT) output, when the caller ran it too. */
  rawText?: string;
  planId?: string;
}

/** JSON has no Infinity or NaN; they would arrive as null and fail validation. */
const finite = (x: number) => (Number.isFinite(x) ? x : 0);
const finiteRecord = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, finite(v)]));

function toViewNode(m: NodeMetrics): PlanViewNode {
  const { Plans: _children, ...fields } = m.node;
  const view: PlanViewNode = {
    id: m.id, childIds: [...m.childIds], depth: m.depth, displayName: m.displayName,
    loops: finite(m.loops), neverExecuted: m.neverExecuted, parallelDivisor: finite(m.parallelDivisor),
    inclusiveMs: finite(m.inclusiveMs), exclusiveMs: finite(m.exclusiveMs), percentOfTotal: finite(m.percentOfTotal),
    actualRowsTotal: finite(m.actualRowsTotal),
    buffers: finiteRecord(m.buffers), exclusiveBuffers: finiteRecord(m.exclusiveBuffers),
    fields: JSON.parse(JSON.stringify(fields)) as Record<string, unknown>,
  };
  if (m.parentId !== undefined) view.parentId = m.parentId;
  if (m.misestimate) view.misestimate = { factor: finite(m.misestimate.factor), direction: m.misestimate.direction };
  return view;
}

function rootFields(plan: AnalyzedPlan): Record<string, unknown> {
  const { Plan: _tree, ...rest } = plan.root;
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}

let counter = 0;
export function newPlanId(): string {
  counter += 1;
  return `${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

export function toPlanView(input: PlanViewInput): PlanView {
  const { plan } = input;
  const summary = JSON.parse(JSON.stringify(plan.summary)) as PlanView['summary'];
  const view: PlanView = {
    planId: input.planId ?? newPlanId(),
    nodes: plan.nodes.map(toViewNode),
    summary,
    tips: (input.tips ?? []).map((t) => ({ id: t.id, nodeId: t.nodeId, title: t.title, evidence: t.evidence, ...(t.fix ? { fix: t.fix } : {}) })),
    source: input.source,
    root: rootFields(plan),
  };
  if (input.sql !== undefined) view.sql = input.sql;
  if (input.rawText !== undefined) view.rawText = input.rawText;
  return view;
}
