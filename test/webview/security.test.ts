/**
 * Plan text is data, never markup: identifiers, filters, aliases, tips and the filter box all render
 * as text in a real Chromium, and the page's CSP stops any script without the nonce.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { contentSecurityPolicy, createNonce, renderHtml } from '../../client/src/explain/panel/html';
import type { PlanView } from '../../client/src/explain/protocol/messages';
import { launchChromium, openPanel, planViewOf, skipWithoutChromium, type PanelPage } from './harness';

const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '<script>window.__pwned=2</script>';

function hostilePlan(): PlanView {
  const view = planViewOf('nested-loop', (root) => {
    const [seq, idx] = root.Plan.Plans;
    seq['Relation Name'] = IMG;
    seq.Alias = SCRIPT;
    seq.Filter = `((region = '${IMG}') AND (tier = 2))`;
    seq[IMG] = SCRIPT; // unknown keys are kept and shown in the detail
    idx['Index Name'] = SCRIPT;
    idx['Relation Name'] = SCRIPT;
    idx.Alias = IMG;
    root.Settings = { [IMG]: SCRIPT };
    root.Triggers = [{ 'Trigger Name': IMG, Relation: SCRIPT, Time: 1, Calls: 1 }];
  });
  view.sql = `SELECT '${IMG}', '${SCRIPT}'`;
  view.source = { kind: 'connection', label: IMG };
  view.tips.push(
    { id: 'index-candidate', nodeId: 1, title: IMG, evidence: SCRIPT, fix: { kind: 'create-index', table: IMG, columns: [SCRIPT], sql: `CREATE INDEX ${IMG}` } },
    { id: 'misestimate', nodeId: 2, title: SCRIPT, evidence: IMG, fix: { kind: 'setting', name: IMG, value: SCRIPT } },
  );
  return view;
}

/** What a successful injection would leave behind: any <img>, any script but the bundle, or __pwned set. */
async function injectionTraces(panel: PanelPage) {
  return panel.page.evaluate(() => ({
    imgs: document.querySelectorAll('img').length,
    scripts: Array.from(document.querySelectorAll('script')).map((s) => s.getAttribute('src') ?? s.textContent ?? ''),
    pwned: (window as unknown as { __pwned?: unknown }).__pwned,
  }));
}

