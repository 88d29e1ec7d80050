/**
 * Saved plans: what "Save plan" writes reads back as the same plan; earlier bare saves and plain
 * EXPLAIN (FORMAT JSON) output open too; broken files get a reason, never an exception; an opened plan
 * renders in the panel as a file plan. And the recent-plan history "Compare…" offers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { HostMessageSchema, type PlanView } from '../../client/src/explain/protocol/messages';
import { HISTORY_LIMIT, PlanHistory } from '../../client/src/explain/panel/plan-history';
import { parseSavedPlan, savedPlanText } from '../../client/src/explain/panel/saved-plan';
import { loadPlan } from '../explain/fixtures';
import { launchChromium, openPanel, planViewOf, skipWithoutChromium } from './harness';

function opened(text: string, name = 'orders.pgplan.json'): PlanView {
  const r = parseSavedPlan(text, name);
  assert.ok(r.ok, !r.ok ? r.error : '');
  return r.plan;
}

function failure(text: string): string {
  const r = parseSavedPlan(text, 'broken.pgplan.json');
  assert.equal(r.ok, false, 'expected the file to be refused');
  return r.ok ? '' : r.error;
}

describe('saved plan files', () => {
  test('Save plan → open: the same nodes, summary, tips and query; a new id; the file named as the source', () => {
    const plan = planViewOf('seq-scan-filter');
    const text = savedPlanText(plan, new Date('2025-03-04T05:06:07Z'));
    const envelope = JSON.parse(text);
    assert.equal(envelope.format, 'pgvet-plan');
    assert.equal(envelope.version, 1);
    assert.equal(envelope.savedAt, '2025-03-04T05:06:07.000Z');
    const back = opened(text);
    assert.notEqual(back.planId, plan.planId);
    const { planId: _a, source: sourceA, ...restA } = plan;
    const { planId: _b, source: sourceB, ...restB } = back;
    assert.deepEqual(restB, restA);
    assert.deepEqual(sourceB, { kind: 'file', label: `saved plan orders.pgplan.json, saved 2025-03-04 05:06 UTC — it ran on ${sourceA.label}` });
    assert.ok(back.tips.some((t) => t.id === 'index-candidate'));
    assert.ok(HostMessageSchema.safeParse({ type: 'plan', plan: back }).success, 'it can be sent to the panel as it is');
  });

  test('a bare plan (as development builds saved it) and plain EXPLAIN (FORMAT JSON) output open too', () => {
    const plan = planViewOf('nested-loop');
    assert.equal(opened(JSON.stringify(plan)).nodes.length, plan.nodes.length);

    const raw = loadPlan('seq-scan-filter').plan;
    const fromExplain = opened(JSON.stringify(raw), 'plan.json');
    assert.deepEqual(fromExplain.source, { kind: 'file', label: 'EXPLAIN output read from plan.json' });
    assert.equal(fromExplain.nodes[0].displayName, 'Seq Scan');
    assert.ok(fromExplain.tips.some((t) => t.id === 'index-candidate'), 'tips are found for it');
    // psql \o or node-postgres rows: the JSON inside a "QUERY PLAN" column.
    assert.equal(opened(JSON.stringify([{ 'QUERY PLAN': raw }])).nodes[0].displayName, 'Seq Scan');
    assert.equal(opened(JSON.stringify((raw as unknown[])[0])).nodes[0].displayName, 'Seq Scan', 'a bare root object');
  });

  test('broken files are refused with a reason', () => {
    const good = savedPlanText(planViewOf('nested-loop'));
    assert.match(failure(good.slice(0, good.length / 2)), /^not valid JSON \(/);
    assert.match(failure(''), /^not valid JSON/);
    assert.equal(failure('{"name": "package"}'), 'neither a pgvet plan (a .pgplan.json from "Save plan") nor EXPLAIN (FORMAT JSON) output');
    assert.equal(failure('[1, 2]'), 'neither a pgvet plan (a .pgplan.json from "Save plan") nor EXPLAIN (FORMAT JSON) output');

    const envelope = JSON.parse(good);
    envelope.plan.nodes[1].parentId = 7;
    assert.match(failure(JSON.stringify(envelope)), /^not a valid pgvet plan: nodes: not a valid list of plan nodes/);
    delete envelope.plan.summary;
    assert.match(failure(JSON.stringify(envelope)), /summary/);

    assert.equal(failure(JSON.stringify({ ...JSON.parse(good), version: 2 })),
      'saved by a newer pgvet (format version 2; this one reads version 1): update pgvet to open it');
    assert.match(failure(JSON.stringify([{ Plan: { 'Total Cost': 3 } }])), /^EXPLAIN \(FORMAT JSON\) output that pgvet cannot read: Plan\.Node Type/);
  });
});

describe('recent plans offered by Compare…', () => {
  const plan = (sql: string, planId: string): PlanView => ({ ...planViewOf('nested-loop'), sql, planId });

  test('other plans only, the same query first, newest first; showing a plan again moves it to the front', () => {
    const history = new PlanHistory();
    history.add(plan('SELECT 1', 'a'), Date.UTC(2025, 0, 1, 10, 0, 0));
    history.add(plan('SELECT  2', 'b'), Date.UTC(2025, 0, 1, 10, 0, 1));
    history.add(plan('select 2;', 'c'), Date.UTC(2025, 0, 1, 10, 0, 2));
    history.add(plan('SELECT 3', 'd'), Date.UTC(2025, 0, 1, 10, 0, 3));
    const current = plan('SELECT 2', 'd2');
    assert.deepEqual(history.candidates(current).map((c) => `${c.plan.planId}:${c.sameQuery}`), ['c:true', 'b:true', 'd:false', 'a:false']);
    assert.match(history.candidates(current)[0].label, /^earlier run at \d\d:\d\d:\d\d$/);
    assert.match(history.candidates(current)[0].description, /^EXPLAIN ANALYZE · [\d.]+ ms · 3 nodes, top: Nested Loop$/);
    history.add(plan('SELECT 1', 'a'));
    assert.deepEqual(history.candidates(plan('SELECT 9', 'z')).map((c) => c.plan.planId), ['a', 'd', 'c', 'b']);
    assert.deepEqual(history.candidates(plan('SELECT 1', 'a')).map((c) => c.plan.planId), ['d', 'c', 'b'], 'never the plan itself');
  });

  test(`keeps the ${HISTORY_LIMIT} most recent`, () => {
    const history = new PlanHistory();
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) history.add(plan('SELECT 1', `p${i}`));
    assert.equal(history.size, HISTORY_LIMIT);
    assert.equal(history.candidates(plan('SELECT 1', 'x')).at(-1)?.plan.planId, 'p5');
  });
});

describe('an opened plan in the panel', { skip: skipWithoutChromium }, () => {
  let browser: Browser;
  before(async () => { browser = await launchChromium(); });
  after(async () => { await browser?.close(); });

  test('renders with its file as the source and without "Load sample rows"', async () => {
    const shadowPlan: PlanView = { ...planViewOf('seq-scan-filter'), source: { kind: 'shadow', label: 'embedded shadow database' } };
    const back = opened(savedPlanText(shadowPlan));
    const panel = await openPanel(browser);
    await panel.showPlan(back);
    assert.equal(await panel.page.textContent('.source.source-file .value'), back.source.label);
    assert.equal(await panel.page.locator('button:text-is("Load sample rows")').count(), 0);
    assert.equal(await panel.page.locator('.rows .row').count(), back.nodes.length);
    assert.ok((await panel.page.textContent('.tips'))?.includes('Index candidate on orders'));
    await panel.page.close();
  });
});
