/**
 * EXPLAIN panel render time in headless Debian Chromium: synthetic 1,000- and 5,000-node plans built
 * from the recorded plans' node shapes, timed from posting the plan message until its rows are in the
 * DOM (message validated, tree built, rows inserted) and until the next frame has painted. Median of 5,
 * each run in a fresh page, as when the panel opens.
 *
 *   npm run build && node --import tsx bench/webview-render.ts [--runs 5] [--sizes 1000,5000]
 *
 * From bench/run.ts:  import { runWebviewRenderBench, formatWebviewRender } from './webview-render';
 *                     console.log(formatWebviewRender(await runWebviewRenderBench()));
 */
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { launchChromium, openPanel, CHROMIUM_PATH } from '../test/webview/harness';
import { syntheticPlanView } from '../test/webview/synthetic-plan';

export interface WebviewRenderResult {
  nodes: number;
  runs: number;
  /** ms from postMessage until the panel's message handler returned with the rows in the DOM. */
  medianToRowsMs: number;
  /** ms from postMessage until the frame after that (layout and paint done). */
  medianToPaintMs: number;
  /** ms from a jump to the middle of the list until its rows are in the DOM (the scroll event comes with a frame). */
  medianScrollMs: number;
  /** ms until the next animation frame in an idle page: the floor under medianScrollMs on this machine. */
  medianFrameMs: number;
  rowsInDom: number;
  payloadBytes: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Strings, not functions: tsx would add `__name(...)` helpers the page does not have.
const MEASURE_RENDER = `(async () => {
  const message = { type: 'plan', plan: window.__benchPlan };
  let handled;
  window.addEventListener('message', function () { handled = performance.now(); }, { once: true });
  const start = performance.now();
  window.postMessage(message, '*');
  while (handled === undefined) await new Promise(function (r) { setTimeout(r, 0); });
  const rows = document.querySelectorAll('#app[data-plan-id="' + message.plan.planId + '"] .rows .row').length;
  await new Promise(function (r) { requestAnimationFrame(function () { setTimeout(r, 0); }); });
  return { toRows: handled - start, toPaint: performance.now() - start, rows: rows };
})()`;

const MEASURE_SCROLL = `(async () => {
  const tree = document.querySelector('.tree');
  const layer = tree.querySelector('.rows');
  const target = Math.floor(Number(tree.dataset.visibleRows) / 2);
  const has = function () { return [...layer.children].some(function (row) { return Math.abs(parseFloat(row.style.top) - target * 22) < 1; }); };
  if (has()) return { ms: 0, shown: true, frame: 0 }; // short plan: every row is already there
  const start = performance.now();
  tree.scrollTop = target * 22;
  await new Promise(function (r) {
    const observer = new MutationObserver(function () { if (has()) { observer.disconnect(); r(); } });
    observer.observe(layer, { childList: true });
    setTimeout(function () { observer.disconnect(); r(); }, 5000);
  });
  const ms = performance.now() - start;
  const idle = performance.now();
  await new Promise(function (r) { requestAnimationFrame(function () { r(); }); });
  return { ms: ms, shown: has(), frame: performance.now() - idle };
})()`;

export async function runWebviewRenderBench({ sizes = [1000, 5000], runs = 5 } = {}): Promise<WebviewRenderResult[]> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`webview-render: ${CHROMIUM_PATH} not found (apt-get install -y chromium)`);
  const browser = await launchChromium();
  const results: WebviewRenderResult[] = [];
  try {
    for (const size of sizes) {
      const plan = syntheticPlanView(size);
      const toRows: number[] = [];
      const toPaint: number[] = [];
      const scroll: number[] = [];
      const frame: number[] = [];
      let rowsInDom = 0;
      for (let i = 0; i < runs; i++) {
        const panel = await openPanel(browser);
        await panel.page.evaluate((p) => { (window as unknown as { __benchPlan: unknown }).__benchPlan = p; }, plan);
        const r = await panel.page.evaluate<{ toRows: number; toPaint: number; rows: number }>(MEASURE_RENDER);
        if (r.rows === 0) throw new Error(`webview-render: no rows rendered for ${size} nodes`);
        const s = await panel.page.evaluate<{ ms: number; shown: boolean; frame: number }>(MEASURE_SCROLL);
        if (!s.shown) throw new Error('webview-render: scrolling did not render the rows in view');
        if (panel.pageErrors.length) throw new Error(`webview-render: page errors: ${panel.pageErrors.join('; ')}`);
        toRows.push(r.toRows);
        toPaint.push(r.toPaint);
        scroll.push(s.ms);
        frame.push(s.frame);
        rowsInDom = r.rows;
        await panel.page.close();
      }
      results.push({
        nodes: size, runs, rowsInDom, payloadBytes: Buffer.byteLength(JSON.stringify(plan)),
        medianToRowsMs: median(toRows), medianToPaintMs: median(toPaint), medianScrollMs: median(scroll), medianFrameMs: median(frame),
      });
    }
  } finally {
    await browser.close();
  }
  return results;
}

export function formatWebviewRender(results: WebviewRenderResult[]): string {
  const [load] = loadavg();
  return `load average ${load.toFixed(1)} on ${cpus().length} CPUs\n` + results.map((r) => `webview render ${String(r.nodes).padStart(5)} nodes: ${r.medianToRowsMs.toFixed(1)} ms to rows in DOM, `
    + `${r.medianToPaintMs.toFixed(1)} ms to painted, scroll jump ${r.medianScrollMs.toFixed(1)} ms (an idle frame ${r.medianFrameMs.toFixed(1)} ms) `
    + `(median of ${r.runs}; ${r.rowsInDom} rows in DOM; plan message ${(r.payloadBytes / 1e6).toFixed(1)} MB)`).join('\n');
}

if (process.argv[1] && /webview-render\.ts$/.test(process.argv[1])) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const sizes = arg('--sizes')?.split(',').map(Number) ?? [1000, 5000];
  const runs = Number(arg('--runs') ?? 5);
  runWebviewRenderBench({ sizes, runs }).then((r) => console.log(formatWebviewRender(r)), (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
