/**
 * End-to-end UI tests: the packaged pgvet.vsix in code-server, driven in Chromium.
 * Run: `node --import tsx test/e2e/ui.test.ts` (after test/e2e/setup.sh and `npm run package`).
 * Prints one line per test and a closing `N passed, N failed`; exits 1 when a test failed.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { extensionHostLog, findFiles, log, openWorkbench, quickOpenAny, repoRoot, runCommand, screenshotter, startCodeServer, waitFor, waitForExtensionHost, type StartedCodeServer, type Workbench } from './harness';
import { pendingFeatures, skippedByEnv } from './features';
import { memoryNow } from './processes';
import { analyzePlan } from '../../core/src/explain/plan/metrics';
import { findTips } from '../../core/src/explain/plan/tips';
import { toPlanView } from '../../client/src/explain/panel/plan-view';
import { savedPlanText } from '../../client/src/explain/panel/saved-plan';

const shot = screenshotter('ui');

// --- a tiny runner: tests run in order and share one workbench ----------------------------------
interface UiTest {
  name: string;
  /** A reason to skip, decided at run time (a feature not contributed yet). */
  skip?: string;
  run: (page: Page) => Promise<void>;
}
const tests: UiTest[] = [];
const test = (name: string, run: UiTest['run'], skip?: string) => tests.push({ name, run, skip });

// --- helpers --------------------------------------------------------------------------------------
const editor = (page: Page) => page.locator('.part.editor .editor-instance .monaco-editor').first();
const squiggles = (page: Page) => page.locator('.part.editor .monaco-editor .squiggly-warning, .part.editor .monaco-editor .squiggly-error');

async function editorText(page: Page): Promise<string> {
  const text = await editor(page).locator('.view-lines').innerText();
  return text.replace(/\u00a0/g, ' ');
}

async function quickOpen(page: Page, fileName: string): Promise<void> {
  await quickOpenAny(page, fileName);
  await editor(page).locator('.view-lines').waitFor();
}

async function problemsPanelText(page: Page): Promise<string> {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible())) await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel .monaco-list-row').first().waitFor({ timeout: 30_000 });
  return (await page.locator('.markers-panel .monaco-list').innerText()).replace(/\u00a0/g, ' ');
}

/** The notification center's text (opened for it), for failure messages. */
async function notifications(page: Page): Promise<string> {
  try {
    await runCommand(page, 'Notifications: Show Notifications');
    const center = page.locator('.notifications-center');
    await center.waitFor({ timeout: 5_000 });
    await shot(page, 'notifications');
    return JSON.stringify((await center.innerText()).replace(/\s*\n\s*/g, ' | '));
  } catch (error) {
    return `(could not read them: ${String(error)})`;
  }
}

/** The on-screen box of `word` inside the first visible editor line containing `lineText`. */
function wordBox(page: Page, lineText: string, word: string): Promise<{ x: number; y: number; width: number; height: number } | undefined> {
  return page.evaluate(
    ([lineText, word]) => {
      const lines = Array.from(document.querySelectorAll<HTMLElement>('.part.editor .editor-instance .monaco-editor .view-line'));
      const line = lines.find((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ').includes(lineText));
      if (!line) return undefined;
      // Tokens split the line into spans: find the text node holding the word's first character.
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      const text = (line.textContent ?? '').replace(/\u00a0/g, ' ');
      let at = text.indexOf(lineText) + lineText.indexOf(word);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const len = node.textContent?.length ?? 0;
        if (at < len) {
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, Math.min(len, at + word.length));
          const r = range.getBoundingClientRect();
          return r.width > 0 ? { x: r.x, y: r.y, width: r.width, height: r.height } : undefined;
        }
        at -= len;
      }
      return undefined;
    },
    [lineText, word] as const,
  );
}

/** Moves the mouse over the first squiggle and returns the hover's text and links. */
async function hoverFirstSquiggle(page: Page): Promise<{ text: string; links: string[] }> {
  const box = await waitFor('a squiggle with a size', async () => (await squiggles(page).first().boundingBox()) ?? undefined, 10_000);
  await page.mouse.move(box.x + 2, box.y + box.height / 2);
  await page.mouse.move(box.x + Math.min(8, box.width / 2), box.y + box.height / 2);
  const hover = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: 'pgvet' }).first();
  await hover.waitFor({ timeout: 20_000 });
  const links = await hover.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? a.getAttribute('data-href') ?? a.textContent ?? ''));
  return { text: (await hover.innerText()).replace(/\u00a0/g, ' '), links };
}

