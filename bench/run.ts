/**
 * npm run bench: pgvet's CLI and squawk over the same corpus files (wall time, files/s, peak RSS),
 * then the language server's editing latency. Prints a table and writes bench/results/latest.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { measureLatency, type LatencyResult } from './lsp-latency';

const REPO = resolve(__dirname, '..');
const CORPUS = resolve(__dirname, '../../shared/corpus');
const CLI = join(REPO, 'dist/cli.js');
const RUNS = 3;
const TIME = '/usr/bin/time';
/** squawk 2.66.0 panics ("the parser seems stuck", exit 101, after ~15 s and up to 3.7 GB) on these, so both tools skip them. */
const SQUAWK_PANICS = [
  'PostgREST__postgrest/test/io/fixtures/big_schema.sql',
  'pganalyze__libpg_query/test/sql/postgres_regress/alter_table.sql',
  'pganalyze__libpg_query/test/sql/postgres_regress/create_table.sql',
  'pganalyze__libpg_query/test/sql/postgres_regress/rules.sql',
  'pganalyze__libpg_query/test/sql/postgres_regress/with.sql',
];
/** Keeps each squawk command line well under ARG_MAX (2 MB here). */
const MAX_ARGS_BYTES = 512 * 1024;

function walkSql(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) walkSql(full, out);
    else if (e.isFile() && e.name.endsWith('.sql')) out.push(full);
  }
  return out;
}

/**
 * squawk is installed on first use into a cache outside the project's dependencies: the registry here serves only
 * its linux-x64 build, and a devDependency with missing platform packages would break `npm ci`.
 */
const SQUAWK_VERSION = '2.66.0';
const TOOLS = join(process.env.HOME ?? '/tmp', '.cache', 'pgvet-bench');

function squawkBinary(): { cmd: string; args: string[] } {
  // The native binary itself, so the node wrapper's start-up and memory are not counted.
  const native = join(TOOLS, `node_modules/@squawk-cli/${process.platform}-${process.arch}/bin/squawk`);
  if (!existsSync(native)) {
    console.log(`Installing squawk-cli@${SQUAWK_VERSION} into ${TOOLS} …`);
    const r = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', TOOLS, `squawk-cli@${SQUAWK_VERSION}`], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('could not install squawk-cli for the comparison');
  }
  if (existsSync(native)) return { cmd: native, args: [] };
  return { cmd: join(TOOLS, 'node_modules/.bin/squawk'), args: [] };
}

function chunks(files: string[]): string[][] {
  const out: string[][] = [];
  let cur: string[] = [];
  let bytes = 0;
  for (const f of files) {
    if (bytes + f.length + 1 > MAX_ARGS_BYTES && cur.length) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(f);
    bytes += f.length + 1;
  }
  if (cur.length) out.push(cur);
  return out;
}

interface Run { wallMs: number; cpuMs: number; maxRssKb: number; exitCodes: number[] }

