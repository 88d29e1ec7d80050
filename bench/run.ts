/**
 * npm run bench: pgvet's CLI, squawk and the Postgres Language Server over the same inputs (cold runs in turn: wall,
 * CPU, peak RSS; runs that aborted are shown and not counted; pgvet also warm, from its cache), then the language server's editing latency, the
 * workspace index, verify and the EXPLAIN panel. Prints tables and writes bench/results/latest.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { compareOnSet, formatSet, type SetResult } from './cli-compare';
import { CORPUS, NOT_UTF8, prepareInputs, SQUAWK_PANICS, walkSql } from './cli-inputs';
import { measureLatency, type LatencyResult } from './lsp-latency';
import { pgvet, pgvetWarm, postgresLanguageServer, squawk } from './peers';

const REPO = resolve(__dirname, '..');
const CLI = join(REPO, 'dist/cli.js');
const RUNS = 5;

function table(rows: Record<string, string | number>[]): string {
  const keys = Object.keys(rows[0]);
  const width = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(r[k]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(width[i])).join('  ');
  return [line(keys), line(width.map((w) => '-'.repeat(w))), ...rows.map((r) => line(keys.map((k) => String(r[k]))))].join('\n');
}

function commit(): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).stdout.trim();
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: REPO, encoding: 'utf8' }).stdout.trim();
  if (!head) return 'unknown commit (not a git checkout)';
  return dirty ? `${head} + uncommitted changes` : head;
}

/** As uptime prints it: the 1, 5 and 15-minute load averages. */
const load = () => loadavg().map((x) => x.toFixed(2)).join(', ');

async function main() {
  const loadAverageAtStart = load();
  const built = commit();
  const peers = [squawk(), postgresLanguageServer()];
  // Cold: the cache off. Warm: a cache of its own, written by its warm-up run, read by its counted runs.
  const cacheDir = mkdtempSync(join(tmpdir(), 'pgvet-bench-cache-'));
  const cold = [pgvet(CLI, ['--no-cache']), ...peers];
  const tools = [...cold, pgvetWarm(CLI, cacheDir)];
  const inputs = prepareInputs();
  const cli: SetResult[] = [];
  try {
    console.log(`${availableParallelism()} CPUs (nproc), load average ${loadAverageAtStart}.`);
    console.log(`pgvet ${built} against ${peers.map((p) => ('missing' in p ? `${p.name} (${p.missing})` : p.version)).join(' and ')}.`);
    console.log(`Inputs: a copy of the corpus (${inputs.corpusFiles} .sql files) with ${NOT_UTF8.path} transcoded from ${NOT_UTF8.encoding} to UTF-8, less the ${SQUAWK_PANICS.length} files squawk panics on; ${RUNS} rounds after one warm-up, the tools in turn.\n`);
    for (const set of inputs.sets) {
      const result = compareOnSet(set, tools, RUNS);
      cli.push(result);
      console.log(formatSet(result) + '\n');
    }
    // The corpus as it is, once: what a user who points each tool at it gets.
    const asIs = compareOnSet({ name: 'the corpus as it is (not UTF-8 file and squawk-panic files included)', files: walkSql(CORPUS).sort() }, cold, 1, 0);
    cli.push(asIs);
    console.log(formatSet(asIs));
    console.log(`Load average after the CLI runs: ${load()}.`);
  } finally {
    inputs.dispose();
    rmSync(cacheDir, { recursive: true, force: true });
  }
  // `npm run bench -- --cli-only`: the CLI comparison alone.
  if (process.argv.includes('--cli-only')) return;

  const latency: LatencyResult[] = [];
  for (const d of [undefined, 0]) latency.push(await measureLatency(d));
  console.log('\nLanguage server: didChange → publishDiagnostics for that version, 1,000-statement migration, 100 one-character edits\n');
  console.log(table(latency.map((l) => ({ debounce: String(l.debounceMs), 'file (chars)': l.chars, 'open (ms)': l.openMs, 'median (ms)': l.medianMs, 'p90 (ms)': l.p90Ms, 'p95 (ms)': l.p95Ms, 'max (ms)': l.maxMs, 'server CPU per edit (ms)': l.serverCpuPerEditMs ?? '' }))));

  const { formatHistoryIndex, measureHistoryIndex } = await import('./history-index');
  const historyIndex = await measureHistoryIndex();
  console.log('\nLanguage server: workspace index of the largest history, then re-lint after edits to one of its migrations\n');
  console.log(formatHistoryIndex(historyIndex));

  // pgvet verify: the whole crates.io history replayed up, down and up again on PGlite.
  const { formatVerify, measureVerify } = await import('./verify');
  const verify = measureVerify(3);
  console.log(formatVerify(verify));

  // Inputs that once took minutes, at 1×, 10× and 100× (bench/scaling.ts): CPU time should grow about 10× per step.
  const { runScaling } = await import('./scaling');
  const scaling = runScaling();

  // The EXPLAIN panel: time to render 1,000 and 5,000 plan nodes in headless Chromium.
  let webviewRender: unknown;
  if (existsSync('/usr/bin/chromium')) {
    const { runWebviewRenderBench, formatWebviewRender } = await import('./webview-render');
    const result = await runWebviewRenderBench();
    webviewRender = result;
    console.log('\nEXPLAIN panel render (headless Chromium)\n');
    console.log(formatWebviewRender(result));
  } else {
    console.log('\nEXPLAIN panel render: skipped, /usr/bin/chromium is not installed (apt-get install chromium).');
  }

  const machine = { loadAverageAtEnd: load(), loadAverageAtStart, cpus: availableParallelism(), cpuModel: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version };
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(
    join(__dirname, 'results/latest.json'),
    JSON.stringify({ date: new Date().toISOString(), commit: built, machine, corpusFiles: inputs.corpusFiles, notUtf8: NOT_UTF8, squawkSkipped: SQUAWK_PANICS, cli, lspLatency: latency, historyIndex, webviewRender, verify, scaling }, null, 2) + '\n',
  );
  console.log(`\nMachine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGb} GB, node ${machine.node}; load average (1, 5, 15 min) ${machine.loadAverageAtStart} at the start, ${machine.loadAverageAtEnd} at the end. Written to bench/results/latest.json.`);
}

void main();
