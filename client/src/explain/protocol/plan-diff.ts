/**
 * Compares two plans of (usually) the same query, e.g. before and after an index: which nodes stayed,
 * which changed kind (Seq Scan → Index Scan, Hash Join → Nested Loop), which appeared or disappeared,
 * and per node how time, rows and buffers moved. Pure (no DOM, no vscode): the webview renders it and
 * the tests check it.
 *
 * Matching nodes of two trees whose shapes differ: every node is keyed by the relations it reads,
 * its own scan target for a scan (`public.orders o`), else the set of scan targets below it (a join of
 * orders and customers is keyed {orders, customers} whichever join method or child order the planner
 * chose). Nodes with the same key are paired: scans by target, the others in order, the same node
 * type first (a longest common subsequence), then what is left between those anchors by position.
 */
import type { PlanView, PlanViewNode } from './messages';
import { nodeTitle } from './plan-text';

export type DiffStatus = 'same' | 'changed' | 'added' | 'removed';

/** One side of a compared node. */
export interface DiffSide {
  id: number;
  title: string;
  /** Inclusive time (ms), undefined for a plan without ANALYZE. */
  totalMs?: number;
  selfMs?: number;
  /** Actual rows over all loops (undefined without ANALYZE). */
  rows?: number;
  loops?: number;
  /** Shared blocks hit + read, this node and its children. */
  buffers: number;
  /** The planner's total cost and its row estimate. */
  cost?: number;
  planRows?: number;
  neverExecuted: boolean;
}

export interface DiffRow {
  status: DiffStatus;
  /** Depth in the merged tree (the "after" plan's shape; disappeared nodes under where they were). */
  depth: number;
  before?: DiffSide;
  after?: DiffSide;
}

export interface SummaryPair {
  before?: number;
  after?: number;
}

export interface PlanDiff {
  rows: DiffRow[];
  counts: Record<DiffStatus, number>;
  summary: { executionMs: SummaryPair; planningMs: SummaryPair; buffers: SummaryPair; sharedRead: SummaryPair };
  /** Both plans are of the same statement text (whitespace aside). */
  sameQuery: boolean;
  analyzed: { before: boolean; after: boolean };
}

const normalizeSql = (sql: string | undefined) => sql?.replace(/\s+/g, ' ').trim().replace(/;$/, '').toLowerCase();

export function sameQuery(a: Pick<PlanView, 'sql'>, b: Pick<PlanView, 'sql'>): boolean {
  return a.sql !== undefined && normalizeSql(a.sql) === normalizeSql(b.sql);
}

