import { BUFFER_KEYS, IO_TIME_KEYS, parseExplainJson, type ExplainRoot, type PlanNode } from './schema';

export type BufferCounts = Record<(typeof BUFFER_KEYS)[number], number>;

export interface NodeMetrics {
  /** Pre-order index in the plan; the root is 0. */
  id: number;
  parentId?: number;
  childIds: number[];
  depth: number;
  node: PlanNode;
  displayName: string;
  loops: number;
  neverExecuted: boolean;
  /** (launched workers + 1) of the Gather above this node, else 1. */
  parallelDivisor: number;
  /** Wall-clock ms spent in this node and below: per-loop time × loops ÷ parallelDivisor. */
  inclusiveMs: number;
  /** inclusiveMs minus what its children (and the InitPlans/CTEs it evaluated) account for, ≥ 0. */
  exclusiveMs: number;
  /** exclusiveMs as a share of the execution time, 0–100. */
  percentOfTotal: number;
  /** Actual Rows × loops (PG18 reports fractional per-loop rows). */
  actualRowsTotal: number;
  misestimate?: { factor: number; direction: 'over' | 'under' };
  buffers: BufferCounts;
  exclusiveBuffers: BufferCounts;
}

export interface PlanSummary {
  executionMs?: number;
  planningMs?: number;
  sharedHit: number;
  sharedRead: number;
  /** hit / (hit + read), undefined without any shared block access. */
  hitRatio?: number;
  planningBuffers: { hit: number; read: number };
  jit?: { functions: number; totalMs: number; timing: Record<string, number> };
  triggers: { name: string; relation?: string; timeMs: number; calls: number }[];
  /** Execution time outside every node and trigger: executor start/shutdown and handing each result row on (grows with the rows returned). */
  outsideNodesMs?: number;
  /** The plan has I/O timings: track_io_timing was on. */
  ioTiming: boolean;
  analyzed: boolean;
  settings: Record<string, string>;
}

export interface AnalyzedPlan {
  root: ExplainRoot;
  nodes: NodeMetrics[];
  summary: PlanSummary;
}

const n = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const isGather = (node: PlanNode) => node['Node Type'] === 'Gather' || node['Node Type'] === 'Gather Merge';

const AGGREGATE_NAMES: Record<string, string> = { Hashed: 'HashAggregate', Sorted: 'GroupAggregate', Mixed: 'MixedAggregate', Plain: 'Aggregate' };

/** Node type as the established viewers show it: Aggregate by strategy, ModifyTable by operation, Parallel/Partial prefixes. */
export function displayName(node: PlanNode): string {
  let name = node['Node Type'];
  if (name === 'Aggregate') name = AGGREGATE_NAMES[String(node.Strategy)] ?? name;
  if (name === 'ModifyTable' && typeof node.Operation === 'string') name = node.Operation;
  if (node['Partial Mode'] && node['Partial Mode'] !== 'Simple') name = `${node['Partial Mode']} ${name}`;
  if (node['Parallel Aware']) name = `Parallel ${name}`;
  return name;
}

function buffersOf(node: PlanNode): BufferCounts {
  return Object.fromEntries(BUFFER_KEYS.map((k) => [k, n(node[k])])) as BufferCounts;
}

/** The text of a node's expressions (Filter, Index Cond, Output …), where InitPlan results are referenced. */
function expressionText(node: PlanNode): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(node)) {
    if (k === 'Plans' || k === 'Subplan Name') continue;
    if (typeof v === 'string') parts.push(v);
    else if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') parts.push(x);
  }
  return parts.join('\n');
}

/** How an InitPlan's result shows up in expressions: `$0` (PG ≤ 16, "returns $0"), `(InitPlan 1)` (PG 17+). */
function initPlanReferences(subplanName: string): RegExp[] {
  const refs = [...subplanName.matchAll(/\$\d+/g)].map((m) => new RegExp(`\\${m[0]}(?!\\d)`));
  const label = /^InitPlan \d+/.exec(subplanName)?.[0];
  if (label) refs.push(new RegExp(`\\(${label}\\)`));
  return refs;
}

