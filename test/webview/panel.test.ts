/**
 * The panel with recorded real plans in headless Chromium: rows, percentages and misestimate arrows
 * match the metrics, a click shows the node's fields, buttons post the right messages, the state
 * restores without a new plan message, and a 1,000-node plan stays a virtual list.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { resolvePanelMessage } from '../../client/src/explain/panel/dispatch';
import type { PanelState } from '../../client/src/explain/protocol/messages';
import { loadPlan } from '../explain/fixtures';
import { launchChromium, openPanel, planViewOf, skipWithoutChromium } from './harness';
import { syntheticPlanView } from './synthetic-plan';

const pctText = (p: number) => (p === 0 ? '0 %' : p < 0.1 ? '<0.1 %' : `${p.toFixed(1)} %`);

describe('EXPLAIN panel', { skip: skipWithoutChromium }, () => {
  let browser: Browser;
  before(async () => { browser = await launchChromium(); });
  after(async () => { await browser?.close(); });

  test('a recorded plan: one row per node, its % of execution, arrows and bands', async () => {
    const plan = planViewOf('cte-scanned-twice');
    const panel = await openPanel(browser);
    await panel.showPlan(plan);
    const rows = await panel.page.$$eval('.rows .row', (els) => els.map((r) => ({
      id: Number(r.getAttribute('data-id')),
      pct: r.querySelector('.pct-text')?.textContent,
      pctClass: r.querySelector('.cell.pct')?.className,
      mis: r.querySelector('.cell.mis')?.textContent,
      misClass: r.querySelector('.cell.mis')?.className,
    })));
    assert.equal(rows.length, plan.nodes.length);
    assert.equal(rows.length, 7);
    assert.deepEqual(rows.map((r) => r.id), plan.nodes.map((n) => n.id), 'rows in plan (pre-)order');
    for (const n of plan.nodes) assert.equal(rows[n.id].pct, pctText(n.percentOfTotal), `node ${n.id} %`);
    // The HashAggregate takes over half the time, the Seq Scan over a tenth.
    assert.match(rows[1].pctClass!, /time-2/);
    assert.match(rows[2].pctClass!, /time-1/);
    // The Merge Join was expected to return 672,747 rows and returned 7,039: ↑ 95.6×, the >10× band.
    assert.equal(rows[0].mis, '↑ 95.6×');
    assert.match(rows[0].misClass!, /mis-1/);
    assert.equal(await panel.page.textContent('.rows .row[data-id="0"] .rowcount'), '7,039 / 672,747');
    assert.deepEqual(panel.pageErrors, []);
    await panel.page.close();
  });

  test('under-estimates point down; summary shows times, buffers and where the plan ran', async () => {
    const plan = planViewOf('nested-loop');
    const panel = await openPanel(browser);
    await panel.showPlan(plan);
    // Seq Scan on customers: 500 estimated, 1,000 actual.
    assert.equal(await panel.page.textContent('.rows .row[data-id="1"] .cell.mis'), '↓ 2.0×');
    const summary = await panel.page.textContent('.summary');
    assert.ok(summary?.includes(`Execution${plan.summary.executionMs!.toFixed(1)} ms`), summary ?? '');
    assert.ok(summary?.includes('12,297 hit / 5,851 read'), summary ?? '');
    assert.ok(summary?.includes(plan.source.label));
    await panel.page.close();
  });

  test('clicking a node shows every field with explanations', async () => {
    const plan = planViewOf('cte-scanned-twice');
    const panel = await openPanel(browser);
    await panel.showPlan(plan);
    await panel.page.click('.rows .row[data-id="2"] .node-name');
    assert.equal(await panel.page.textContent('.detail h3'), '#2 Seq Scan on public.orders');
    const fields = await panel.page.$$eval('.detail table.fields:nth-of-type(2) tr', (trs) => trs.map((tr) => Array.from(tr.children).map((c) => c.textContent)));
    assert.equal(fields.length, Object.keys(plan.nodes[2].fields).length, 'one line per raw field');
    const relation = fields.find((f) => f[0] === 'Relation Name');
    assert.deepEqual(relation, ['Relation Name', 'orders', 'The table this node reads or modifies.']);
    assert.ok(fields.find((f) => f[0] === 'Shared Read Blocks')?.[2], 'buffers are explained');
    assert.equal(await panel.page.getAttribute('.rows .row[data-id="2"]', 'aria-selected'), 'true');
    await panel.page.close();
  });

  test('tip buttons post createIndex / openFix with the tip, and the host resolves them to that tip', async () => {
    const plan = planViewOf('seq-scan-filter');
    const panel = await openPanel(browser);
    await panel.showPlan(plan);
    const index = plan.tips.findIndex((t) => t.id === 'index-candidate');
    assert.ok(index >= 0);
    await panel.page.click(`.tip[data-tip-index="${index}"] button.primary`);
    const posted = await panel.posted();
    const message = posted.find((m) => m.type === 'createIndex');
    assert.deepEqual(message, { type: 'createIndex', tipIndex: index, tipId: 'index-candidate' });
    const resolved = resolvePanelMessage(message, plan);
    assert.ok(resolved.ok && resolved.action.kind === 'createIndex');
    assert.equal(resolved.action.tip.fix.sql, 'CREATE INDEX CONCURRENTLY orders_status_idx ON public.orders (status);');
    assert.ok((await panel.page.textContent('.tips'))?.includes('CREATE INDEX CONCURRENTLY orders_status_idx ON public.orders (status);'));
    await panel.page.close();

    const spill = planViewOf('cte-scanned-twice');
    const other = await openPanel(browser);
    await other.showPlan(spill);
    const spillIndex = spill.tips.findIndex((t) => t.fix?.kind === 'setting');
    await other.page.click(`.tip[data-tip-index="${spillIndex}"] button:not(.link)`);
    assert.deepEqual((await other.posted()).find((m) => m.type === 'openFix'), { type: 'openFix', tipIndex: spillIndex, tipId: spill.tips[spillIndex].id });
    await other.page.click(`.tip[data-tip-index="${spillIndex}"] button.link`);
    // The tip's node link selects that node.
    assert.ok((await other.page.textContent('.detail h3'))?.startsWith(`#${spill.tips[spillIndex].nodeId} `));
    await other.page.close();
  });

  test('save, compare, copy buttons post their messages', async () => {
    const panel = await openPanel(browser);
    await panel.showPlan(planViewOf('nested-loop'));
    await panel.page.click('button:text-is("Save plan")');
    await panel.page.click('button:text-is("Compare…")');
    await panel.page.click('button:text-is("Copy query")');
    await panel.page.click('.tab[data-tab="json"]');
    await panel.page.click('button:text-is("Copy JSON")');
    await panel.page.click('.tab[data-tab="text"]');
    await panel.page.click('button:text-is("Copy text")');
    const types = (await panel.posted()).map((m) => ('format' in m ? `${m.type}:${m.format}` : m.type));
    assert.deepEqual(types, ['ready', 'savePlan', 'compare', 'copy:sql', 'copy:json', 'copy:text']);
    // The JSON tab shows the EXPLAIN output rebuilt from the nodes: the same tree PostgreSQL returned.
    const json = JSON.parse((await panel.page.textContent('.pane-json pre.raw'))!);
    assert.deepEqual(json, loadPlan('nested-loop').plan);
    assert.match((await panel.page.textContent('.pane-text pre.raw'))!, /^Nested Loop {2}\(cost=0\.42\.\.18025\.40 rows=7500 width=20\) \(actual time=0\.037\.\.136\.995 rows=15000 loops=1\)\n/);
    await panel.page.close();
  });

  test('the filter box keeps matching nodes and their ancestors', async () => {
    const panel = await openPanel(browser);
    await panel.showPlan(planViewOf('cte-scanned-twice'));
    await panel.page.fill('input.filter', 'cte scan');
    await panel.page.waitForFunction(() => document.querySelector('.tree')?.getAttribute('data-filter') === 'cte scan');
    const rows = await panel.page.$$eval('.rows .row', (els) => els.map((r) => `${r.getAttribute('data-id')}${r.classList.contains('context') ? 'c' : ''}`));
    assert.deepEqual(rows, ['0c', '3c', '4', '5c', '6']);
    await panel.page.close();
  });

  test('state restores after a reload: same plan, selection and collapsed nodes, no plan message needed', async () => {
    const plan = planViewOf('cte-scanned-twice');
    const first = await openPanel(browser);
    await first.showPlan(plan);
    await first.page.click('.rows .row[data-id="3"] .toggle');
    await first.page.click('.rows .row[data-id="1"] .node-name');
    await first.page.waitForFunction(() => {
      const s = (window as unknown as { __getState: () => PanelState | undefined }).__getState();
      return s?.ui.selectedId === 1 && s.ui.collapsed.includes(3);
    });
    const state = await first.state();
    await first.page.close();

    const second = await openPanel(browser, { state });
    await second.page.waitForSelector(`#app[data-plan-id="${plan.planId}"] .rows .row`);
    const ids = await second.page.$$eval('.rows .row', (els) => els.map((r) => Number(r.getAttribute('data-id'))));
    assert.deepEqual(ids, [0, 1, 2, 3, 5, 6], 'node 4 stays hidden under the collapsed Sort');
    assert.equal(await second.page.textContent('.detail h3'), '#1 HashAggregate');
    assert.deepEqual(await second.posted(), [{ type: 'ready', planId: plan.planId }], 'it tells the host which plan it restored');
    assert.deepEqual(second.pageErrors, []);
    await second.page.close();
  });

  test('malformed messages and a malformed saved state are ignored', async () => {
    const panel = await openPanel(browser, { state: { version: 1, plan: { nodes: 'x' } } });
    assert.equal(await panel.page.textContent('#app'), 'Waiting for a plan…');
    assert.deepEqual(await panel.posted(), [{ type: 'ready' }]);
    const plan = planViewOf('nested-loop');
    await panel.showPlan(plan);
    await panel.send({ type: 'plan', plan: { ...plan, planId: 'other', nodes: [{ id: -1 }] } });
    await panel.send({ type: 'nonsense' });
    await panel.send('<img src=x onerror="window.__pwned=1">');
    await panel.page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
    assert.equal(await panel.page.getAttribute('#app', 'data-plan-id'), plan.planId, 'still the last valid plan');
    assert.deepEqual(panel.pageErrors, []);
    await panel.page.close();
  });

  test('running and error notices', async () => {
    const panel = await openPanel(browser);
    await panel.send({ type: 'running', message: 'Running EXPLAIN ANALYZE…' });
    await panel.page.waitForSelector('.banner.running');
    await panel.send({ type: 'error', message: 'Connection refused: is PostgreSQL running on localhost:5432?' });
    await panel.page.waitForSelector('.banner.error');
    assert.equal(await panel.page.textContent('.banner'), 'Connection refused: is PostgreSQL running on localhost:5432?');
    await panel.page.close();
  });

  test('a 1,000-node plan is a virtual list: a screenful of rows in the DOM, the last node reachable', async () => {
    const plan = syntheticPlanView(1000);
    const panel = await openPanel(browser);
    await panel.showPlan(plan);
    assert.equal(await panel.page.getAttribute('.tree', 'data-visible-rows'), '1000');
    const inDom = await panel.page.$$eval('.rows .row', (els) => els.length);
    assert.ok(inDom > 10 && inDom < 120, `${inDom} rows in the DOM`);
    await panel.page.$eval('.tree', (t) => { t.scrollTop = t.scrollHeight; });
    await panel.page.waitForSelector('.rows .row[data-id="999"]');
    // Keyboard: Home selects the root and scrolls back up.
    await panel.page.focus('.tree');
    await panel.page.keyboard.press('Home');
    await panel.page.waitForSelector('.rows .row[data-id="0"].selected');
    await panel.page.click('button:text-is("Collapse all")');
    const collapsed = Number(await panel.page.getAttribute('.tree', 'data-visible-rows'));
    assert.equal(collapsed, 1 + plan.nodes[0].childIds.length);
    await panel.page.close();
  });
});
