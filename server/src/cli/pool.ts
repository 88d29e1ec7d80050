import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { initParser } from '../../../core/src';
import type { GitBase } from '../../../core/src';
import type { FileReport } from './lint-files';
import { planWork, runUnit, type UnitResult, type WorkUnit } from './work';
import { runCache, type RunCache } from './run-cache';
import { runUnitRecorded, type RecordedResult, type UnitCache } from './persistent-cache';

/**
 * Files to lint below which no worker is started by default: a worker loads the bundle and the parser again and
 * warms up on its own. On 2 CPUs (load 7) `--jobs 2` on trigger.dev's 820 files took 1.34× the CPU and 1.37× the
 * wall time of `--jobs 1`.
 */
const WORKER_THRESHOLD = 1000;

/**
 * Lints the files in this thread and, when there is enough work and the bundle has the worker, on worker threads
 * beside it: `jobs` threads in all (default: one per CPU but one, so none on 2 CPUs). Units are taken from one
 * queue, largest first.
 *
 * The main thread lints too (it used to only wait). Each worker loads the bundle and compiles the parser's WASM
 * again and warms up on its own: on 2 CPUs shared with other work (load 7–13), `--jobs 2` on the corpus took 10 %
 * more CPU and 42–49 MB more memory than `--jobs 1` and was no faster, hence the default; and no worker for small runs.
 */
export async function lintAll(paths: string[], files: string[], config?: string, jobs?: number, base?: GitBase, stored?: UnitCache, cache: RunCache = runCache()): Promise<UnitResult & { warnings: string[] }> {
  const units = planWork(paths, files, cache.disk).sort((a, b) => b.paths.length - a.paths.length);
  // Results in the units' order, whether kept from an earlier run (see persistent-cache.ts) or linted now.
  const kept = units.map((u) => stored?.lookup(u, config, base));
  const results: UnitResult[] = kept.map((k) => k ?? { reports: [], problems: [] });
  const toRun = units.flatMap((_, i) => (kept[i] ? [] : [i]));
  const warnings: string[] = [];
  const done = (i: number, result: RecordedResult) => {
    results[i] = result;
    const warning = stored?.store(units[i], config, base, result);
    if (warning) warnings.push(warning);
  };
  const order = new Map(files.map((f, i) => [f, i]));
  const finish = () => ({
    reports: results.flatMap((r) => r.reports).sort((a, b) => (order.get(a.path) ?? 0) - (order.get(b.path) ?? 0)),
    problems: results.flatMap((r) => r.problems),
    warnings,
  });
  const here = (i: number) => done(i, stored ? runUnitRecorded(units[i], config, base, cache) : runUnit(units[i], config, base, cache));
  const workerFile = join(__dirname, 'lint-worker.js');
  const toLint = toRun.reduce((n, i) => n + units[i].paths.length, 0);
  const workers = Math.min((jobs ?? availableParallelism() - 1) - 1, toRun.length - 1, 8);
  if (toRun.length) await initParser();
  if (workers < 1 || (jobs === undefined && toLint < WORKER_THRESHOLD) || !existsSync(workerFile)) {
    for (const i of toRun) here(i);
    return finish();
  }
  let next = 0;
  const take = () => (next < toRun.length ? toRun[next++] : undefined);
  const pool = Array.from({ length: workers }, () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(workerFile);
      // Units sent and not yet answered, in order; two at a time, so a worker has the next one while the main
      // thread, busy with a unit of its own, has not read its answer yet.
      const sent: number[] = [];
      const send = () => {
        const i = take();
        if (i === undefined) return;
        sent.push(i);
        worker.postMessage({ unit: units[i], config, base, record: stored !== undefined });
      };
      worker.on('message', (msg: RecordedResult) => {
        done(sent.shift()!, msg);
        send();
        if (sent.length === 0) void worker.terminate().then(() => resolve());
      });
      worker.on('error', reject);
      send();
      send();
      if (sent.length === 0) void worker.terminate().then(() => resolve());
    }),
  );
  // Between two units of its own, the main thread lets the workers' answers in (and sends them more).
  for (let i = take(); i !== undefined; i = take()) {
    here(i);
    await new Promise((r) => setImmediate(r));
  }
  await Promise.all(pool);
  return finish();
}