interface Info {
  node: PlanViewNode;
  /** The node's own scan target, for nodes that read a relation, CTE or function. */
  scan?: string;
  /** The matching key: its scan target, or the sorted targets below it. */
  key: string;
  /** Node type as shown, for "same node type" (Seq Scan, Hash Join, HashAggregate …). */
  kind: string;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

function scanTarget(node: PlanViewNode): string | undefined {
  const f = node.fields;
  const relation = str(f['Relation Name']);
  if (relation !== undefined) return `rel:${str(f.Schema) ?? ''}.${relation} ${str(f.Alias) ?? relation}`;
  const cte = str(f['CTE Name']);
  if (cte !== undefined) return `cte:${cte} ${str(f.Alias) ?? cte}`;
  const fn = str(f['Function Name']) ?? str(f['Table Function Name']);
  if (fn !== undefined) return `fn:${fn} ${str(f.Alias) ?? fn}`;
  return undefined;
}

function describeNodes(plan: PlanView): Info[] {
  const below: Set<string>[] = plan.nodes.map(() => new Set<string>());
  const scans = plan.nodes.map(scanTarget);
  // Children have higher ids (pre-order), so a reverse walk sees every child before its parent.
  for (let i = plan.nodes.length - 1; i >= 0; i--) {
    if (scans[i]) below[i].add(scans[i]!);
    const parent = plan.nodes[i].parentId;
    if (parent !== undefined) for (const t of below[i]) below[parent].add(t);
  }
  const keys: string[] = [];
  for (const n of plan.nodes) {
    const own = scans[n.id];
    let key = own ?? [...below[n.id]].sort().join('|');
    // A node that reads nothing (Bitmap Index Scan, Result, Hash of a function …) goes with its nearest parent that does.
    if (!key) key = n.parentId !== undefined ? `under:${keys[n.parentId]}` : '';
    keys.push(key);
  }
  return plan.nodes.map((node, i) => ({ node, scan: scans[i], key: keys[i], kind: node.displayName }));
}

/** Beyond this many cells the LCS table costs too much memory; huge groups are paired greedily in order. */
const LCS_LIMIT = 250_000;

/** Longest common subsequence of `a` and `b` under `eq`, as index pairs in order. */
function lcs<T>(a: T[], b: T[], eq: (x: T, y: T) => boolean): [number, number][] {
  const m = a.length;
  const n = b.length;
  if (m * n > LCS_LIMIT) {
    const pairs: [number, number][] = [];
    for (let i = 0, j = 0; i < m && j < n; i++) {
      let k = j;
      while (k < n && !eq(a[i], b[k])) k++;
      if (k < n) {
        pairs.push([i, k]);
        j = k + 1;
      }
    }
    return pairs;
  }
  const table: number[][] = Array.from({ length: m + 1 }, () => new Array<number>(n + 1).fill(0));
  for (let i = m - 1; i >= 0; i--) {
    for (let j = n - 1; j >= 0; j--) table[i][j] = eq(a[i], b[j]) ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
  }
  const pairs: [number, number][] = [];
  for (let i = 0, j = 0; i < m && j < n; ) {
    if (eq(a[i], b[j])) pairs.push([i++, j++]);
    else if (table[i + 1][j] >= table[i][j + 1]) i++;
    else j++;
  }
  return pairs;
}

/** Pairs same-key nodes: scans by target, then the rest by node type (LCS) and by position between those anchors. */
function matchGroup(a: Info[], b: Info[], pair: (x: Info, y: Info) => void): void {
  const usedB = new Set<Info>();
  for (const x of a) {
    if (!x.scan) continue;
    const y = b.find((c) => c.scan === x.scan && !usedB.has(c));
    if (y) {
      usedB.add(y);
      pair(x, y);
    }
  }
  const restA = a.filter((x) => !x.scan);
  const restB = b.filter((y) => !y.scan);
  // Leftover scans (a target on one side only) are not forced onto other nodes.
  const anchors = lcs(restA, restB, (x, y) => x.kind === y.kind);
  let i = 0;
  let j = 0;
  for (const [ai, bj] of [...anchors, [restA.length, restB.length] as [number, number]]) {
    // Between two anchors: pair what is left position by position (a join whose method changed).
    for (let k = 0; i + k < ai && j + k < bj; k++) pair(restA[i + k], restB[j + k]);
    if (ai < restA.length && bj < restB.length) pair(restA[ai], restB[bj]);
    i = ai + 1;
    j = bj + 1;
  }
}

function side(node: PlanViewNode, analyzed: boolean): DiffSide {
  const f = node.fields;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const s: DiffSide = {
    id: node.id,
    title: nodeTitle(node),
    buffers: (node.buffers['Shared Hit Blocks'] ?? 0) + (node.buffers['Shared Read Blocks'] ?? 0),
    neverExecuted: node.neverExecuted,
  };
  if (analyzed) {
    s.totalMs = node.inclusiveMs;
    s.selfMs = node.exclusiveMs;
    s.rows = node.actualRowsTotal;
    s.loops = node.loops;
  }
  const cost = num(f['Total Cost']);
  const planRows = num(f['Plan Rows']);
  if (cost !== undefined) s.cost = cost;
  if (planRows !== undefined) s.planRows = planRows;
  return s;
}

export function diffPlans(before: PlanView, after: PlanView): PlanDiff {
  const a = describeNodes(before);
  const b = describeNodes(after);
  const toAfter = new Map<number, number>();
  const toBefore = new Map<number, number>();
  const pair = (x: Info, y: Info) => {
    if (toAfter.has(x.node.id) || toBefore.has(y.node.id)) return;
    toAfter.set(x.node.id, y.node.id);
    toBefore.set(y.node.id, x.node.id);
  };
  const groups = new Map<string, { a: Info[]; b: Info[] }>();
  for (const x of a) (groups.get(x.key) ?? groups.set(x.key, { a: [], b: [] }).get(x.key)!).a.push(x);
  for (const y of b) (groups.get(y.key) ?? groups.set(y.key, { a: [], b: [] }).get(y.key)!).b.push(y);
  for (const g of groups.values()) if (g.a.length && g.b.length) matchGroup(g.a, g.b, pair);
  // The roots stand for the whole statement: compare them even when nothing else ties them.
  if (a.length && b.length && !toAfter.has(0) && !toBefore.has(0)) pair(a[0], b[0]);

  const analyzedBefore = before.summary.analyzed;
  const analyzedAfter = after.summary.analyzed;
  const rows: DiffRow[] = [];
  const counts: Record<DiffStatus, number> = { same: 0, changed: 0, added: 0, removed: 0 };
  const push = (row: DiffRow) => {
    rows.push(row);
    counts[row.status]++;
  };

  // Disappeared nodes are shown under the "after" node that took their nearest matched ancestor's place.
  const removedUnder = new Map<number, number[]>();
  const removedTop: number[] = [];
  for (const x of a) {
    if (toAfter.has(x.node.id)) continue;
    const parent = x.node.parentId;
    if (parent !== undefined && !toAfter.has(parent)) continue; // shown inside its removed parent
    const anchor = parent === undefined ? undefined : toAfter.get(parent);
    if (anchor === undefined) removedTop.push(x.node.id);
    else removedUnder.set(anchor, [...(removedUnder.get(anchor) ?? []), x.node.id]);
  }
  const emitRemoved = (id: number, depth: number) => {
    push({ status: 'removed', depth, before: side(before.nodes[id], analyzedBefore) });
    for (const c of before.nodes[id].childIds) if (!toAfter.has(c)) emitRemoved(c, depth + 1);
  };
  const emit = (id: number, depth: number) => {
    const node = after.nodes[id];
    const match = toBefore.get(id);
    const afterSide = side(node, analyzedAfter);
    if (match === undefined) push({ status: 'added', depth, after: afterSide });
    else {
      const beforeSide = side(before.nodes[match], analyzedBefore);
      push({ status: beforeSide.title === afterSide.title ? 'same' : 'changed', depth, before: beforeSide, after: afterSide });
    }
    for (const c of node.childIds) emit(c, depth + 1);
    for (const r of removedUnder.get(id) ?? []) emitRemoved(r, depth + 1);
  };
  // Recursive: plan trees are at most a few hundred levels deep.
  if (after.nodes.length) emit(0, 0);
  for (const r of removedTop) emitRemoved(r, 1);

  const shared = (p: PlanView) => p.summary.sharedHit + p.summary.sharedRead;
  return {
    rows,
    counts,
    summary: {
      executionMs: { before: before.summary.executionMs, after: after.summary.executionMs },
      planningMs: { before: before.summary.planningMs, after: after.summary.planningMs },
      buffers: { before: analyzedBefore ? shared(before) : undefined, after: analyzedAfter ? shared(after) : undefined },
      sharedRead: { before: analyzedBefore ? before.summary.sharedRead : undefined, after: analyzedAfter ? after.summary.sharedRead : undefined },
    },
    sameQuery: sameQuery(before, after),
    analyzed: { before: analyzedBefore, after: analyzedAfter },
  };
}

/** A change as the panel words it: "−11.9 ms (−95.1 %)", "+3 rows"; undefined when either side is missing. */
export function change(before: number | undefined, after: number | undefined): { delta: number; ratio?: number } | undefined {
  if (before === undefined || after === undefined) return undefined;
  const delta = after - before;
  return before !== 0 ? { delta, ratio: delta / before } : { delta };
}
