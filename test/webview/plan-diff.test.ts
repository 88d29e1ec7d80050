/**
 * The compare view's diff logic on real plans (PGlite, PostgreSQL 18): before/after an index, a join
 * whose method changed, identical plans, a removed root, plans without ANALYZE, and a 1,000-node plan.
 */
import { PGlite } from '@electric-sql/pglite';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pgliteExplainClient } from '../../core/src/explain/adapters';
import { analyzePlan } from '../../core/src/explain/plan/metrics';
import { findTips } from '../../core/src/explain/plan/tips';
import { runExplain } from '../../core/src/explain/runner';
import { initSafety } from '../../core/src/explain/safety';
import type { PlanView } from '../../client/src/explain/protocol/messages';
import { change, diffPlans, sameQuery, type DiffRow } from '../../client/src/explain/protocol/plan-diff';
import { toPlanView } from '../../client/src/explain/panel/plan-view';
import { syntheticPlanView } from './synthetic-plan';

const SETUP = [
  'CREATE TABLE customers (id int PRIMARY KEY, country text NOT NULL)',
  'CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers, status text NOT NULL, total numeric NOT NULL)',
  "INSERT INTO customers SELECT g, (ARRAY['DE', 'FR', 'NZ', 'JP'])[1 + g % 4] FROM generate_series(1, 2000) g",
  "INSERT INTO orders SELECT g, 1 + g % 2000, CASE WHEN g > 19800 THEN 'refunded' ELSE 'shipped' END, g % 500 FROM generate_series(1, 20000) g",
  'ANALYZE',
];

/** One row's shape: status, depth and the titles on each side. */
const shape = (r: DiffRow) => `${r.status}:${r.depth}:${r.before?.title ?? '∅'} → ${r.after?.title ?? '∅'}`;

