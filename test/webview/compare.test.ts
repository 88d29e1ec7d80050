/**
 * The Compare tab in headless Chromium, on real plans from PGlite: before and after an index on the
 * filtered column. The host's `compare` message opens the tab; the DOM shows the changed scan, the new
 * index node, the time and buffer changes; the comparison survives a reload and "Stop comparing" ends it.
 */
import { PGlite } from '@electric-sql/pglite';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { pgliteExplainClient } from '../../core/src/explain/adapters';
import { analyzePlan } from '../../core/src/explain/plan/metrics';
import { findTips } from '../../core/src/explain/plan/tips';
import { runExplain } from '../../core/src/explain/runner';
import { initSafety } from '../../core/src/explain/safety';
import type { PanelState, PlanView } from '../../client/src/explain/protocol/messages';
import { diffPlans } from '../../client/src/explain/protocol/plan-diff';
import { toPlanView } from '../../client/src/explain/panel/plan-view';
import { launchChromium, openPanel, skipWithoutChromium } from './harness';

const IMG = '<img src=x onerror="window.__pwned=1">';
const TABLE = `"${IMG.replace(/"/g, '""')}"`;
const SQL = `SELECT * FROM ${TABLE} WHERE status = 'refunded'`;

/** The same query before and after CREATE INDEX, on a table whose name is HTML (it must stay text). */
async function beforeAndAfterIndex(): Promise<{ before: PlanView; after: PlanView }> {
  await initSafety();
  const db = await PGlite.create();
  try {
    const table = TABLE;
    await db.exec(`CREATE TABLE ${table} (id int PRIMARY KEY, status text NOT NULL, total numeric NOT NULL);
      INSERT INTO ${table} SELECT g, CASE WHEN g > 19800 THEN 'refunded' ELSE 'shipped' END, g % 500 FROM generate_series(1, 20000) g;
      ANALYZE ${table};`);
    const explain = async () => {
      const r = await runExplain(pgliteExplainClient(db), SQL, [], { analyze: true });
      assert.ok(r.ok, !r.ok ? r.error.message : '');
      const plan = analyzePlan(r.plan);
      return toPlanView({ plan, tips: findTips(plan, { sql: SQL }), sql: SQL, source: { kind: 'shadow', label: 'PGlite' } });
    };
    const beforePlan = await explain();
    await db.exec(`CREATE INDEX status_idx ON ${table} (status); ANALYZE ${table};`);
    return { before: beforePlan, after: await explain() };
  } finally {
    await db.close();
  }
}