/** Parses and computes per-node metrics; `input` is the EXPLAIN JSON (array, object or text). */
export function analyzePlan(input: unknown): AnalyzedPlan {
  const root = parseExplainJson(input);
  const nodes: NodeMetrics[] = [];

  // Depth-first with an explicit stack (ids in pre-order, children in plan order): plans nest as deep as the
  // server's stack allows, deeper than a recursive walk here can go.
  const stack: { node: PlanNode; depth: number; parentId: number | undefined; divisor: number }[] = [{ node: root.Plan, depth: 0, parentId: undefined, divisor: 1 }];
  while (stack.length > 0) {
    const { node, depth, parentId, divisor } = stack.pop()!;
    const id = nodes.length;
    const loops = n(node['Actual Loops']);
    const analyzed = node['Actual Total Time'] !== undefined;
    const inclusiveMs = (n(node['Actual Total Time']) * loops) / divisor;
    const perLoopRows = n(node['Actual Rows']);
    const metrics: NodeMetrics = {
      id, parentId, childIds: [], depth, node, displayName: displayName(node), loops,
      neverExecuted: analyzed && loops === 0, parallelDivisor: divisor,
      inclusiveMs, exclusiveMs: inclusiveMs, percentOfTotal: 0,
      actualRowsTotal: perLoopRows * loops,
      misestimate: analyzed && loops > 0 ? misestimate(n(node['Plan Rows']), perLoopRows) : undefined,
      buffers: buffersOf(node), exclusiveBuffers: buffersOf(node),
    };
    nodes.push(metrics);
    if (parentId !== undefined) nodes[parentId].childIds.push(id);
    const childDivisor = isGather(node) ? n(node['Workers Launched']) + 1 : divisor;
    const children = node.Plans ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i], depth: depth + 1, parentId: id, divisor: childDivisor });
  }

  for (const m of nodes) {
    for (const c of m.childIds.map((i) => nodes[i])) {
      const rel = c.node['Parent Relationship'];
      // InitPlans are charged to whoever evaluated them (below); SubPlans run inside this node's expressions.
      if (rel !== 'InitPlan') m.exclusiveMs -= c.inclusiveMs;
      if (c.node['Subplan Name'] === undefined) for (const k of BUFFER_KEYS) m.exclusiveBuffers[k] -= c.buffers[k];
    }
  }
  for (const m of nodes) {
    for (const c of m.childIds.map((i) => nodes[i])) {
      if (c.node['Parent Relationship'] === 'InitPlan') chargeInitPlan(nodes, m, c);
    }
  }

  const executionMs = root['Execution Time'];
  const total = executionMs ?? nodes[0].inclusiveMs;
  for (const m of nodes) {
    m.exclusiveMs = Math.max(0, m.exclusiveMs);
    for (const k of BUFFER_KEYS) m.exclusiveBuffers[k] = Math.max(0, m.exclusiveBuffers[k]);
    m.percentOfTotal = total > 0 ? (m.exclusiveMs / total) * 100 : 0;
  }
  return { root, nodes, summary: summarize(root, nodes) };
}

/**
 * An InitPlan runs once, inside the time of the node that first needs its value: a CTE inside the CTE
 * Scans that read it (shared in proportion to their time), otherwise the node whose expressions reference
 * it (`$0` / `(InitPlan 1)`), the deepest such node first; a Gather evaluates the InitPlans its workers need before starting them.
 * Subtracting it there, once, keeps it from being counted twice.
 */
function chargeInitPlan(nodes: NodeMetrics[], parent: NodeMetrics, initPlan: NodeMetrics): void {
  const name = initPlan.node['Subplan Name'] ?? '';
  const cte = /^CTE (.+)$/.exec(name)?.[1];
  if (cte !== undefined) {
    const scans = nodes.filter((m) => m.node['Node Type'] === 'CTE Scan' && m.node['CTE Name'] === cte);
    const scanTotal = scans.reduce((s, m) => s + m.inclusiveMs, 0);
    for (const scan of scans) scan.exclusiveMs -= initPlan.inclusiveMs * (scanTotal > 0 ? scan.inclusiveMs / scanTotal : 1 / scans.length);
    if (scans.length > 0) return;
  }
  const refs = initPlanReferences(name);
  const references = (m: NodeMetrics) => refs.some((r) => r.test(expressionText(m.node)));
  // Children first: a scan's child (Bitmap Index Scan) runs before the scan rechecks the same condition.
  const evaluator = (m: NodeMetrics): NodeMetrics | undefined => {
    for (const c of m.childIds.map((i) => nodes[i])) {
      if (c.node['Parent Relationship'] === 'InitPlan') continue;
      const found = evaluator(c);
      if (found) return isGather(c.node) ? c : found;
    }
    return references(m) ? m : undefined;
  };
  (evaluator(parent) ?? parent).exclusiveMs -= initPlan.inclusiveMs;
}

function misestimate(planRows: number, actualRows: number): NodeMetrics['misestimate'] {
  const factor = Math.max(planRows, actualRows) / Math.max(Math.min(planRows, actualRows), 1);
  return { factor, direction: planRows > actualRows ? 'over' : 'under' };
}

function summarize(root: ExplainRoot, nodes: NodeMetrics[]): PlanSummary {
  const top = nodes[0].buffers;
  const hit = top['Shared Hit Blocks'];
  const read = top['Shared Read Blocks'];
  const planning = (root.Planning ?? {}) as Record<string, unknown>;
  const timing = (root.JIT?.Timing ?? {}) as Record<string, unknown>;
  const jitTiming = Object.fromEntries(Object.entries(timing).map(([k, v]) => [k, typeof v === 'object' && v ? n((v as Record<string, unknown>).Total) : n(v)]));
  return {
    executionMs: root['Execution Time'],
    planningMs: root['Planning Time'],
    sharedHit: hit,
    sharedRead: read,
    hitRatio: hit + read > 0 ? hit / (hit + read) : undefined,
    planningBuffers: { hit: n(planning['Shared Hit Blocks']), read: n(planning['Shared Read Blocks']) },
    jit: root.JIT ? { functions: n(root.JIT.Functions), totalMs: jitTiming.Total ?? 0, timing: jitTiming } : undefined,
    outsideNodesMs: root['Execution Time'] === undefined ? undefined
      : Math.max(0, root['Execution Time'] - nodes[0].inclusiveMs - (root.Triggers ?? []).reduce((s, t) => s + n(t.Time), 0)),
    triggers: (root.Triggers ?? []).map((t) => ({ name: t['Trigger Name'], relation: t.Relation, timeMs: n(t.Time), calls: n(t.Calls) })),
    ioTiming: nodes.some((m) => IO_TIME_KEYS.some((k) => k in m.node)),
    analyzed: root['Execution Time'] !== undefined || root.Plan['Actual Total Time'] !== undefined,
    settings: root.Settings ?? {},
  };
}
