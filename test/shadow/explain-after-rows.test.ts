/**
 * What "Load sample rows" is for: on the empty shadow database a query's plan is trivial; after the
 * rows are loaded (and the panel re-runs the same EXPLAIN ANALYZE) the plan reflects them, here with
 * the index-candidate tip the end-to-end test screenshots. The rows survive an interrupted EXPLAIN,
 * since the worker restarts from the checkpoint taken after loading them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { workerExplainClient } from '../../core/src/explain/adapters';
import { analyzePlan } from '../../core/src/explain/plan/metrics';
import { findTips } from '../../core/src/explain/plan/tips';
import { runExplain } from '../../core/src/explain/runner';
import { initSafety } from '../../core/src/explain/safety';
import { loadSampleRows } from '../../core/src/shadow/sample-rows';
import { createShadowDatabase, type ShadowDatabase } from '../../core/src/shadow/shadow-db';
import { buildCatalogAsync } from '../../core/src/catalog/history';
import { EXAMPLES, setsUnder } from './support';

/** The query the end-to-end test explains too (test/e2e/ui.test.ts writes the same text into its workspace). */
const LARGE_INVOICES = 'SELECT id, account_id, amount_minor, issued_at\nFROM invoices\nWHERE amount_minor > 9900\nORDER BY issued_at DESC';

describe('EXPLAIN ANALYZE before and after loading sample rows', () => {
  let shadow: ShadowDatabase;
  before(async () => {
    await initSafety();
    shadow = await createShadowDatabase(setsUnder(EXAMPLES));
  });
  after(() => shadow?.db.close());

  async function explain(statementTimeoutMs?: number) {
    const r = await runExplain(workerExplainClient(shadow.db), LARGE_INVOICES, [], { analyze: true, statementTimeoutMs });
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    const plan = analyzePlan(r.plan);
    return { plan, tips: findTips(plan, { sql: LARGE_INVOICES }) };
  }

  test('empty: a Seq Scan over no rows and no index tip; 2,000 rows: the filter removes 99 % and the tip offers CREATE INDEX', async () => {
    const empty = await explain();
    const emptyScan = empty.plan.nodes.find((n) => n.node['Node Type'] === 'Seq Scan');
    assert.equal(emptyScan?.node['Relation Name'], 'invoices');
    assert.equal(emptyScan?.actualRowsTotal, 0);
    assert.deepEqual(empty.tips.filter((t) => t.id === 'index-candidate'), []);

    const sets = setsUnder(EXAMPLES);
    const report = await loadSampleRows(shadow.db, await buildCatalogAsync(sets.flatMap((s) => s.migrations)), { rowsPerTable: 2000 });
    assert.equal(report.incomplete, 0);
    await shadow.db.checkpoint();

    const filled = await explain();
    const scan = filled.plan.nodes.find((n) => n.node['Node Type'] === 'Seq Scan')!;
    const removed = Number(scan.node['Rows Removed by Filter']);
    assert.equal(removed + scan.actualRowsTotal, 2000);
    assert.ok(removed / 2000 >= 0.9, `removed ${removed}`);
    const tip = filled.tips.find((t) => t.id === 'index-candidate');
    assert.ok(tip, JSON.stringify(filled.tips));
    assert.equal(tip.nodeId, scan.id);
    assert.deepEqual(tip.fix, {
      kind: 'create-index', table: 'invoices', columns: ['amount_minor'],
      sql: 'CREATE INDEX CONCURRENTLY invoices_amount_minor_idx ON public.invoices (amount_minor);',
    });
  });

  test('after a timed-out EXPLAIN the restarted worker still has the rows, so the tip is still there', async () => {
    const r = await runExplain(workerExplainClient(shadow.db), 'SELECT pg_sleep(30)', [], { analyze: true, statementTimeoutMs: 1000 });
    assert.equal(!r.ok && r.error.kind, 'timeout');
    const again = await explain();
    assert.ok(again.tips.some((t) => t.id === 'index-candidate'), JSON.stringify(again.tips));
  });
});