// --- the workspace --------------------------------------------------------------------------------
const workspace = mkdtempSync(join(tmpdir(), 'pgvet-e2e-ws-'));
cpSync(join(repoRoot, 'examples'), workspace, { recursive: true });
// Loose files outside any migration layout: no transaction wraps them, so CONCURRENTLY is a safe fix.
mkdirSync(join(workspace, 'scratch'));
writeFileSync(join(workspace, 'scratch/quick_fix.sql'), 'CREATE INDEX i ON t (a);\n');
writeFileSync(join(workspace, 'scratch/fix_all.sql'), 'CREATE INDEX a_idx ON t (a);\nCREATE INDEX b_idx ON t (b);\n');
writeFileSync(
  join(workspace, 'scratch/function.sql'),
  [
    "SELECT 'plain string' AS s;",
    '',
    'CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$',
    'BEGIN',
    '  IF NEW.updated_at IS NULL THEN',
    "    RAISE NOTICE 'no timestamp on %', TG_TABLE_NAME;",
    '  END IF;',
    '  NEW.updated_at := now();',
    '  RETURN NEW;',
    'END;',
    '$$;',
    '',
  ].join('\n'),
);

const features = pendingFeatures();
let openedMigrationAt = 0;
let firstSquiggleAfterMs = 0;
let activationMs: number | undefined;

test('diagnostics for a migration: squiggles and Problems rows with pgvet codes', async (page) => {
  openedMigrationAt = Date.now();
  await quickOpen(page, '000002_invoice_status.up.sql');
  // Generous: the first lint waits for activation and the server's start, slow on a loaded 2-core CI box.
  await squiggles(page).first().waitFor({ timeout: 90_000 });
  firstSquiggleAfterMs = Date.now() - openedMigrationAt;
  log(`first pgvet squiggle ${firstSquiggleAfterMs} ms after the .sql file was opened`);
  await waitFor('4 squiggles', async () => ((await squiggles(page).count()) >= 4 ? true : undefined), 20_000);
  await shot(page, 'migration-squiggles');
  const expected = ['setting-not-null', 'constraint-missing-not-valid', 'require-concurrent-index-deletion', 'require-concurrent-index-creation'];
  // The Problems panel lists every file the server reported on; narrow it to this migration.
  await page.keyboard.press('Control+Shift+M');
  const filter = page.locator('.markers-panel-action-filter input, .viewpane-filter input').first();
  await filter.waitFor({ timeout: 20_000 });
  await filter.fill('000002_invoice_status.up');
  const text = await waitFor('Problems rows for every expected code', async () => {
    const t = await problemsPanelText(page);
    return expected.every((code) => t.includes(code)) ? t : undefined;
  }, 30_000);
  if (!text.includes('pgvet')) throw new Error(`Problems panel rows do not name the source pgvet:\n${text}`);
  await shot(page, 'problems-panel');
  await filter.fill('');
});

test('hover over a diagnostic shows the message and a link to the rule page', async (page) => {
  await quickOpen(page, '000002_invoice_status.up.sql');
  const hover = await hoverFirstSquiggle(page);
  await shot(page, 'diagnostic-hover');
  const link = hover.links.find((l) => /docs\/rules\/[a-z-]+\.md/.test(l));
  if (!link) throw new Error(`no rule link in the hover; links: ${JSON.stringify(hover.links)}; text: ${hover.text}`);
  log(`hover links to ${link}`);
  await page.keyboard.press('Escape');
});

test('activation time as VS Code measured it (Developer: Show Running Extensions)', async (page) => {
  await runCommand(page, 'Developer: Show Running Extensions');
  const list = page.locator('.runtime-extensions-editor .monaco-list');
  await list.waitFor({ timeout: 30_000 });
  const row = page.locator('.runtime-extensions-editor .monaco-list-row[aria-label="pgvet"]');
  // The list is virtualised: scroll until pgvet's row is rendered.
  for (let i = 0; i < 20 && (await row.count()) === 0; i++) {
    await list.hover();
    await page.mouse.wheel(0, 300);
    await page.waitForTimeout(50);
  }
  const text = await row.locator('.activation-time').innerText({ timeout: 20_000 });
  const m = /Activation:\s*(\d+)\s*ms/.exec(text);
  if (!m) throw new Error(`no activation time in pgvet's row: ${text}`);
  activationMs = Number(m[1]);
  await row.scrollIntoViewIfNeeded();
  await shot(page, 'running-extensions');
  await page.keyboard.press('Escape');
  if (await list.isVisible()) await runCommand(page, 'View: Close Editor');
  await list.waitFor({ state: 'hidden', timeout: 10_000 });
});