describe('diffPlans on real plans', () => {
  let db: PGlite;
  const explain = async (sql: string, analyze = true): Promise<PlanView> => {
    const r = await runExplain(pgliteExplainClient(db), sql, [], { analyze });
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    const plan = analyzePlan(r.plan);
    return toPlanView({ plan, tips: findTips(plan, { sql }), sql, source: { kind: 'shadow', label: 'PGlite' } });
  };
  before(async () => {
    await initSafety();
    db = await PGlite.create();
    for (const s of SETUP) await db.exec(s);
  });
  after(() => db?.close());

  test('before/after an index: the Seq Scan became an index scan, a Bitmap Index Scan appeared, time and buffers moved', async () => {
    const sql = "SELECT * FROM orders WHERE status = 'refunded'";
    const beforePlan = await explain(sql);
    await db.exec('CREATE INDEX orders_status_idx ON orders (status); ANALYZE orders');
    try {
      const afterPlan = await explain(sql);
      const diff = diffPlans(beforePlan, afterPlan);
      assert.equal(diff.sameQuery, true);
      assert.equal(beforePlan.nodes[0].displayName, 'Seq Scan');
      assert.match(afterPlan.nodes[0].displayName, /^(Bitmap Heap Scan|Index Scan)$/);
      const root = diff.rows[0];
      assert.equal(root.status, 'changed');
      assert.equal(root.before?.title, 'Seq Scan on public.orders');
      assert.equal(root.after?.title, afterPlan.nodes[0].displayName === 'Index Scan' ? 'Index Scan using orders_status_idx on public.orders' : 'Bitmap Heap Scan on public.orders');
      if (afterPlan.nodes.length === 2) {
        assert.deepEqual(diff.rows.map(shape).slice(1), ['added:1:∅ → Bitmap Index Scan using orders_status_idx']);
      }
      assert.deepEqual(diff.counts, { same: 0, changed: 1, added: afterPlan.nodes.length - 1, removed: 0 });
      // The numbers are the plans' own: rows found by both, fewer buffers after.
      assert.equal(root.before?.rows, 200);
      assert.equal(root.after?.rows, 200);
      assert.equal(root.before?.totalMs, beforePlan.nodes[0].inclusiveMs);
      assert.equal(root.after?.totalMs, afterPlan.nodes[0].inclusiveMs);
      assert.ok(root.after!.buffers < root.before!.buffers, `${root.before!.buffers} → ${root.after!.buffers} buffers`);
      assert.deepEqual(diff.summary.executionMs, { before: beforePlan.summary.executionMs, after: afterPlan.summary.executionMs });
      assert.equal(diff.summary.buffers.before, beforePlan.summary.sharedHit + beforePlan.summary.sharedRead);
    } finally {
      await db.exec('DROP INDEX orders_status_idx; ANALYZE orders');
    }
  });

  test('a join whose method changed: scans matched by table and alias, the Hash that disappeared shown under the new join', async () => {
    const sql = "SELECT c.country, count(*) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.status = 'refunded' GROUP BY c.country";
    const hashed = await explain(sql);
    await db.exec('SET enable_hashjoin = off; SET enable_mergejoin = off');
    let looped: PlanView;
    try {
      looped = await explain(sql);
    } finally {
      await db.exec('RESET enable_hashjoin; RESET enable_mergejoin');
    }
    const names = (p: PlanView) => p.nodes.map((n) => n.displayName);
    assert.ok(names(hashed).includes('Hash Join') && names(hashed).includes('Hash'), names(hashed).join(', '));
    assert.ok(names(looped).includes('Nested Loop') && !names(looped).includes('Hash'), names(looped).join(', '));
    const diff = diffPlans(hashed, looped);
    const byAfter = (title: RegExp) => diff.rows.find((r) => r.after && title.test(r.after.title));
    assert.equal(byAfter(/^Nested Loop$/)?.before?.title, 'Hash Join');
    assert.equal(byAfter(/^Nested Loop$/)?.status, 'changed');
    assert.equal(byAfter(/on public\.orders o$/)?.before?.title, 'Seq Scan on public.orders o');
    assert.equal(byAfter(/on public\.customers c$/)?.before?.title, 'Seq Scan on public.customers c');
    const hash = diff.rows.find((r) => r.before?.title === 'Hash');
    assert.equal(hash?.status, 'removed');
    const loop = diff.rows.findIndex((r) => r.after?.title === 'Nested Loop');
    const hashAt = diff.rows.indexOf(hash!);
    assert.ok(hashAt > loop && hash!.depth === diff.rows[loop].depth + 1, 'the Hash is listed under the Nested Loop that replaced its join');
    // Every node of both plans appears exactly once.
    assert.deepEqual(diff.rows.filter((r) => r.after).map((r) => r.after!.id), looped.nodes.map((n) => n.id));
    assert.deepEqual(diff.rows.filter((r) => r.before).map((r) => r.before!.id).sort((x, y) => x - y), hashed.nodes.map((n) => n.id));
  });

  test('the same plan twice: every node "same"; a different query is said to be one', async () => {
    const sql = 'SELECT country, count(*) FROM customers GROUP BY country ORDER BY 2 DESC';
    const a = await explain(sql);
    const b = await explain(`${sql.replace(/ /g, '\n  ')};`);
    const diff = diffPlans(a, b);
    assert.equal(diff.sameQuery, true, 'whitespace and a semicolon do not make another query');
    assert.deepEqual(diff.counts, { same: a.nodes.length, changed: 0, added: 0, removed: 0 });
    assert.deepEqual(diff.rows.map((r) => r.depth), a.nodes.map((n) => n.depth));
    assert.equal(sameQuery(a, { sql: 'SELECT 1' }), false);
  });

  test('a root that disappeared (ORDER BY dropped) is listed as removed, the scan under it matched', async () => {
    const sorted = await explain('SELECT * FROM customers ORDER BY country');
    const plain = await explain('SELECT * FROM customers');
    const diff = diffPlans(sorted, plain);
    assert.equal(diff.sameQuery, false);
    assert.deepEqual(diff.rows.map(shape), ['same:0:Seq Scan on public.customers → Seq Scan on public.customers', 'removed:1:Sort → ∅']);
  });

  test('plans without ANALYZE: costs and estimates, no times', async () => {
    const sql = "SELECT * FROM orders WHERE status = 'refunded'";
    const diff = diffPlans(await explain(sql, false), await explain(sql, false));
    assert.deepEqual(diff.analyzed, { before: false, after: false });
    const root = diff.rows[0];
    assert.equal(root.before?.totalMs, undefined);
    assert.equal(root.before?.rows, undefined);
    assert.ok(root.before!.cost! > 0);
    assert.equal(root.before?.planRows, root.after?.planRows);
    assert.equal(diff.summary.buffers.before, undefined);
  });
});

describe('diffPlans on large plans and the change helper', () => {
  test('a 1,000-node plan against itself: 1,000 "same" rows in plan order', () => {
    const plan = syntheticPlanView(1000);
    const diff = diffPlans(plan, { ...plan, planId: 'other' });
    assert.equal(diff.rows.length, 1000);
    assert.equal(diff.counts.same, 1000);
    assert.deepEqual(diff.rows.map((r) => r.after!.id), plan.nodes.map((n) => n.id));
    assert.deepEqual(diff.rows.map((r) => r.before!.id), plan.nodes.map((n) => n.id));
  });

  test('two different 1,000-node plans: every node of each side appears once', () => {
    const a = syntheticPlanView(1000, 1);
    const b = syntheticPlanView(1000, 2);
    const diff = diffPlans(a, b);
    assert.deepEqual(diff.rows.filter((r) => r.after).map((r) => r.after!.id), b.nodes.map((n) => n.id));
    assert.deepEqual(diff.rows.filter((r) => r.before).map((r) => r.before!.id).sort((x, y) => x - y), a.nodes.map((n) => n.id));
    assert.equal(diff.counts.same + diff.counts.changed + diff.counts.added, 1000);
    assert.equal(diff.counts.same + diff.counts.changed + diff.counts.removed, 1000);
  });

  test('change(): delta and ratio, none when a side is missing or the base is 0', () => {
    assert.deepEqual(change(10, 2.5), { delta: -7.5, ratio: -0.75 });
    assert.deepEqual(change(0, 3), { delta: 3 });
    assert.equal(change(undefined, 3), undefined);
  });
});
