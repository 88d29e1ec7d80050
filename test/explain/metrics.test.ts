import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzePlan, type NodeMetrics } from '../../core/src/explain/plan/metrics';
import { allPlans, loadPlan, rootOf } from './fixtures';

const within = (actual: number, expected: number, what: string) => {
  const tolerance = Math.max(0.5, expected * 0.01);
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual.toFixed(3)} vs ${expected.toFixed(3)} (±${tolerance.toFixed(3)})`);
};
const sumExclusive = (nodes: NodeMetrics[]) => nodes.reduce((s, m) => s + m.exclusiveMs, 0);
const find = (nodes: NodeMetrics[], pred: (m: NodeMetrics) => boolean) => {
  const m = nodes.find(pred);
  assert.ok(m, 'node not found');
  return m;
};
const byType = (type: string) => (m: NodeMetrics) => m.node['Node Type'] === type;

describe('recorded plans (PostgreSQL 15 and PGlite 18)', () => {
  const analyzed = allPlans().filter((p) => p.mode === 'analyze');
  test('there are recorded plans from both servers', () => {
    assert.ok(analyzed.some((p) => p.server.startsWith('PostgreSQL 15')));
    assert.ok(analyzed.some((p) => p.server.startsWith('PGlite 18')));
  });

  for (const p of analyzed) {
    test(`${p.name}: exclusive times are ≥ 0 and add up`, () => {
      const { nodes, summary } = analyzePlan(p.plan);
      for (const m of nodes) assert.ok(m.exclusiveMs >= 0 && Number.isFinite(m.exclusiveMs), `${m.displayName} #${m.id}: ${m.exclusiveMs}`);
      // The invariant of the computation: every ms of the root node is attributed to exactly one node.
      within(sumExclusive(nodes), nodes[0].inclusiveMs, 'Σ exclusive vs root inclusive');
      const triggers = summary.triggers.reduce((s, t) => s + t.timeMs, 0);
      // Against Execution Time: it also holds executor start/shutdown and the hand-over of every result row,
      // which no node measures; that part grows with the rows returned (see summary.outsideNodesMs).
      if (nodes[0].actualRowsTotal <= 1000) within(sumExclusive(nodes) + triggers, summary.executionMs!, 'Σ exclusive + triggers vs Execution Time');
      assert.ok(summary.outsideNodesMs! >= 0);
      const percent = nodes.reduce((s, m) => s + m.percentOfTotal, 0);
      assert.ok(percent <= 100.0001, `percent sum ${percent}`);
      for (const m of nodes) for (const v of Object.values(m.exclusiveBuffers)) assert.ok(v >= 0);
    });
  }
});