test('quick fix from the light bulb (Ctrl+.) adds CONCURRENTLY and the squiggle goes away', async (page) => {
  await quickOpen(page, 'quick_fix.sql');
  await squiggles(page).first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Control+Home');
  await shot(page, 'quick-fix-before');
  await page.keyboard.press('Control+.');
  const item = page.locator('.action-widget .monaco-list-row').filter({ hasText: 'Add CONCURRENTLY' }).first();
  await item.waitFor({ timeout: 20_000 });
  await shot(page, 'quick-fix-menu');
  await item.click();
  await waitFor('the fixed text', async () => ((await editorText(page)).includes('CREATE INDEX CONCURRENTLY i ON t (a);') ? true : undefined), 20_000);
  await waitFor('the squiggle to disappear', async () => ((await squiggles(page).count()) === 0 ? true : undefined), 20_000);
  await shot(page, 'quick-fix-after');
});

test('PL/pgSQL in a dollar-quoted function body is highlighted as code, not as one string', async (page) => {
  await quickOpen(page, 'function.sql');
  await waitFor('the function on screen', async () => ((await editorText(page)).includes('RETURN NEW') ? true : undefined), 20_000);
  await shot(page, 'plpgsql-highlighting');
  // The class of the token that holds a piece of text (Monaco renders each token as a span with an mtkN class).
  const classOf = (text: string) =>
    page.evaluate((t) => {
      const spans = Array.from(document.querySelectorAll('.view-lines .view-line span span'));
      const hit = spans.find((s) => s.textContent?.includes(t));
      return hit ? `${hit.className}|${hit.textContent}` : undefined;
    }, text);
  const keyword = await waitFor('the RAISE token', () => classOf('RAISE'), 20_000);
  const string = await waitFor('the plain string token', () => classOf('plain'), 20_000); // Monaco renders spaces as no-break spaces
  console.log(`RAISE token: ${keyword}; string token: ${string}`);
  // Inside a body tokenized as one string, RAISE would share the string's token (and its colour).
  if (keyword.split('|')[0] === string.split('|')[0]) throw new Error(`RAISE is coloured like a string (${keyword} vs ${string})`);
});

test('"Fix All" from the command palette fixes every auto-fixable problem', async (page) => {
  await quickOpen(page, 'fix_all.sql');
  await waitFor('2 squiggles', async () => ((await squiggles(page).count()) >= 2 ? true : undefined), 30_000);
  await shot(page, 'fix-all-before');
  await runCommand(page, 'Fix All');
  const expected = 'CREATE INDEX CONCURRENTLY a_idx ON t (a);\nCREATE INDEX CONCURRENTLY b_idx ON t (b);';
  await waitFor('both statements fixed', async () => ((await editorText(page)).includes(expected) ? true : undefined), 20_000);
  await waitFor('the squiggles to disappear', async () => ((await squiggles(page).count()) === 0 ? true : undefined), 20_000);
  await shot(page, 'fix-all-after');
});

test(
  'Explain panel opens with a plan',
  async (page) => {
    await quickOpen(page, 'queries.sql');
    // The cursor on the first query's SELECT line (line 2: line 1 is a comment).
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('ArrowDown');
    await runCommand(page, features.explain!.title);
    const webview = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    try {
      await webview.locator('body').filter({ hasText: /Scan|Limit|Sort|Join|Nested Loop|Aggregate|Result/ }).waitFor({ timeout: 60_000 });
    } catch (error) {
      // Say why: an error from the command ends up in the notification center, not in the panel.
      throw new Error(`no plan in the Explain panel within 60 s; notifications: ${await notifications(page)}`, { cause: error });
    }
    await shot(page, 'explain-panel');
  },
  skippedByEnv('explain') ?? (features.explain ? undefined : 'no EXPLAIN command (pgvet.explain) is contributed in package.json yet'),
);