/** Runs each command line in turn under /usr/bin/time -v; wall time is the sum, peak RSS the largest. */
function timed(commands: { cmd: string; args: string[] }[]): Run {
  const haveTime = existsSync(TIME);
  let wallMs = 0;
  let maxRssKb = 0;
  let cpuMs = 0;
  const exitCodes: number[] = [];
  for (const c of commands) {
    const started = process.hrtime.bigint();
    const r = haveTime
      ? spawnSync(TIME, ['-v', c.cmd, ...c.args], { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 30 })
      : spawnSync(c.cmd, c.args, { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 30 });
    wallMs += Number(process.hrtime.bigint() - started) / 1e6;
    exitCodes.push(r.status ?? -1);
    const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
    if (rss) maxRssKb = Math.max(maxRssKb, Number(rss[1]));
    // CPU time (user + system, all threads) depends less on what else the machine is doing than wall time.
    for (const m of (r.stderr ?? '').matchAll(/(?:User|System) time \(seconds\): ([\d.]+)/g)) cpuMs += Number(m[1]) * 1000;
  }
  return { wallMs, cpuMs, maxRssKb, exitCodes };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

interface ToolResult { tool: string; files: number; runsMs: number[]; medianMs: number; medianCpuMs: number; filesPerSec: number; peakRssMb: number; exitCodes: number[] }

function bench(tool: string, files: number, commands: { cmd: string; args: string[] }[], count = RUNS): ToolResult {
  const runs: Run[] = [];
  for (let k = 0; k < count; k++) runs.push(timed(commands));
  const medianMs = median(runs.map((r) => r.wallMs));
  return {
    tool,
    files,
    runsMs: runs.map((r) => Math.round(r.wallMs)),
    medianMs: Math.round(medianMs),
    medianCpuMs: Math.round(median(runs.map((r) => r.cpuMs))),
    filesPerSec: Math.round((files / medianMs) * 1000),
    peakRssMb: Math.round(Math.max(...runs.map((r) => r.maxRssKb)) / 1024),
    exitCodes: [...new Set(runs.flatMap((r) => r.exitCodes))],
  };
}

function table(rows: Record<string, string | number>[]): string {
  const keys = Object.keys(rows[0]);
  const width = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(r[k]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(width[i])).join('  ');
  return [line(keys), line(width.map((w) => '-'.repeat(w))), ...rows.map((r) => line(keys.map((k) => String(r[k]))))].join('\n');
}

async function main() {
  const loadAverageAtStart = Math.round(loadavg()[0] * 10) / 10;
  const all = walkSql(CORPUS).sort();
  const skip = new Set(SQUAWK_PANICS.map((p) => join(CORPUS, p)));
  const common = all.filter((f) => !skip.has(f)).map((f) => relative(REPO, f));
  const squawk = squawkBinary();
  const version = spawnSync(squawk.cmd, ['--version'], { encoding: 'utf8' }).stdout.trim();

  console.log(`Corpus: ${all.length} .sql files; ${common.length} for the comparison (${SQUAWK_PANICS.length} on which squawk panics left out). ${RUNS} runs each, median.`);
  const pgvet = bench('pgvet (CLI, json)', common.length, [{ cmd: process.execPath, args: [CLI, 'lint', '--format', 'json', ...common] }]);
  const sq = bench(`${version} (json)`, common.length, chunks(common).map((c) => ({ cmd: squawk.cmd, args: [...squawk.args, '--reporter', 'json', ...c] })));
  const pgvetAll = bench('pgvet (CLI, json), all files', all.length, [{ cmd: process.execPath, args: [CLI, 'lint', '--format', 'json', CORPUS] }]);
  // squawk on every file: it panics on the first of the five files, and the panic ends its run (one run: each takes seconds and GBs).
  const sqAll = bench(`${version} (json), all files`, all.length, chunks(all.map((f) => relative(REPO, f))).map((c) => ({ cmd: squawk.cmd, args: [...squawk.args, '--reporter', 'json', ...c] })), 1);
  const ratio = Math.round((pgvet.medianMs / sq.medianMs) * 100) / 100;
  console.log('\nCLI over the corpus\n');
  console.log(table([pgvet, sq, pgvetAll, sqAll].map((r) => ({ tool: r.tool, files: r.files, 'median wall (s)': (r.medianMs / 1000).toFixed(2), 'runs (s)': r.runsMs.map((x) => (x / 1000).toFixed(2)).join(' / '), 'median CPU user+sys (s)': (r.medianCpuMs / 1000).toFixed(2), 'files/s': r.filesPerSec, 'peak RSS (MB)': r.peakRssMb, 'exit codes': r.exitCodes.join(',') }))));
  const cpuRatio = Math.round((pgvet.medianCpuMs / sq.medianCpuMs) * 100) / 100;
  console.log(`\npgvet / squawk: wall time ${ratio}, CPU time ${cpuRatio}`);

  const latency: LatencyResult[] = [];
  for (const d of [undefined, 0]) latency.push(await measureLatency(d));
  console.log('\nLanguage server: didChange → publishDiagnostics for that version, 1,000-statement migration, 100 one-character edits\n');
  console.log(table(latency.map((l) => ({ debounce: String(l.debounceMs), 'file (chars)': l.chars, 'open (ms)': l.openMs, 'median (ms)': l.medianMs, 'p90 (ms)': l.p90Ms, 'max (ms)': l.maxMs }))));

  const { formatHistoryIndex, measureHistoryIndex } = await import('./history-index');
  const historyIndex = await measureHistoryIndex();
  console.log('\nLanguage server: workspace index of the largest history, then re-lint after edits to one of its migrations\n');
  console.log(formatHistoryIndex(historyIndex));

  // pgvet verify: the whole crates.io history replayed up, down and up again on PGlite.
  const { formatVerify, measureVerify } = await import('./verify');
  const verify = measureVerify(RUNS);
  console.log(formatVerify(verify));

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

  const machine = { loadAverage1mAtEnd: Math.round(loadavg()[0] * 10) / 10, loadAverageAtStart, cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version };
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(
    join(__dirname, 'results/latest.json'),
    JSON.stringify({ date: new Date().toISOString(), machine, corpusFiles: all.length, comparedFiles: common.length, squawkSkipped: SQUAWK_PANICS, cli: { pgvet, squawk: sq, pgvetAll, squawkAll: sqAll, ratio, cpuRatio }, lspLatency: latency, historyIndex, webviewRender, verify }, null, 2) + '\n',
  );
  console.log(`\nMachine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGb} GB, node ${machine.node}; 1-minute load average ${machine.loadAverageAtStart} at the start, ${machine.loadAverage1mAtEnd} at the end. Written to bench/results/latest.json.`);
}

void main();