describe('webview security', { skip: skipWithoutChromium }, () => {
  let browser: Browser;
  before(async () => { browser = await launchChromium(); });
  after(async () => { await browser?.close(); });

  test('hostile relation, index, filter, alias, tip and summary text renders as text', async () => {
    const panel = await openPanel(browser);
    const plan = hostilePlan();
    await panel.showPlan(plan);
    // Visit every place plan text goes: each node's detail, the Raw JSON and Text tabs.
    for (const node of plan.nodes) await panel.page.click(`.rows .row[data-id="${node.id}"] .node-name`);
    await panel.page.click('.tab[data-tab="json"]');
    await panel.page.click('.tab[data-tab="text"]');
    await panel.page.click('.tab[data-tab="plan"]');

    const text = await panel.page.evaluate(() => document.body.textContent ?? '');
    assert.ok(text.includes(IMG), 'the <img> payload is shown as text');
    assert.ok(text.includes(SCRIPT), 'the <script> payload is shown as text');
    const rowText = await panel.page.textContent('.rows .row[data-id="1"]');
    assert.ok(rowText?.includes(`on public.${IMG} ${SCRIPT}`), `row 1 shows relation and alias as text: ${rowText}`);
    assert.ok((await panel.page.textContent('.rows .row[data-id="2"]'))?.includes(`using ${SCRIPT}`));
    assert.ok((await panel.page.textContent('.detail'))?.includes(IMG), 'the detail shows the hostile field name and values');
    assert.ok((await panel.page.textContent('.summary'))?.includes(IMG));
    assert.ok((await panel.page.textContent('.tips'))?.includes(`CREATE INDEX ${IMG}`));

    const traces = await injectionTraces(panel);
    assert.equal(traces.imgs, 0, 'no <img> element was created');
    assert.deepEqual(traces.scripts, ['https://pgvet-webview.test/dist/media/explain.js'], 'the bundle is the only script element');
    assert.equal(traces.pwned, undefined);
    assert.deepEqual(panel.pageErrors, []);
    await panel.page.close();
  });

  test('hostile text typed into the filter box stays text and finds the node', async () => {
    const panel = await openPanel(browser);
    await panel.showPlan(hostilePlan());
    for (const payload of [IMG, SCRIPT]) {
      await panel.page.fill('input.filter', payload);
      await panel.page.waitForFunction((p) => document.querySelector('.tree')?.getAttribute('data-filter') === p, payload);
      // Both scans mention each payload (relation, alias or index); the join above them stays as context.
      const rows = await panel.page.$$eval('.rows .row', (els) => els.map((r) => ({ id: r.getAttribute('data-id'), context: r.classList.contains('context'), name: r.querySelector('.cell.name')?.textContent ?? '' })));
      assert.deepEqual(rows.map((r) => [r.id, r.context]), [['0', true], ['1', false], ['2', false]], `rows for ${payload}`);
      for (const r of rows.filter((x) => !x.context)) assert.ok(r.name.includes(payload), `row ${r.id} shows ${payload} as text: ${r.name}`);
      assert.equal(await panel.page.inputValue('input.filter'), payload);
    }
    const traces = await injectionTraces(panel);
    assert.equal(traces.imgs, 0);
    assert.equal(traces.scripts.length, 1);
    assert.equal(traces.pwned, undefined);
    await panel.page.close();
  });

  test('the CSP stops inline scripts, wrong nonces, inline handlers and inline styles; the nonce\'d bundle runs', async () => {
    const panel = await openPanel(browser, {
      injectHead: [
        '<script>window.__inlineRan = 1</script>',
        '<script nonce="not-the-nonce-0123456789">window.__wrongNonceRan = 1</script>',
        '<img src="data:," onload="window.__handlerRan = 1">',
        '<style>body { display: none }</style>',
      ].join('\n'),
    });
    await panel.showPlan(planViewOf('nested-loop'));
    const ran = await panel.page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      return { inline: w.__inlineRan, wrongNonce: w.__wrongNonceRan, handler: w.__handlerRan, display: getComputedStyle(document.body).display };
    });
    assert.deepEqual(ran, { inline: undefined, wrongNonce: undefined, handler: undefined, display: 'block' });
    const violations = await panel.violations();
    const directives = violations.map((v) => v.directive);
    assert.ok(directives.filter((d) => d.startsWith('script-src')).length >= 3, `script violations reported: ${JSON.stringify(violations)}`);
    assert.ok(directives.some((d) => d.startsWith('style-src')), 'the inline <style> was reported');
    // The bundle itself ran under the nonce: it rendered the plan and said it was ready.
    assert.ok((await panel.posted()).some((m) => m.type === 'ready'));
    await panel.page.close();
  });
});

describe('renderHtml', () => {
  test('a strict CSP: nonce-only scripts, styles/images/fonts from the webview source, nothing else', () => {
    const nonce = createNonce();
    const html = renderHtml({ cspSource: 'https://x.vscode-cdn.net', nonce, scriptUri: 'https://x.vscode-cdn.net/dist/media/explain.js', styleUri: 'https://x.vscode-cdn.net/dist/media/explain.css' });
    const csp = contentSecurityPolicy({ cspSource: 'https://x.vscode-cdn.net', nonce });
    assert.equal(csp, `default-src 'none'; script-src 'nonce-${nonce}'; style-src https://x.vscode-cdn.net; img-src https://x.vscode-cdn.net data:; font-src https://x.vscode-cdn.net`);
    assert.ok(html.includes(`content="${csp.replace(/'/g, "'")}"`));
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
    assert.equal((html.match(/<script /g) ?? []).length, 1);
    assert.ok(html.includes(`<script nonce="${nonce}" src="https://x.vscode-cdn.net/dist/media/explain.js">`));
    assert.doesNotMatch(html, /style="/);
  });

  test('a fresh nonce each time, and no short or odd nonce accepted', () => {
    const nonces = new Set(Array.from({ length: 50 }, createNonce));
    assert.equal(nonces.size, 50);
    for (const n of nonces) assert.match(n, /^[A-Za-z0-9_-]{22}$/);
    assert.throws(() => renderHtml({ cspSource: 'x', nonce: 'abc', scriptUri: 's', styleUri: 't' }));
    assert.throws(() => renderHtml({ cspSource: 'x', nonce: `${'a'.repeat(20)}"><script>`, scriptUri: 's', styleUri: 't' }));
  });
});