// --- Explain ANALYZE on the embedded database, after "Load sample rows" ------------------------------
// A query over invoices (billing/migrations) that filters on a column without an index. On the empty
// shadow database its Seq Scan reads nothing; with 2,000 sample rows per table it reads 2,000 and its
// filter removes ~99 %, which is the index-candidate tip (Seq Scan over >= 1,000 rows removing >= 90 %).
// test/shadow/explain-after-rows.test.ts checks the same query and tip without VS Code.
writeFileSync(
  join(workspace, 'scratch/large_invoices.sql'),
  [
    '-- Large invoices: there is no index on amount_minor, so this reads every invoice.',
    'SELECT id, account_id, amount_minor, issued_at',
    'FROM invoices',
    'WHERE amount_minor > 9900',
    'ORDER BY issued_at DESC;',
    '',
  ].join('\n'),
);
// The default (200 rows per table) is below the tip's 1,000-row threshold.
mkdirSync(join(workspace, '.vscode'), { recursive: true });
writeFileSync(join(workspace, '.vscode/settings.json'), `${JSON.stringify({ 'pgvet.explain.sampleRows': 2000 }, null, 2)}\n`);

const explainWebview = (page: Page) => page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
const explainAnalyzeTitle = 'pgvet: Explain Analyze';

test(
  'Explain Analyze on the shadow database, Load sample rows re-runs it, and an index tip appears',
  async (page) => {
    await quickOpen(page, 'large_invoices.sql');
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('ArrowDown');
    await runCommand(page, explainAnalyzeTitle);
    const webview = explainWebview(page);
    const firstPlan = webview.locator('#app[data-plan-id]').filter({ has: webview.locator('.row .target', { hasText: 'on public.invoices' }) });
    try {
      await firstPlan.waitFor({ timeout: 60_000 });
    } catch (error) {
      throw new Error(`no EXPLAIN ANALYZE plan of the invoices query within 60 s; notifications: ${await notifications(page)}`, { cause: error });
    }
    const firstId = await firstPlan.getAttribute('data-plan-id');
    // Empty tables: nothing to tip about yet.
    if (await webview.locator('.tip[data-tip-id="index-candidate"]').count()) throw new Error('an index tip on the empty shadow database');
    const source = await webview.locator('.source').innerText();
    if (!/shadow database/.test(source)) throw new Error(`the plan does not say it ran on the shadow database: ${source}`);
    if (/sample rows per table/.test(source)) throw new Error(`the first plan claims sample rows: ${source}`);

    await webview.locator('button', { hasText: /^Load sample rows$/ }).click();
    // The panel re-runs the same EXPLAIN ANALYZE by itself: a new plan, now with the tip.
    const tip = webview.locator('.tip[data-tip-id="index-candidate"]');
    try {
      await tip.waitFor({ timeout: 90_000 });
    } catch (error) {
      throw new Error(`no index tip after Load sample rows within 90 s; notifications: ${await notifications(page)}`, { cause: error });
    }
    const secondId = await webview.locator('#app').getAttribute('data-plan-id');
    if (!secondId || secondId === firstId) throw new Error(`the plan was not re-run (plan id ${firstId} → ${secondId})`);
    const filledSource = await webview.locator('.source').innerText();
    if (!/2,000 generated sample rows per table/.test(filledSource)) throw new Error(`the re-run plan does not say the tables hold sample rows: ${filledSource}`);
    const tipText = (await tip.innerText()).replace(/\u00a0/g, ' ');
    for (const expected of ['Index candidate on invoices', 'Seq Scan read 2,000 rows of invoices', 'CREATE INDEX CONCURRENTLY invoices_amount_minor_idx ON public.invoices (amount_minor);']) {
      if (!tipText.includes(expected)) throw new Error(`the tip does not say "${expected}":\n${tipText}`);
    }
    if (!(await tip.locator('button.primary', { hasText: 'Create index migration' }).isVisible())) throw new Error('no "Create index migration…" button on the tip');
    // Room for the panel in the screenshot: no notifications, side bar or bottom panel (Ctrl+B, Ctrl+J from the editor).
    await runCommand(page, 'Notifications: Clear All Notifications');
    await page.keyboard.press('Escape');
    await editor(page).locator('.view-lines').click();
    for (const [part, key] of [['.part.sidebar', 'Control+B'], ['.part.panel', 'Control+J']] as const) {
      if (!(await page.locator(part).isVisible())) continue;
      await page.keyboard.press(key);
      await page.locator(part).waitFor({ state: 'hidden', timeout: 10_000 });
    }
    await tip.scrollIntoViewIfNeeded();
    await shot(page, 'explain-panel-tip');
  },
  skippedByEnv('explain') ?? (features.explain ? undefined : 'no EXPLAIN command (pgvet.explain) is contributed in package.json yet'),
);

