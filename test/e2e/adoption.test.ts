/**
 * End-to-end adoption test (issue 13): a copy of a real project from ../shared/corpus in a git repository, a
 * branch that adds one migration, `pgvet.baseRef` set to the base branch. Right after the workspace opens — no
 * file opened — the Problems panel must hold only the schema findings of the history and the findings of the new
 * migration: nothing on the 20 applied migrations.
 *
 * The expected rows are not hard-coded: the CLI (`pgvet lint --since main`, the same engine) is asked first, and the
 * panel must show exactly those findings. Then each row is checked on its own: on the new migration, or a schema rule.
 * Run: `node --import tsx test/e2e/adoption.test.ts` (after test/e2e/setup.sh and `npm run package`).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { log, openWorkbench, repoRoot, runCommand, screenshotter, startCodeServer, waitFor, waitForExtensionHost, type StartedCodeServer, type Workbench } from './harness';

const shot = screenshotter('adoption');
const corpusProject = join(repoRoot, '../shared/corpus/umami-software__umami');
const newMigration = 'prisma/migrations/20_session_browser/migration.sql';

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=pgvet e2e', '-c', 'user.email=e2e@pgvet.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** The project: umami's prisma/ folder, committed on main; a branch adds one migration. */
function makeWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pgvet-e2e-adopt-'));
  cpSync(join(corpusProject, 'prisma'), join(dir, 'prisma'), { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'umami history');
  git(dir, 'checkout', '-q', '-b', 'session-browser-index');
  mkdirSync(join(dir, 'prisma/migrations/20_session_browser'));
  // A plain CREATE INDEX on a table that exists: a lock finding on the new migration, and the model lacks the index.
  writeFileSync(join(dir, newMigration), '-- CreateIndex\nCREATE INDEX "session_browser_idx" ON "session"("browser");\n');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'index session.browser');
  mkdirSync(join(dir, '.vscode'));
  writeFileSync(join(dir, '.vscode/settings.json'), JSON.stringify({ 'pgvet.baseRef': 'main' }, null, 2));
  return dir;
}

/** `schema`: a finding on an object of the current schema (it names the object), not on what a statement does. */
interface Finding { file: string; line: number; rule: string; message: string; schema: boolean }

/** What the CLI reports with the same base: the panel must show these and nothing else. */
function cliFindings(workspace: string): Finding[] {
  const r = spawnSync(process.execPath, [join(repoRoot, 'dist/cli.js'), 'lint', '.', '--since', 'main', '--format', 'json'], { cwd: workspace, encoding: 'utf8' });
  if (!r.stdout) throw new Error(`pgvet lint printed nothing (exit ${r.status}): ${r.stderr}`);
  const report = JSON.parse(r.stdout) as { files: { path: string; findings: { line: number; ruleId: string; message: string; object?: unknown }[] }[] };
  return report.files.flatMap((f) => f.findings.map((d) => ({ file: f.path, line: d.line, rule: d.ruleId, message: d.message, schema: d.object !== undefined })));
}

interface Row { kind: 'file' | 'marker' | 'other'; label: string; text: string }

/** The Problems panel's rows by their accessible labels (the tree is virtualised: the panel is maximised first). */
async function problemRows(page: Page): Promise<Row[]> {
  return page.locator('.markers-panel .monaco-list-row').evaluateAll((rows) =>
    rows.map((r) => {
      const label = r.getAttribute('aria-label') ?? '';
      const kind = r.querySelector('.marker-icon, .marker-message-details, .marker-code') ? 'marker' : r.querySelector('.monaco-icon-label.file-icon') ? 'file' : 'other';
      return { kind: kind as Row['kind'], label, text: (r as HTMLElement).innerText.replace(/\u00a0/g, ' ') };
    }),
  );
}

