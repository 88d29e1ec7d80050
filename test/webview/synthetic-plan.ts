/**
 * Large plans for the render benchmark and the virtual-list test, built from the node shapes of the
 * recorded plans (their real keys and values), re-timed so inclusive times and buffers add up.
 * Deterministic: the same size gives the same plan.
 */
import { analyzePlan } from '../../core/src/explain/plan/metrics';
import { findTips } from '../../core/src/explain/plan/tips';
import type { PlanView } from '../../client/src/explain/protocol/messages';
import { toPlanView } from '../../client/src/explain/panel/plan-view';
import { allPlans } from '../explain/fixtures';

type Node = Record<string, any>;

const BUFFER_KEYS = ['Shared Hit Blocks', 'Shared Read Blocks', 'Shared Dirtied Blocks', 'Shared Written Blocks', 'Temp Read Blocks', 'Temp Written Blocks'];
/** Keys that tie a node to others (InitPlans, CTEs, Gather workers); left out so the synthetic tree stays self-consistent. */
const DROP = ['Plans', 'Subplan Name', 'Parent Relationship', 'CTE Name', 'Workers Planned', 'Workers Launched', 'Workers', 'Parallel Aware', 'Partial Mode'];

function shapes(): { inner: Node[]; leaves: Node[] } {
  const inner: Node[] = [];
  const leaves: Node[] = [];
  const visit = (n: Node) => {
    const shape = structuredClone(n);
    for (const k of DROP) delete shape[k];
    if (/Gather|CTE Scan|Subquery Scan|Result|ModifyTable/.test(shape['Node Type'])) {
      // Nodes whose meaning depends on their surroundings are not reused.
    } else if (n.Plans?.length) inner.push(Object.assign(shape, { __children: Math.min(n.Plans.length, 2) }));
    else leaves.push(shape);
    for (const c of n.Plans ?? []) visit(c);
  };
  for (const f of allPlans()) if (f.mode === 'analyze') visit((f.plan as Node[])[0].Plan);
  return { inner, leaves };
}

/** Mulberry32: small, seeded, good enough for shuffling shapes. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The raw EXPLAIN JSON (`[{ Plan, … }]`) of a plan with exactly `size` nodes. */
export function syntheticExplainJson(size: number, seed = 1): Node[] {
  const { inner, leaves } = shapes();
  const rnd = random(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];

  const build = (budget: number, relationship: string | undefined): Node => {
    if (budget === 1) return { ...structuredClone(pick(leaves)), ...(relationship ? { 'Parent Relationship': relationship } : {}) };
    const shape = structuredClone(pick(inner));
    const k = Math.min(shape.__children as number, budget - 1);
    delete shape.__children;
    const left = k === 1 ? budget - 1 : 1 + Math.floor(rnd() * (budget - 2));
    const sizes = k === 1 ? [budget - 1] : [left, budget - 1 - left];
    shape.Plans = sizes.map((s, i) => build(s, k === 1 ? 'Outer' : i === 0 ? 'Outer' : 'Inner'));
    if (relationship) shape['Parent Relationship'] = relationship;
    return shape;
  };
  // A wide Append on top (partitions, UNION ALL) with bounded subtrees keeps the depth realistic.
  const chunk = 40;
  const members: Node[] = [];
  for (let left = size - 1; left > 0; left -= chunk) members.push(build(Math.min(chunk, left), 'Member'));
  const root: Node = { 'Node Type': 'Append', 'Startup Cost': 0, 'Total Cost': 0, 'Plan Rows': 0, 'Plan Width': 32, Plans: members };

  // Re-time bottom-up: each node spends its own 0.005–3 ms on top of its children, rows drift from estimates.
  const retime = (n: Node): void => {
    for (const c of n.Plans ?? []) retime(c);
    const kids: Node[] = n.Plans ?? [];
    const own = 0.005 + rnd() ** 3 * 3;
    n['Actual Loops'] = 1;
    n['Actual Startup Time'] = Math.round(own * 500) / 1000;
    n['Actual Total Time'] = Math.round((own + kids.reduce((s, c) => s + c['Actual Total Time'], 0)) * 1000) / 1000;
    const rows = Math.floor(rnd() ** 2 * 100_000);
    n['Actual Rows'] = rows;
    // Mostly close estimates, a few far off (10**±3 at most).
    n['Plan Rows'] = Math.max(1, Math.round(rows * 10 ** ((rnd() - 0.5) * 2 * rnd() ** 4 * 3)));
    // Temp blocks only where the recorded node spilled; shared blocks random; parents include their children.
    for (const k of BUFFER_KEYS) n[k] = (k.startsWith('Temp') ? (n[k] ?? 0) : Math.floor(rnd() * 50)) + kids.reduce((s, c) => s + (c[k] ?? 0), 0);
  };
  retime(root);
  return [{ Plan: root, 'Planning Time': 1.234, 'Execution Time': root['Actual Total Time'] + 0.5, Triggers: [] }];
}

export function syntheticPlanView(size: number, seed = 1): PlanView {
  const json = syntheticExplainJson(size, seed);
  const plan = analyzePlan(json);
  return toPlanView({ plan, tips: findTips(plan), sql: 'SELECT * FROM synthetic', source: { kind: 'connection', label: `synthetic ${size}-node plan` } });
}