test(
  'Compare… with the earlier plan of the same query shows the diff in the panel',
  async (page) => {
    const webview = explainWebview(page);
    await webview.locator('button', { hasText: /^Compare…$/ }).click();
    // The pick happens in VS Code's quick input: the empty-table run of the same query is offered first.
    const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'earlier run at' }).filter({ hasText: 'same query' }).first();
    await row.waitFor({ timeout: 20_000 });
    await row.click();
    const table = webview.locator('.pane-compare .diff-table');
    await table.waitFor({ timeout: 20_000 });
    const scan = webview.locator('.diff-table .row[data-status]').filter({ hasText: 'Seq Scan on public.invoices' }).first();
    const cells = await scan.locator('.cell.num').allInnerTexts();
    // Rows before (empty tables) and after (2,000 sample rows, ~1 % kept by the filter).
    if (cells[3] !== '0') throw new Error(`rows before: ${cells[3]} (${cells.join(' | ')})`);
    if (!/^\d+$/.test(cells[4]) || Number(cells[4]) === 0) throw new Error(`rows after: ${cells[4]} (${cells.join(' | ')})`);
    const head = await webview.locator('.compare-head').innerText();
    if (!/Comparing this plan with\s+earlier run at \d\d:\d\d:\d\d/.test(head)) throw new Error(`compare header: ${head}`);
    await shot(page, 'explain-compare');
    await webview.locator('button', { hasText: /^Stop comparing$/ }).click();
    await webview.locator('.tab[data-tab="plan"][aria-selected="true"]').waitFor({ timeout: 10_000 });
  },
  skippedByEnv('explain') ?? (features.explain ? undefined : 'no EXPLAIN command (pgvet.explain) is contributed in package.json yet'),
);

// --- saved plans: the custom editor for *.pgplan.json ----------------------------------------------
mkdirSync(join(workspace, 'plans'));
{
  const fixture = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/plans/seq-scan-filter.json'), 'utf8')) as { sql: string; plan: unknown };
  const analyzed = analyzePlan(fixture.plan);
  const saved = toPlanView({ plan: analyzed, tips: findTips(analyzed, { sql: fixture.sql }), sql: fixture.sql, source: { kind: 'connection', label: 'staging' } });
  writeFileSync(join(workspace, 'plans/orders.pgplan.json'), savedPlanText(saved));
  writeFileSync(join(workspace, 'plans/broken.pgplan.json'), savedPlanText(saved).slice(0, 500));
}

test(
  'a saved .pgplan.json opens in the pgvet plan viewer without a connection; a broken one says why',
  async (page) => {
    // One webview at a time, so the frame locator finds the plan viewer's.
    await runCommand(page, 'View: Close All Editors');
    await quickOpenAny(page, 'orders.pgplan.json');
    const webview = explainWebview(page);
    await webview.locator('.rows .row').first().waitFor({ timeout: 30_000 });
    const source = await webview.locator('.source.source-file').innerText();
    if (!/saved plan orders\.pgplan\.json, saved .* it ran on staging/.test(source.replace(/\s+/g, ' '))) throw new Error(`source line: ${source}`);
    await webview.locator('.tip[data-tip-id="index-candidate"]').waitFor({ timeout: 10_000 });
    await shot(page, 'saved-plan-viewer');

    await runCommand(page, 'View: Close All Editors');
    await quickOpenAny(page, 'broken.pgplan.json');
    const banner = webview.locator('.banner.error');
    await banner.waitFor({ timeout: 30_000 });
    const text = await banner.innerText();
    if (!/^broken\.pgplan\.json is not valid JSON \(.+\)\. Reopen it as text/.test(text)) throw new Error(`error banner: ${text}`);
    await shot(page, 'saved-plan-broken');
    await runCommand(page, 'View: Close All Editors');
  },
  skippedByEnv('explain') ?? (features.explain ? undefined : 'no EXPLAIN command (pgvet.explain) is contributed in package.json yet'),
);

test(
  'hover on a table name shows its columns',
  async (page) => {
    await quickOpen(page, 'queries.sql');
    // `orders` in `FROM orders o`: hover the word itself.
    const box = await waitFor('the word "orders" on screen', () => wordBox(page, 'FROM orders', 'orders'), 20_000);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const hover = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: /customer_id[\s\S]*created_at/ }).first();
    await hover.waitFor({ timeout: 20_000 });
    await shot(page, 'table-hover');
    await page.keyboard.press('Escape');
  },
  skippedByEnv('tableHover') ?? (features.tableHover ? undefined : 'the language server registers no hover handler yet (no onHover in server/src)'),
);