async function main(): Promise<number> {
  const started = Date.now();
  if (!existsSync(corpusProject)) {
    console.log(`✖ ${corpusProject} not found: the corpus must sit beside the checkout (../shared/corpus)`);
    return 1;
  }
  const workspace = makeWorkspace();
  let server: StartedCodeServer | undefined;
  let bench: Workbench | undefined;
  let failed = false;
  try {
    const expected = cliFindings(workspace);
    log(`pgvet lint --since main: ${expected.map((f) => `${f.file}:${f.line} ${f.rule}`).join('; ')}`);
    // The premise: the history's own migrations have statement findings when nothing is applied.
    const everything = spawnSync(process.execPath, [join(repoRoot, 'dist/cli.js'), 'lint', '.', '--format', 'json'], { cwd: workspace, encoding: 'utf8' });
    const allCount = (JSON.parse(everything.stdout) as { files: { findings: unknown[] }[] }).files.reduce((n, f) => n + f.findings.length, 0);
    log(`without a base: ${allCount} findings`);
    if (allCount <= expected.length) throw new Error(`the premise fails: without a base ref the project has ${allCount} findings, with it ${expected.length}`);
    for (const f of expected) {
      if (f.file !== newMigration && !f.schema) throw new Error(`the CLI reports a statement finding on an applied migration: ${JSON.stringify(f)}`);
    }
    if (!expected.some((f) => f.file === newMigration)) throw new Error('the CLI reports nothing on the new migration');

    server = await startCodeServer({ workspace, label: 'adoption' });
    bench = await openWorkbench(server, server.url(workspace));
    await waitForExtensionHost(server);
    const page = bench.page;

    // The status bar says the workspace problems were published, with the base ref in use.
    const total = expected.length;
    const status = page.locator('.statusbar-item').filter({ hasText: /pgvet/ }).filter({ hasText: /since main/ }).first();
    await status.waitFor({ timeout: 120_000 });
    const statusText = (await status.innerText()).replace(/\s+/g, ' ');
    log(`status bar: ${statusText}`);

    // The Problems panel, maximised so every row is rendered; no file has been opened.
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel').waitFor({ timeout: 20_000 });
    await runCommand(page, 'View: Toggle Maximized Panel');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
    const rows = await waitFor(`${total} pgvet rows in the Problems panel`, async () => {
      const r = await problemRows(page);
      return r.filter((x) => x.kind === 'marker').length >= total ? r : undefined;
    }, 60_000);
    const openEditors = await page.locator('.tabs-container .tab').count();
    await shot(page, 'problems-panel-base-ref');

    const markers = rows.filter((r) => r.kind === 'marker');
    console.log(`Problems panel (${markers.length} problems, ${openEditors} editors open):\n  ${rows.map((r) => `[${r.kind}] ${r.label}`).join('\n  ')}`);
    const problems: string[] = [];
    if (openEditors !== 0) problems.push(`${openEditors} editor(s) are open: the rows must come from the workspace, not from open files`);
    // Each problem row with the file row above it: "N problems in file <name> of folder <dir>".
    const shown: { file: string; line: number; label: string; text: string }[] = [];
    let file = '';
    for (const r of rows) {
      const m = /problems? in file (\S+) of folder (\S+)/.exec(r.label);
      if (r.kind === 'file' && m) file = `${m[2]}/${m[1]}`;
      const at = / at line (\d+) and character \d+\./.exec(r.label);
      if (r.kind === 'marker' && at) shown.push({ file, line: Number(at[1]), label: r.label, text: r.text });
    }
    if (shown.length !== markers.length) problems.push(`${markers.length - shown.length} problem rows could not be read`);
    if (shown.length !== total) problems.push(`${shown.length} problem rows, the CLI reports ${total}`);
    for (const f of expected) {
      const row = shown.find((s) => s.file === f.file && s.line === f.line && s.label.includes(f.message));
      if (!row) problems.push(`no row for ${f.file}:${f.line} ${f.rule}`);
      else if (!new RegExp(`\\bpgvet\\s+\\(?${f.rule}\\b`).test(row.text)) problems.push(`the row for ${f.file}:${f.line} does not show pgvet and ${f.rule}: ${JSON.stringify(row.text)}`);
    }
    // Each row on its own: a statement finding is on the new migration, anything else is a schema finding.
    for (const s of shown) {
      const f = expected.find((e) => e.file === s.file && e.line === s.line && s.label.includes(e.message));
      if (!f) problems.push(`a row the CLI does not report: ${s.file}:${s.line} ${s.label}`);
      else if (!f.schema && f.file !== newMigration) problems.push(`a statement finding on an applied migration: ${s.file}:${s.line} ${f.rule}`);
    }
    // A finding on the model points at the migration that created the object — or its table, and says which.
    const related = rows.filter((r) => r.kind === 'other').map((r) => r.label);
    if (!related.some((l) => /^The migration that created it at line 2 and character 1 in migration\.sql$/.test(l))) problems.push(`no "created it" reference to the new index: ${JSON.stringify(related)}`);
    if (!related.some((l) => /^The migration that created table "session_replay" at line \d+/.test(l))) problems.push(`no reference to the migration that created session_replay: ${JSON.stringify(related)}`);
    if (problems.length) throw new Error(problems.join('\n'));
    console.log(`✔ right after opening with pgvet.baseRef=main, the Problems panel holds the ${total} findings of the schema and the new migration (of ${allCount} without a base)`);
  } catch (error) {
    failed = true;
    console.log(`✖ adoption: ${String((error as Error).stack ?? error)}`);
    if (bench) await shot(bench.page, 'FAILED-adoption');
  } finally {
    await bench?.close();
    await server?.stop();
    if (!failed && server && !process.env.PGVET_E2E_KEEP) rmSync(server.runDir, { recursive: true, force: true });
    else if (server) console.log(`kept ${server.runDir} (code-server.log, data/logs) for inspection`);
    rmSync(workspace, { recursive: true, force: true });
  }
  console.log(`adoption suite took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(failed ? '0 passed, 1 failed' : '1 passed, 0 failed');
  return failed ? 1 : 0;
}

void main().then((code) => process.exit(code));