describe('metrics', () => {
  test('loops: per-loop time × loops (nested loop inner side)', () => {
    const { nodes } = analyzePlan(loadPlan('nested-loop').plan);
    const inner = find(nodes, byType('Index Scan'));
    assert.ok(inner.loops > 1);
    assert.equal(inner.inclusiveMs, (inner.node['Actual Total Time'] as number) * inner.loops);
    assert.equal(inner.actualRowsTotal, (inner.node['Actual Rows'] as number) * inner.loops);
    const join = nodes[0];
    within(join.exclusiveMs, join.inclusiveMs - inner.inclusiveMs - nodes[1].inclusiveMs, 'nested loop exclusive');
  });

  test('workers: below Gather Merge, time × loops ÷ (launched + 1)', () => {
    const { nodes } = analyzePlan(loadPlan('parallel-aggregate').plan);
    const gather = find(nodes, byType('Gather Merge'));
    const launched = gather.node['Workers Launched'] as number;
    assert.equal(launched, 2);
    const scan = find(nodes, (m) => m.displayName === 'Parallel Seq Scan');
    assert.equal(scan.loops, 3);
    assert.equal(scan.parallelDivisor, 3);
    within(scan.inclusiveMs, ((scan.node['Actual Total Time'] as number) * 3) / 3, 'parallel scan');
    assert.equal(gather.parallelDivisor, 1);
    assert.deepEqual(nodes.map((m) => m.displayName), ['Finalize GroupAggregate', 'Gather Merge', 'Sort', 'Partial HashAggregate', 'Parallel Seq Scan']);
  });

  test('workers planned but none launched: divisor 1', () => {
    const { nodes } = analyzePlan(loadPlan('parallel-not-launched').plan);
    assert.ok(nodes.filter((m) => m.depth > 1).every((m) => m.parallelDivisor === 1));
  });

  test('CTE scanned twice: the CTE time is subtracted once, shared by the scans in proportion', () => {
    const { nodes } = analyzePlan(loadPlan('cte-scanned-twice').plan);
    const cte = find(nodes, (m) => m.node['Subplan Name'] === 'CTE totals');
    const scans = nodes.filter(byType('CTE Scan'));
    assert.equal(scans.length, 2);
    const scanInclusive = scans.reduce((s, m) => s + m.inclusiveMs, 0);
    within(scans.reduce((s, m) => s + m.exclusiveMs, 0), scanInclusive - cte.inclusiveMs, 'CTE scans exclusive');
    for (const s of scans) within(s.exclusiveMs, s.inclusiveMs - (cte.inclusiveMs * s.inclusiveMs) / scanInclusive, 'share');
    // The node holding the InitPlan does not subtract it.
    const top = nodes[0];
    const regular = top.childIds.map((i) => nodes[i]).filter((c) => c.node['Parent Relationship'] !== 'InitPlan');
    within(top.exclusiveMs, top.inclusiveMs - regular.reduce((s, c) => s + c.inclusiveMs, 0), 'top exclusive');
  });

  test('InitPlan: charged to the node that evaluates $0 (the Bitmap Index Scan), not to its parent', () => {
    const { nodes } = analyzePlan(loadPlan('initplan').plan);
    const init = find(nodes, (m) => m.node['Parent Relationship'] === 'InitPlan');
    const index = find(nodes, byType('Bitmap Index Scan'));
    within(index.exclusiveMs, Math.max(0, index.inclusiveMs - init.inclusiveMs), 'index scan exclusive');
    within(nodes[0].exclusiveMs, nodes[0].inclusiveMs - index.inclusiveMs, 'heap scan exclusive');
  });

  test('InitPlans under a Result are subtracted from it', () => {
    const { nodes } = analyzePlan(loadPlan('initplan-under-result').plan);
    const top = nodes[0];
    const inits = top.childIds.map((i) => nodes[i]);
    assert.ok(inits.every((c) => c.node['Parent Relationship'] === 'InitPlan'));
    within(top.exclusiveMs, Math.max(0, top.inclusiveMs - inits.reduce((s, c) => s + c.inclusiveMs, 0)), 'result exclusive');
  });

  test('SubPlans are subtracted; their buffers are not (they carry a Subplan Name)', () => {
    const { nodes } = analyzePlan(loadPlan('subplan').plan);
    const sub = find(nodes, (m) => m.node['Parent Relationship'] === 'SubPlan');
    assert.ok(sub.loops > 1);
    within(nodes[0].exclusiveMs, nodes[0].inclusiveMs - sub.inclusiveMs, 'scan exclusive');
    assert.equal(nodes[0].exclusiveBuffers['Shared Hit Blocks'], nodes[0].buffers['Shared Hit Blocks']);
  });

  test('exclusive buffers: node minus its regular children', () => {
    const { nodes } = analyzePlan(loadPlan('hash-batches').plan);
    const join = nodes[0];
    const expected = join.buffers['Temp Written Blocks'] - join.childIds.reduce((s, i) => s + nodes[i].buffers['Temp Written Blocks'], 0);
    assert.equal(join.exclusiveBuffers['Temp Written Blocks'], expected);
    assert.ok(expected > 0);
  });

  test('PG18 (PGlite): fractional Actual Rows, Index Searches, Disabled, Memoize', () => {
    const { nodes, root } = analyzePlan(loadPlan('pglite-nested-loop').plan);
    const memo = find(nodes, byType('Memoize'));
    assert.ok(!Number.isInteger(memo.node['Actual Rows']));
    assert.equal(memo.actualRowsTotal, (memo.node['Actual Rows'] as number) * memo.loops);
    assert.equal(typeof find(nodes, byType('Index Scan')).node['Index Searches'], 'number');
    assert.equal(typeof root.Plan.Disabled, 'boolean');
  });

  test('misestimate factor and direction', () => {
    const { nodes } = analyzePlan(loadPlan('misestimate').plan);
    assert.deepEqual(nodes[0].misestimate, { factor: nodes[0].node['Plan Rows'], direction: 'over' });
    const nl = analyzePlan(loadPlan('nested-loop').plan).nodes[0];
    assert.equal(nl.misestimate?.direction, 'under');
    assert.equal(nl.misestimate?.factor, 2);
  });

  test('display names: Aggregate by strategy, ModifyTable by operation', () => {
    assert.equal(analyzePlan(loadPlan('cte-scanned-twice').plan).nodes[1].displayName, 'HashAggregate');
    assert.equal(analyzePlan(loadPlan('bitmap-lossy').plan).nodes[0].displayName, 'Aggregate');
    assert.equal(analyzePlan(loadPlan('update-trigger').plan).nodes[0].displayName, 'Update');
    assert.equal(analyzePlan(loadPlan('pglite-insert').plan).nodes[0].displayName, 'Insert');
  });

  test('summary: times, buffers and hit ratio, triggers, I/O timing', () => {
    const s = analyzePlan(loadPlan('update-trigger').plan).summary;
    assert.ok(s.executionMs! > 0 && s.planningMs! > 0 && s.analyzed);
    assert.deepEqual(s.triggers.map((t) => [t.name, t.relation]), [['orders_audit', 'orders']]);
    assert.ok(s.triggers[0].calls > 0 && s.triggers[0].timeMs > 0);
    const cold = analyzePlan(loadPlan('cold-reads').plan).summary;
    assert.ok(cold.sharedRead > 0 && cold.hitRatio! < 1 && cold.hitRatio! >= 0);
    assert.equal(cold.ioTiming, false);
    assert.equal(analyzePlan(loadPlan('io-timing').plan).summary.ioTiming, true);
  });

  test('JIT and PG17 I/O key variants are read', () => {
    const root = rootOf('io-timing');
    for (const node of [root.Plan, ...root.Plan.Plans]) {
      delete node['I/O Read Time'];
      delete node['I/O Write Time'];
      delete node['Temp I/O Read Time'];
      delete node['Temp I/O Write Time'];
    }
    assert.equal(analyzePlan([root]).summary.ioTiming, false);
    root.Plan['Shared I/O Read Time'] = 1.5;
    root.JIT = { Functions: 4, Options: { Inlining: false }, Timing: { Generation: 0.5, Inlining: 0, Optimization: 1, Emission: 2, Total: 3.5 } };
    const s = analyzePlan([root]).summary;
    assert.equal(s.ioTiming, true);
    assert.equal(s.jit?.functions, 4);
    assert.equal(s.jit?.totalMs, 3.5);
  });

  test('a plan without ANALYZE: no times, no misestimates', () => {
    const { nodes, summary } = analyzePlan(loadPlan('plan-only').plan);
    assert.equal(summary.analyzed, false);
    assert.ok(nodes.every((m) => m.inclusiveMs === 0 && !m.misestimate && !m.neverExecuted));
  });

  test('never-executed nodes are marked and count 0', () => {
    const root = rootOf('nested-loop');
    root.Plan.Plans[1]['Actual Loops'] = 0;
    const inner = analyzePlan([root]).nodes[2];
    assert.ok(inner.neverExecuted);
    assert.equal(inner.inclusiveMs, 0);
  });

  test('JSON text and a bare root object are accepted; unknown keys kept', () => {
    const root = rootOf('misestimate');
    root.Plan['Some Future Key'] = { x: 1 };
    assert.equal(analyzePlan(JSON.stringify(root)).nodes[0].node['Some Future Key'] !== undefined, true);
    assert.throws(() => analyzePlan({ nope: 1 }));
  });
});

describe('deep plans', () => {
  test('5,000 nested nodes are read and measured without recursion (ids in pre-order, children in plan order)', () => {
    type Node = { 'Node Type': string; Plans?: Node[] };
    const root: Node = { 'Node Type': 'Result' };
    let at = root;
    for (let i = 0; i < 5000; i++) {
      const child: Node = { 'Node Type': 'Result' };
      at.Plans = [child, { 'Node Type': 'Seq Scan' }];
      at = child;
    }
    const { nodes } = analyzePlan([{ Plan: root }]);
    assert.equal(nodes.length, 10_001);
    assert.equal(Math.max(...nodes.map((m) => m.depth)), 5000);
    assert.deepEqual(nodes[0].childIds, [1, 10_000]);
    assert.equal(nodes[10_000].node['Node Type'], 'Seq Scan');
    assert.throws(() => analyzePlan([{ Plan: { 'Node Type': 'Result', Plans: [{ nope: 1 }] } }]), 'a malformed child is still rejected');
  });
});