test(
  'catalog view lists the tables of the migrations',
  async (page) => {
    // "pgvet: Show Catalog" refreshes the view from the language server and focuses it.
    await runCommand(page, 'pgvet: Show Catalog');
    const view = page.locator('.pane-body').filter({ hasText: /invoices|orders|accounts|customers/ }).first();
    await view.waitFor({ timeout: 20_000 });
    await shot(page, 'catalog-view');
  },
  skippedByEnv('catalogView') ?? (features.catalogView ? undefined : 'no pgvet catalog view is contributed in package.json yet'),
);

// --- activation time from the extension host's log ------------------------------------------------
function logTime(line: string): number | undefined {
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3})/.exec(line);
  return m ? new Date(`${m[1]}T${m[2]}`).getTime() : undefined;
}

/**
 * The extension host logs `ExtensionService#_doActivateExtension pgvet.pgvet …` when activation
 * starts; pgvet's own log (same folder) gets its first line once the language server is up and has
 * indexed the workspace. Printed, never asserted (HOUSE_STYLE: no timed assertions in tests).
 */
function activationFromLogs(server: StartedCodeServer): string[] {
  const hostLog = extensionHostLog(server);
  if (!hostLog) return ['no remoteexthost.log found'];
  const start = readFileSync(hostLog, 'utf8').split('\n').find((l) => /_doActivateExtension pgvet\.pgvet\b/.test(l));
  if (!start) return [`no activation line for pgvet.pgvet in ${hostLog}`];
  const out = [`extension host log: ${start.trim()}`];
  // pgvet's own log: its activation lines if it writes them, else its first line (the server is up).
  const pgvetLog = findFiles(join(hostLog, '..'), /^pgvet\.log$/)[0];
  const lines = pgvetLog ? readFileSync(pgvetLog, 'utf8').split('\n').filter((l) => logTime(l) !== undefined) : [];
  const wanted = lines.filter((l) => /activat/i.test(l));
  const t0 = logTime(start)!;
  for (const line of wanted.length ? wanted : lines.slice(0, 1)) out.push(`pgvet log, +${logTime(line)! - t0} ms: ${line.trim()}`);
  return out;
}

async function main(): Promise<number> {
  const started = Date.now();
  let server: StartedCodeServer | undefined;
  let bench: Workbench | undefined;
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  try {
    server = await startCodeServer({ workspace, label: 'ui' });
    bench = await openWorkbench(server, server.url(workspace));
    await shot(bench.page, 'workbench-restored');
    await waitForExtensionHost(server);
    for (const t of tests) {
      if (t.skip) {
        skipped++;
        console.log(`- skip ${t.name} (${t.skip})`);
        continue;
      }
      const t0 = Date.now();
      try {
        await t.run(bench.page);
        passed++;
        console.log(`✔ ${t.name} (${Date.now() - t0} ms)`);
      } catch (error) {
        failed++;
        console.log(`✖ ${t.name} (${Date.now() - t0} ms)\n  ${String((error as Error).stack ?? error).split('\n').join('\n  ')}`);
        await shot(bench.page, `FAILED-${t.name.slice(0, 40)}`);
      }
    }
    console.log(`activation: ${activationMs ?? '?'} ms (VS Code's measure of pgvet's activate(), which starts the language server; from Running Extensions)`);
    console.log(`first squiggle: ${firstSquiggleAfterMs} ms after opening the .sql file (activation + server start + index + lint + render)`);
    for (const line of activationFromLogs(server)) console.log(`activation log: ${line}`);
    // Printed, never asserted: bench/editor-memory.ts measures it per phase on a large history.
    console.log(`memory after the suite (Explain on the embedded database included): ${memoryNow(server.runDir)}`);
  } catch (error) {
    failed++;
    console.log(`✖ harness: ${String((error as Error).stack ?? error)}`);
    if (bench) await shot(bench.page, 'FAILED-harness');
  } finally {
    await bench?.close();
    await server?.stop();
    if (failed === 0 && server && !process.env.PGVET_E2E_KEEP) rmSync(server.runDir, { recursive: true, force: true });
    else if (server) console.log(`kept ${server.runDir} (code-server.log, data/logs) for inspection`);
    rmSync(workspace, { recursive: true, force: true });
  }
  console.log(`ui suite took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed${skipped ? ` (${skipped} skipped)` : ''}`);
  return failed === 0 ? 0 : 1;
}

void main().then((code) => process.exit(code));
