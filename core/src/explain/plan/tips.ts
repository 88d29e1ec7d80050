import { createIndexSql, filterColumns, quoteIdent } from './filter-columns';
import type { AnalyzedPlan, NodeMetrics } from './metrics';

export type TipFix =
  | { kind: 'create-index'; table: string; columns: string[]; sql: string }
  | { kind: 'sql'; sql: string }
  | { kind: 'setting'; name: string; value: string };

export type TipId =
  | 'index-candidate' | 'misestimate' | 'spill-to-disk' | 'lossy-bitmap' | 'heap-fetches'
  | 'nested-loop-many-rows' | 'low-cache-hit' | 'fewer-workers' | 'slow-planning' | 'missing-io-timing';

export interface Tip {
  id: TipId;
  /** NodeMetrics.id; plan-wide tips point at the root (0). */
  nodeId: number;
  title: string;
  evidence: string;
  fix?: TipFix;
}

export interface TipContext {
  /** The explained statement, for fixes that repeat it (prepared statements). */
  sql?: string;
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const qualified = (m: NodeMetrics) => (m.node.Schema ? `${quoteIdent(m.node.Schema)}.` : '') + quoteIdent(m.node['Relation Name'] ?? '');

const UNIT_KB: Record<string, number> = { kB: 1, MB: 1024, GB: 1024 * 1024, TB: 1024 * 1024 * 1024 };

/** work_mem in kB from the plan's Settings (listed only when not the default 4MB). */
function currentWorkMemKb(plan: AnalyzedPlan): number {
  const m = /^(\d+)\s*(kB|MB|GB|TB)?$/.exec(plan.summary.settings.work_mem ?? '');
  return m ? Number(m[1]) * UNIT_KB[m[2] ?? 'kB'] : 4096;
}

/**
 * A work_mem value for `neededKb`: the next power of two in MB, at least 4MB (the default), and at least
 * twice the current value, since the current one evidently did not suffice.
 */
export function workMemFor(neededKb: number, currentKb = 0): string {
  const kB = Math.max(neededKb, currentKb * 2);
  let mb = 4;
  while (mb * 1024 < kB) mb *= 2;
  return mb >= 1024 ? `${mb / 1024}GB` : `${mb}MB`;
}

function indexCandidate(m: NodeMetrics): Tip[] {
  if (!/Seq Scan$/.test(m.node['Node Type']) || !m.node['Relation Name']) return [];
  const removed = num(m.node['Rows Removed by Filter']) * m.loops;
  const scanned = removed + m.actualRowsTotal;
  if (scanned < 1000 || removed / scanned < 0.9) return [];
  const table = m.node['Relation Name'];
  const columns = filterColumns(m.node.Filter, m.node.Alias);
  const tip: Tip = {
    id: 'index-candidate', nodeId: m.id, title: `Index candidate on ${table}`,
    evidence: `Seq Scan read ${fmt(scanned)} rows of ${table} and its filter removed ${fmt(removed)} (${((removed / scanned) * 100).toFixed(1)} %): ${m.node.Filter}`,
  };
  if (columns.length) tip.fix = { kind: 'create-index', table, columns: columns.map((c) => c.indexTerm), sql: createIndexSql(m.node.Schema, table, columns) };
  return [tip];
}

/** A Limit above the node: it stops pulling rows early, so fewer rows than planned is no misestimate. */
function underLimit(m: NodeMetrics, plan: AnalyzedPlan): boolean {
  for (let p = m.parentId; p !== undefined; p = plan.nodes[p].parentId) if (plan.nodes[p].node['Node Type'] === 'Limit') return true;
  return false;
}

function misestimate(m: NodeMetrics, plan: AnalyzedPlan): Tip[] {
  const est = num(m.node['Plan Rows']);
  const act = num(m.node['Actual Rows']);
  if (!m.misestimate || m.misestimate.factor < 10 || Math.max(est, act) < 100) return [];
  if (m.misestimate.direction === 'over' && underLimit(m, plan)) return [];
  const table = m.node['Relation Name'];
  const tip: Tip = {
    id: 'misestimate', nodeId: m.id, title: `Row estimate off by ${fmt(m.misestimate.factor)}× on ${m.displayName}`,
    evidence: `Planned ${fmt(est)} rows, got ${act} per loop (${m.misestimate.direction === 'over' ? 'over' : 'under'}-estimated ${fmt(m.misestimate.factor)}×)${m.node.Filter ? ` with ${m.node.Filter}` : ''}.`,
  };
  if (table) {
    const cols = filterColumns(m.node.Filter, m.node.Alias).filter((c) => !c.indexTerm.startsWith('(')).map((c) => quoteIdent(c.column));
    const stats = cols.length >= 2
      ? `CREATE STATISTICS ${quoteIdent(`${table}_${cols.join('_')}_stats`.replace(/"/g, ''))} (dependencies, ndistinct, mcv) ON ${cols.join(', ')} FROM ${qualified(m)};\n`
      : '';
    tip.fix = { kind: 'sql', sql: `${stats}ANALYZE ${qualified(m)};` };
  }
  return [tip];
}

function spill(m: NodeMetrics, plan: AnalyzedPlan): Tip[] {
  const n = m.node;
  let needKb: number | undefined;
  let evidence = '';
  if (/external/i.test(String(n['Sort Method'] ?? ''))) {
    // An in-memory sort needs more than the same rows on disk (tuple headers, sort array): ~2×.
    needKb = num(n['Sort Space Used']) * 2;
    evidence = `Sort Method "${n['Sort Method']}" used ${fmt(num(n['Sort Space Used']))} kB on disk.`;
  } else if (num(n['Hash Batches']) > 1) {
    const multiplier = Number(plan.summary.settings.hash_mem_multiplier ?? 1);
    needKb = (num(n['Peak Memory Usage']) * num(n['Hash Batches'])) / multiplier;
    evidence = `Hash split into ${n['Hash Batches']} batches (peak ${fmt(num(n['Peak Memory Usage']))} kB each).`;
  } else if (num(n['HashAgg Batches']) > 1 || num(n['Disk Usage']) > 0) {
    needKb = num(n['Peak Memory Usage']) + num(n['Disk Usage']);
    evidence = `HashAggregate spilled ${fmt(num(n['Disk Usage']))} kB to disk in ${n['HashAgg Batches'] ?? '?'} batches.`;
  } else if (m.exclusiveBuffers['Temp Written Blocks'] > 0 && m.node['Node Type'] !== 'Hash Join') {
    // (A Hash Join's batch files are reported on its Hash node.)
    needKb = m.exclusiveBuffers['Temp Written Blocks'] * 8;
    evidence = `${fmt(m.exclusiveBuffers['Temp Written Blocks'])} temporary blocks written.`;
  }
  if (needKb === undefined) return [];
  const value = workMemFor(needKb, currentWorkMemKb(plan));
  return [{
    id: 'spill-to-disk', nodeId: m.id, title: `${m.displayName} spills to disk`,
    evidence: `${evidence} About ${fmt(needKb)} kB of work_mem would keep it in memory.`,
    fix: { kind: 'setting', name: 'work_mem', value },
  }];
}

function lossyBitmap(m: NodeMetrics, plan: AnalyzedPlan): Tip[] {
  const lossy = num(m.node['Lossy Heap Blocks']);
  if (lossy <= 0) return [];
  const pages = lossy + num(m.node['Exact Heap Blocks']);
  // An exact TID bitmap keeps one ~64-byte hash entry per heap page.
  return [{
    id: 'lossy-bitmap', nodeId: m.id, title: `Lossy bitmap on ${m.node['Relation Name'] ?? m.displayName}`,
    evidence: `${fmt(lossy)} of ${fmt(pages)} heap blocks were lossy: every row on them was rechecked${m.node['Rows Removed by Index Recheck'] ? ` (${fmt(num(m.node['Rows Removed by Index Recheck']))} removed by recheck)` : ''}.`,
    fix: { kind: 'setting', name: 'work_mem', value: workMemFor((pages * 64) / 1024, currentWorkMemKb(plan)) },
  }];
}

function heapFetches(m: NodeMetrics): Tip[] {
  const fetches = num(m.node['Heap Fetches']);
  if (m.node['Node Type'] !== 'Index Only Scan' || fetches < 1000 || fetches < 0.1 * m.actualRowsTotal) return [];
  return [{
    id: 'heap-fetches', nodeId: m.id, title: `Index Only Scan visits the heap (${m.node['Relation Name']})`,
    evidence: `${fmt(fetches)} heap fetches for ${fmt(m.actualRowsTotal)} rows: the visibility map is out of date, so the scan is not index-only.`,
    fix: { kind: 'sql', sql: `VACUUM (ANALYZE) ${qualified(m)};` },
  }];
}

function nestedLoop(m: NodeMetrics, plan: AnalyzedPlan): Tip[] {
  if (m.node['Node Type'] !== 'Nested Loop') return [];
  const inner = m.childIds.map((i) => plan.nodes[i]).find((c) => c.node['Parent Relationship'] === 'Inner');
  if (!inner || inner.loops < 1000) return [];
  // The inner relation: the inner child or the first scan below it (through Memoize/Materialize).
  let scan = inner;
  while (!scan.node['Relation Name'] && scan.childIds.length) scan = plan.nodes[scan.childIds[0]];
  const tip: Tip = {
    id: 'nested-loop-many-rows', nodeId: m.id, title: `Nested Loop runs its inner side ${fmt(inner.loops)} times`,
    evidence: `The inner ${inner.displayName}${scan.node['Relation Name'] ? ` on ${scan.node['Relation Name']}` : ''} ran ${fmt(inner.loops)} loops (${ms(inner.inclusiveMs)} in total).`,
  };
  const table = scan.node['Relation Name'];
  if (table && !scan.node['Index Cond'] && !scan.node['Index Name']) {
    const keys = [...filterColumns(scan.node.Filter, scan.node.Alias), ...filterColumns(String(m.node['Join Filter'] ?? ''), scan.node.Alias)].filter((c) => c.joinKey);
    if (keys.length) tip.fix = { kind: 'create-index', table, columns: keys.map((c) => c.indexTerm), sql: createIndexSql(scan.node.Schema, table, keys) };
  } else if (scan.node['Index Name']) {
    tip.evidence += ` It already uses index ${scan.node['Index Name']}; a hash join may suit this many loops better (check the outer row estimate).`;
  }
  return [tip];
}

function lowCacheHit(m: NodeMetrics): Tip[] {
  const hit = m.exclusiveBuffers['Shared Hit Blocks'];
  const read = m.exclusiveBuffers['Shared Read Blocks'];
  if (read <= hit || m.percentOfTotal < 10) return [];
  return [{
    id: 'low-cache-hit', nodeId: m.id, title: `${m.displayName} reads mostly from outside shared buffers`,
    evidence: `${fmt(read)} blocks read vs ${fmt(hit)} found in shared buffers, on a node taking ${m.percentOfTotal.toFixed(0)} % of the time. A second run is often faster; if not, the working set exceeds shared_buffers.`,
  }];
}

function fewerWorkers(m: NodeMetrics, plan: AnalyzedPlan): Tip[] {
  const planned = num(m.node['Workers Planned']);
  const launched = num(m.node['Workers Launched']);
  if (m.node['Workers Launched'] === undefined || launched >= planned) return [];
  const current = Number(plan.summary.settings.max_parallel_workers ?? 8);
  return [{
    id: 'fewer-workers', nodeId: m.id, title: `${m.displayName} got ${launched} of ${planned} workers`,
    evidence: `Planned ${planned} parallel workers, launched ${launched}: the worker pool (max_parallel_workers, max_worker_processes) was exhausted or too small.`,
    fix: { kind: 'setting', name: 'max_parallel_workers', value: String(Math.max(current + planned - launched, planned)) },
  }];
}

/** Planning under 1 ms is noise even when the query itself is faster still. */
const SLOW_PLANNING_FLOOR_MS = 1;

function planWide(plan: AnalyzedPlan, ctx: TipContext): Tip[] {
  const tips: Tip[] = [];
  const { planningMs, executionMs, analyzed, ioTiming } = plan.summary;
  if (planningMs !== undefined && executionMs !== undefined && planningMs > executionMs && planningMs >= SLOW_PLANNING_FLOOR_MS) {
    tips.push({
      id: 'slow-planning', nodeId: 0, title: 'Planning takes longer than execution',
      evidence: `Planning ${ms(planningMs)}, execution ${ms(executionMs)}. A prepared statement plans once and reuses the plan.`,
      fix: ctx.sql ? { kind: 'sql', sql: `PREPARE pgvet_stmt AS ${ctx.sql.trim().replace(/;$/, '')};` } : undefined,
    });
  }
  const reads = plan.nodes.reduce((s, m) => s + m.exclusiveBuffers['Shared Read Blocks'] + m.exclusiveBuffers['Local Read Blocks'] + m.exclusiveBuffers['Temp Read Blocks'], 0);
  // Only worth it when something was read: I/O timings of a fully cached plan are all zero.
  if (analyzed && !ioTiming && reads > 0) {
    tips.push({
      id: 'missing-io-timing', nodeId: 0, title: 'No I/O timings',
      evidence: `${fmt(reads)} blocks were read, but the plan cannot say how long reading took: track_io_timing is off.`,
      fix: { kind: 'setting', name: 'track_io_timing', value: 'on' },
    });
  }
  return tips;
}

const NODE_TIPS: ((m: NodeMetrics, plan: AnalyzedPlan) => Tip[])[] = [indexCandidate, misestimate, spill, lossyBitmap, heapFetches, nestedLoop, lowCacheHit, fewerWorkers];

/** Every tuning tip for an analyzed plan, in plan order (plan-wide tips last). */
export function findTips(plan: AnalyzedPlan, ctx: TipContext = {}): Tip[] {
  if (!plan.summary.analyzed) return [];
  const tips = plan.nodes.flatMap((m) => (m.neverExecuted ? [] : NODE_TIPS.flatMap((f) => f(m, plan))));
  return [...tips, ...planWide(plan, ctx)];
}