describe('Compare tab', { skip: skipWithoutChromium }, () => {
  let browser: Browser;
  let plans: { before: PlanView; after: PlanView };
  before(async () => {
    [browser, plans] = await Promise.all([launchChromium(), beforeAndAfterIndex()]);
  });
  after(async () => { await browser?.close(); });

  test('the Compare… button asks the host; its answer opens the tab with the changed scan, the new index node and the changes', async () => {
    const panel = await openPanel(browser);
    await panel.showPlan(plans.after);
    assert.equal(await panel.page.locator('.tab[data-tab="compare"]').count(), 0, 'no Compare tab before a plan to compare with');
    await panel.page.click('button:text-is("Compare…")');
    assert.deepEqual((await panel.posted()).at(-1), { type: 'compare' });

    await panel.send({ type: 'compare', base: plans.before, label: `earlier run ${IMG}` });
    await panel.page.waitForSelector('.pane-compare .diff-table');
    assert.equal(await panel.page.getAttribute('.tab[data-tab="compare"]', 'aria-selected'), 'true');
    assert.equal(await panel.page.isVisible('.pane-plan'), false);
    assert.equal(await panel.page.textContent('.compare-base'), `earlier run ${IMG}`);

    const diff = diffPlans(plans.before, plans.after);
    const rows = await panel.page.$$eval('.diff-table .row[data-status]', (els) => els.map((r) => ({
      status: r.getAttribute('data-status'),
      name: r.querySelector('.cell.name')?.textContent,
      cells: Array.from(r.querySelectorAll('.cell.num')).map((c) => c.textContent),
      classes: Array.from(r.querySelectorAll('.cell.num')).map((c) => c.className),
    })));
    assert.equal(rows.length, diff.rows.length);
    const afterRoot = plans.after.nodes[0].displayName;
    assert.equal(rows[0].status, 'changed');
    assert.ok(rows[0].name?.includes(`Seq Scan on public.${IMG} → ${afterRoot}`), rows[0].name ?? '');
    if (plans.after.nodes.length > 1) assert.deepEqual(rows.slice(1).map((r) => r.status), ['added']);
    // Time before, after and the change, as formatted from the plans' own numbers.
    const ms = (x: number) => (x < 1 ? `${x.toFixed(3)} ms` : x < 10 ? `${x.toFixed(2)} ms` : `${x.toFixed(1)} ms`);
    assert.equal(rows[0].cells[0], ms(plans.before.nodes[0].inclusiveMs));
    assert.equal(rows[0].cells[1], ms(plans.after.nodes[0].inclusiveMs));
    assert.equal(rows[0].cells[3], '200');
    assert.equal(rows[0].cells[4], '200');
    const buffersBefore = diff.rows[0].before!.buffers;
    const buffersAfter = diff.rows[0].after!.buffers;
    assert.ok(buffersAfter < buffersBefore);
    assert.match(rows[0].cells[7] ?? '', new RegExp(`^−${buffersBefore - buffersAfter} \\(−[\\d.]+ %\\)$`));
    assert.match(rows[0].classes[7], /\bbetter\b/, 'fewer buffers is better');

    const head = await panel.page.textContent('.compare-head');
    assert.ok(head?.includes(`Execution${ms(plans.before.summary.executionMs!)} → ${ms(plans.after.summary.executionMs!)}`), head ?? '');
    assert.ok(head?.includes(`1 changed, ${plans.after.nodes.length - 1} appeared, 0 disappeared, 0 in both.`), head ?? '');
    assert.equal(await panel.page.locator('.compare-warning').count(), 0, 'same query: no warning');

    // Plan text stays text: no <img> element, nothing ran.
    assert.equal(await panel.page.evaluate(() => document.querySelectorAll('img').length), 0);
    assert.equal(await panel.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.deepEqual(panel.pageErrors, []);
    assert.deepEqual(await panel.violations(), []);
    await panel.page.close();
  });

  test('the comparison is part of the saved state: after a reload the Compare tab is back; Stop comparing ends it', async () => {
    const first = await openPanel(browser);
    await first.showPlan(plans.after);
    await first.send({ type: 'compare', base: plans.before, label: 'before the index' });
    await first.page.waitForFunction(() => (window as unknown as { __getState: () => PanelState | undefined }).__getState()?.compare !== undefined);
    const state = await first.state();
    await first.page.close();

    const second = await openPanel(browser, { state });
    await second.page.waitForSelector('.pane-compare .diff-table .row[data-status="changed"]');
    assert.equal(await second.page.textContent('.compare-base'), 'before the index');
    await second.page.click('button:text-is("Stop comparing")');
    await second.page.waitForSelector('.tab[data-tab="plan"][aria-selected="true"]');
    assert.equal(await second.page.locator('.tab[data-tab="compare"]').count(), 0);
    await second.page.waitForFunction(() => (window as unknown as { __getState: () => PanelState | undefined }).__getState()?.compare === undefined);
    await second.page.close();
  });

  test('plans of different queries: compared, with a warning', async () => {
    const panel = await openPanel(browser);
    await panel.showPlan(plans.after);
    await panel.send({ type: 'compare', base: { ...plans.before, sql: 'SELECT 1' }, label: 'another query' });
    await panel.page.waitForSelector('.compare-warning');
    assert.match((await panel.page.textContent('.compare-warning')) ?? '', /different queries/);
    await panel.page.close();
  });

  test('a malformed compare message is ignored', async () => {
    const panel = await openPanel(browser);
    await panel.showPlan(plans.after);
    await panel.send({ type: 'compare', base: { ...plans.before, nodes: [{ id: 3 }] }, label: 'broken' });
    await panel.send({ type: 'compare', label: 'no base' });
    // A valid message afterwards is handled: so the broken ones were seen (and dropped) before it.
    await panel.send({ type: 'running', message: 'next' });
    await panel.page.waitForSelector('.banner.running');
    assert.equal(await panel.page.locator('.tab[data-tab="compare"]').count(), 0);
    assert.deepEqual(panel.pageErrors, []);
    await panel.page.close();
  });
});
