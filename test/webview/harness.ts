/**
 * Loads the EXPLAIN panel in headless Debian Chromium the way VS Code would: the HTML from
 * renderHtml (same CSP, nonce'd script, stylesheet by URL), dist/media/explain.{js,css} served by a
 * route under a fake webview origin, and a stand-in for acquireVsCodeApi that records posted
 * messages and keeps the state. CSP is enforced (no bypassCSP).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import type { HostMessage, PlanView, WebviewMessage } from '../../client/src/explain/protocol/messages';
import { createNonce, renderHtml } from '../../client/src/explain/panel/html';
import { toPlanView } from '../../client/src/explain/panel/plan-view';
import { analyzePlan } from '../../core/src/explain/plan/metrics';
import { findTips } from '../../core/src/explain/plan/tips';
import { loadPlan, rootOf } from '../explain/fixtures';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const ROOT = join(__dirname, '..', '..');
const ORIGIN = 'https://pgvet-webview.test';
const SCRIPT = join(ROOT, 'dist', 'media', 'explain.js');
const STYLE = join(ROOT, 'dist', 'media', 'explain.css');

/** `skip` option for node:test: a reason when Chromium is missing, else false (the tests must run). */
export const skipWithoutChromium: string | false = existsSync(CHROMIUM_PATH)
  ? false
  : `Debian's Chromium is not installed at ${CHROMIUM_PATH} (apt-get install -y chromium); webview tests skipped`;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

function newestSource(): number {
  const files = [
    ...readdirSync(join(ROOT, 'media', 'explain')).map((f) => join(ROOT, 'media', 'explain', f)),
    ...readdirSync(join(ROOT, 'client', 'src', 'explain', 'protocol')).map((f) => join(ROOT, 'client', 'src', 'explain', 'protocol', f)),
  ];
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

let bundle: { script: Buffer; style: Buffer } | undefined;

/**
 * The built panel bundle, read once per process (others may rebuild dist/ while tests run); runs the
 * project build when it is missing or older than its sources.
 */
export function loadBundle(): { script: Buffer; style: Buffer } {
  if (bundle) return bundle;
  const built = existsSync(SCRIPT) && existsSync(STYLE) ? Math.min(statSync(SCRIPT).mtimeMs, statSync(STYLE).mtimeMs) : 0;
  if (built < newestSource()) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
  try {
    bundle = { script: readFileSync(SCRIPT), style: readFileSync(STYLE) };
  } catch {
    execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
    bundle = { script: readFileSync(SCRIPT), style: readFileSync(STYLE) };
  }
  return bundle;
}

/** Stands in for VS Code's acquireVsCodeApi (one call per page, like VS Code) and records CSP violations. */
const VSCODE_API_SHIM = `function (initialState) {
  var posted = [], violations = [], saved = initialState === null ? undefined : initialState, acquired = false;
  window.__posted = posted;
  window.__violations = violations;
  window.__getState = function () { return saved; };
  document.addEventListener('securitypolicyviolation', function (e) {
    violations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
  });
  window.acquireVsCodeApi = function () {
    if (acquired) throw new Error('acquireVsCodeApi called twice');
    acquired = true;
    return {
      postMessage: function (m) { posted.push(JSON.parse(JSON.stringify(m))); },
      getState: function () { return saved; },
      setState: function (s) { saved = JSON.parse(JSON.stringify(s)); return s; },
    };
  };
}`;

export interface OpenOptions {
  /** What getState() returns at start, as after a window reload. */
  state?: unknown;
  /** Raw HTML inserted into <head> after renderHtml's CSP meta (the CSP test's un-nonce'd script). */
  injectHead?: string;
}

export interface PanelPage {
  page: Page;
  /** Everything the panel posted to the "extension", in order. */
  posted(): Promise<WebviewMessage[]>;
  state(): Promise<unknown>;
  send(message: HostMessage | unknown): Promise<void>;
  /** Sends a plan and waits until its rows are in the DOM. */
  showPlan(plan: PlanView): Promise<void>;
  /** CSP violations the page reported. */
  violations(): Promise<{ directive: string; blocked: string; sample: string }[]>;
  pageErrors: string[];
}

export async function openPanel(browser: Browser, options: OpenOptions = {}): Promise<PanelPage> {
  const { script, style } = loadBundle();
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  const nonce = createNonce();
  let html = renderHtml({ cspSource: ORIGIN, nonce, scriptUri: `${ORIGIN}/dist/media/explain.js`, styleUri: `${ORIGIN}/dist/media/explain.css` });
  if (options.injectHead) html = html.replace('<title>', `${options.injectHead}\n<title>`);
  await page.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/index.html') return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
    if (path === '/dist/media/explain.js') return route.fulfill({ status: 200, contentType: 'text/javascript', body: script });
    if (path === '/dist/media/explain.css') return route.fulfill({ status: 200, contentType: 'text/css', body: style });
    return route.fulfill({ status: 404, body: '' });
  });
  // Nothing leaves the machine: any other request fails.
  await page.route((url) => !url.href.startsWith(ORIGIN) && !url.protocol.startsWith('data'), (route) => route.abort());
  // A string, not a function: tsx's keepNames would leave `__name(...)` calls the page cannot resolve.
  await page.addInitScript(`(${VSCODE_API_SHIM})(${JSON.stringify(options.state ?? null)});`);
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForFunction(() => ((window as unknown as { __posted: { type: string }[] }).__posted).some((m) => m.type === 'ready'));

  const panel: PanelPage = {
    page,
    pageErrors,
    posted: () => page.evaluate(() => (window as unknown as { __posted: WebviewMessage[] }).__posted),
    state: () => page.evaluate(() => (window as unknown as { __getState: () => unknown }).__getState()),
    violations: () => page.evaluate(() => (window as unknown as { __violations: never[] }).__violations),
    send: (message) => page.evaluate((m) => window.postMessage(m, '*'), message),
    async showPlan(plan) {
      await panel.send({ type: 'plan', plan });
      await page.waitForSelector(`#app[data-plan-id="${plan.planId}"] .rows .row`);
    },
  };
  return panel;
}

/** A recorded fixture as the panel receives it: analyzed, with its tips. */
export function planViewOf(name: string, edit?: (root: Record<string, any>) => void): PlanView {
  const fixture = loadPlan(name);
  const root = rootOf(name);
  edit?.(root);
  const plan = analyzePlan([root]);
  return toPlanView({ plan, tips: findTips(plan, { sql: fixture.sql }), sql: fixture.sql, source: { kind: 'connection', label: `test: ${fixture.server}` } });
}
