/**
 * Memory of the editor processes on trigger.dev (820 + 9 migrations in three histories): the packaged extension in
 * code-server (test/e2e/harness.ts) on a copy of ../shared/corpus/triggerdotdev__trigger.dev; Explain Analyze on the
 * embedded shadow database, "Load sample rows" (the panel re-runs the plan), optionally "Verify Migrations"; then
 * the idle period of pgvet.embeddedDatabase.idleMinutes. The RSS of the extension host, the language server and the
 * embedded database's process (where there is one) is read from /proc every 250 ms; printed per phase as
 * min / median / peak MiB (a process summed over its instances at each sample). Figures only: nothing is asserted.
 *
 *   node --import tsx bench/editor-memory.ts [--vsix pgvet.vsix] [--verify] [--idle-seconds 30]
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { descendantsOf, rssMiB, ROLES, type Role } from '../test/e2e/processes';
import { findFiles, log, openWorkbench, quickOpenAny as quickOpen, repoRoot, runCommand, startCodeServer, waitFor, waitForExtensionHost, type CodeServer } from '../test/e2e/harness';

const arg = (name: string) => {
  const k = process.argv.indexOf(name);
  return k > 0 ? process.argv[k + 1] : undefined;
};
const vsix = resolve(arg('--vsix') ?? join(repoRoot, 'pgvet.vsix'));
const withVerify = process.argv.includes('--verify');
const idleSeconds = Number(arg('--idle-seconds') ?? 30);
const corpus = resolve(repoRoot, '../shared/corpus/triggerdotdev__trigger.dev');

class Sampler {
  private readonly samples: { at: number; phase: string; role: Role; mib: number }[] = [];
  private timer: NodeJS.Timeout | undefined;
  phase = 'start';
  constructor(private readonly runDir: string) {}
  start(): void {
    this.timer = setInterval(() => {
      const procs = descendantsOf(this.runDir);
      for (const [role, pattern] of ROLES) {
        const sizes = procs.filter((x) => pattern.test(x.cmd)).map((p) => rssMiB(p.pid) ?? 0);
        if (sizes.length) this.samples.push({ at: Date.now(), phase: this.phase, role, mib: sizes.reduce((a, b) => a + b, 0) });
      }
    }, 250);
  }
  stop(): void {
    clearInterval(this.timer);
  }
  /** Processes of `role` alive now (the language server after a restart is another pid). */
  alive(role: Role): number {
    return descendantsOf(this.runDir).filter((p) => ROLES.find(([r]) => r === role)![1].test(p.cmd)).length;
  }
  table(): string {
    const phases = [...new Set(this.samples.map((s) => s.phase))];
    const lines = ['| phase | process | samples | min MiB | median MiB | peak MiB |', '|---|---|---:|---:|---:|---:|'];
    for (const phase of phases) {
      for (const [role] of ROLES) {
        const v = this.samples.filter((s) => s.phase === phase && s.role === role).map((s) => s.mib).sort((a, b) => a - b);
        if (!v.length) {
          if (role === 'database process') lines.push(`| ${phase} | ${role} | none running | | | |`);
          continue;
        }
        lines.push(`| ${phase} | ${role} | ${v.length} | ${v[0].toFixed(0)} | ${v[Math.floor(v.length / 2)].toFixed(0)} | ${v[v.length - 1].toFixed(0)} |`);
      }
    }
    return lines.join('\n');
  }
}

// --- the workbench ---------------------------------------------------------------------------------
const webview = (page: Page) => page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');

/** Lines of pgvet's output channel (its log file in the extension host's logs) that match. */
function outputLines(server: CodeServer, pattern: RegExp): number {
  const file = findFiles(join(server.dataDir, 'logs'), /^pgvet\.log$/)[0];
  return file ? readFileSync(file, 'utf8').split('\n').filter((l) => pattern.test(l)).length : 0;
}

/** A fixed measuring window (the figures are read over it; nothing waits on it for a result). */
const window = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const workspace = mkdtempSync(join(tmpdir(), 'pgvet-memory-'));
  cpSync(corpus, workspace, { recursive: true });
  mkdirSync(join(workspace, 'pgvet-bench'), { recursive: true });
  // Names TaskRun (two histories have it) and Project (only the main one): the main history, without asking.
  writeFileSync(join(workspace, 'pgvet-bench/runs.sql'), 'SELECT r."id", r."status", p."slug"\nFROM "TaskRun" r JOIN "Project" p ON p."id" = r."projectId"\nWHERE r."status" = \'PENDING\'\nORDER BY r."createdAt" DESC LIMIT 50;\n');
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  writeFileSync(join(workspace, '.vscode/settings.json'), JSON.stringify({ 'pgvet.embeddedDatabase.idleMinutes': idleSeconds / 60, 'pgvet.explain.sampleRows': 200 }, null, 2));

  const server = await startCodeServer({ workspace, vsix, label: 'memory' });
  const sampler = new Sampler(server.runDir);
  sampler.start();
  const started = Date.now();
  const lap = (what: string) => log(`${what} at ${((Date.now() - started) / 1000).toFixed(0)} s`);
  try {
    const wb = await openWorkbench(server, server.url(workspace));
    const page = wb.page;
    await waitForExtensionHost(server);
    sampler.phase = '1 start + indexing';
    // The status bar item says how many migrations once the server has indexed them.
    await page.locator('.statusbar-item', { hasText: /pgvet.*(\d+ migrations|\d+ (errors?|warnings?))/ }).first().waitFor({ timeout: 600_000 });
    lap('indexed');
    sampler.phase = '2 steady after indexing (20 s)';
    await window(20_000);

    sampler.phase = '3 Explain Analyze (shadow db build)';
    await quickOpen(page, 'runs.sql');
    await page.keyboard.press('Control+Home');
    await runCommand(page, 'pgvet: Explain Analyze');
    const view = webview(page);
    await view.locator('.source', { hasText: /shadow database/ }).waitFor({ timeout: 900_000 });
    lap('plan shown');
    sampler.phase = '4 Load sample rows + re-run';
    await view.locator('button', { hasText: /^Load sample rows$/ }).click();
    await view.locator('.source', { hasText: /generated sample rows per table/ }).waitFor({ timeout: 900_000 });
    lap('plan over sample rows shown');
    if (withVerify) {
      sampler.phase = '5 Verify Migrations';
      await runCommand(page, 'pgvet: Verify Migrations');
      // One "pgvet verify <history>: …" line per history in pgvet's output (trigger.dev has three).
      await waitFor('Verify to finish its three histories', () => outputLines(server, /\] pgvet verify [^:]+: /) >= 3 || undefined, 1_800_000, 500);
      lap('verify done');
    }
    sampler.phase = '6 after, first 15 s';
    await window(15_000);
    sampler.phase = `7 waiting out the idle period (${idleSeconds} s)`;
    await window(idleSeconds * 1000);
    sampler.phase = '8 after idle, 15 s window';
    await window(15_000);
    await wb.close();
  } finally {
    sampler.stop();
    await server.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
  console.log(`\neditor memory on trigger.dev, ${vsix}${withVerify ? ', with Verify' : ''}, idle ${idleSeconds} s\n`);
  console.log(sampler.table());
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
