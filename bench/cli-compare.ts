/**
 * pgvet's CLI against its peers on the same inputs, cold (a new process each run). The tools run in turn
 * (pgvet, peer 1, peer 2, pgvet, …) so a change in the machine's speed reaches all of them alike; each run is timed
 * under GNU time (wall, CPU user+sys, peak RSS) and its output checked. A run that panicked, aborted or printed no
 * complete report is shown with the reason and left out of the figures and ratios.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InputSet } from './cli-inputs';
import type { Peer, Tool, Verdict } from './peers';

const TIME = '/usr/bin/time';
/** ARG_MAX is 2 MB on Linux; every tool gets the whole list in one command line. */
const MAX_ARGS_BYTES = 1536 * 1024;

export interface TimedRun { wallS: number; cpuS: number; peakRssMb: number; exitCode: number; verdict: Verdict }
export interface ToolRuns { tool: string; installed: boolean; note?: string; runs: TimedRun[]; variant?: boolean }
export interface SetResult { set: string; files: number; tools: ToolRuns[] }

function runOnce(tool: Tool, files: string[], scratch: string): TimedRun {
  const out = join(scratch, 'stdout');
  const err = join(scratch, 'stderr');
  const usage = join(scratch, 'usage');
  const fdOut = openSync(out, 'w');
  const fdErr = openSync(err, 'w');
  const started = process.hrtime.bigint();
  const r = spawnSync(TIME, ['-o', usage, '-f', '%U %S %M', tool.cmd, ...tool.args(files)], { stdio: ['ignore', fdOut, fdErr] });
  const wallS = Number(process.hrtime.bigint() - started) / 1e9;
  closeSync(fdOut);
  closeSync(fdErr);
  // GNU time writes "Command exited with non-zero status N" before the figures when the command fails.
  const [user, sys, rssKb] = readFileSync(usage, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  const exitCode = r.status ?? 128;
  const run = { exitCode, stdout: readFileSync(out, 'utf8'), stderr: readFileSync(err, 'utf8') };
  return { wallS, cpuS: user + sys, peakRssMb: rssKb / 1024, exitCode, verdict: tool.validate(run, files) };
}

/** `warmup` unrecorded rounds, then `runs` rounds; in each round every installed tool runs once, in turn. */
export function compareOnSet(set: InputSet, tools: Peer[], runs: number, warmup = 1): SetResult {
  if (!existsSync(TIME)) throw new Error(`${TIME} (GNU time) is needed for CPU time and peak RSS: apt-get install time`);
  const bytes = set.files.reduce((n, f) => n + f.length + 1, 0);
  if (bytes > MAX_ARGS_BYTES) throw new Error(`${set.name}: ${bytes} bytes of paths, over ${MAX_ARGS_BYTES}`);
  const scratch = mkdtempSync(join(tmpdir(), 'pgvet-bench-run-'));
  const results: ToolRuns[] = tools.map((t) => ('missing' in t ? { tool: t.name, installed: false, note: t.missing, runs: [] } : { tool: t.version, installed: true, runs: [], variant: t.variant }));
  try {
    for (let round = 0; round < warmup + runs; round++) {
      tools.forEach((t, i) => {
        if ('missing' in t) return;
        const run = runOnce(t, set.files, scratch);
        if (round >= warmup) results[i].runs.push(run);
      });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return { set: set.name, files: set.files.length, tools: results };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const f2 = (x: number) => x.toFixed(2);

/** min / median / max of the valid runs. */
function spread(xs: number[], fmt: (x: number) => string): string {
  return xs.length ? `${fmt(Math.min(...xs))} / ${fmt(median(xs))} / ${fmt(Math.max(...xs))}` : '—';
}

/** pgvet ÷ peer, run by run in the same round, over the rounds where both runs were valid: the median of those ratios. */
export function pairedRatio(a: TimedRun[], b: TimedRun[], key: 'wallS' | 'cpuS'): number | undefined {
  // GNU time counts CPU in 0.01 s steps: a run below one step has no ratio.
  const ratios = a.flatMap((r, k) => (r.verdict.ok && b[k]?.verdict.ok && b[k][key] >= 0.01 ? [r[key] / b[k][key]] : []));
  return ratios.length ? median(ratios) : undefined;
}

export function formatSet(r: SetResult): string {
  const base = r.tools[0];
  const lines = [`${r.set}: ${r.files} files; min / median / max of the valid runs`];
  for (const t of r.tools) {
    if (!t.installed) {
      lines.push(`  ${t.tool}: ${t.note}`);
      continue;
    }
    const ok = t.runs.filter((x) => x.verdict.ok);
    const bad = t.runs.filter((x) => !x.verdict.ok);
    lines.push(`  ${t.tool}: ${ok.length}/${t.runs.length} valid runs; wall ${spread(ok.map((x) => x.wallS), f2)} s, CPU ${spread(ok.map((x) => x.cpuS), f2)} s, peak RSS ${spread(ok.map((x) => x.peakRssMb), (x) => x.toFixed(0))} MB; exit ${[...new Set(t.runs.map((x) => x.exitCode))].join(',')}; ${(ok[0] ?? bad[0])?.verdict.note ?? ''}`);
    if (bad.length) lines.push(`    not counted: ${[...new Set(bad.map((x) => x.verdict.note))].join('; ')}`);
    // Each peer against pgvet's first entry; another way of running pgvet (warm) against each peer.
    if (t.variant) for (const peer of r.tools.filter((p) => p !== base && !p.variant && p.installed)) lines.push(`    ${ratioLine(t, peer)}`);
    else if (t !== base) lines.push(`    ${ratioLine(base, t)}`);
  }
  return lines.join('\n');
}

function ratioLine(a: ToolRuns, b: ToolRuns): string {
  const wall = pairedRatio(a.runs, b.runs, 'wallS');
  const cpu = pairedRatio(a.runs, b.runs, 'cpuS');
  return `${a.tool} / ${b.tool}: ${wall === undefined ? 'no valid pair, no ratio' : `wall ${f2(wall)}, CPU ${cpu === undefined ? `— (${b.tool} under 0.01 s)` : f2(cpu)} (median of paired runs)`}`;
}
