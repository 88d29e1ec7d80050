import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { initParser } from '../../../core/src';
import type { GitBase } from '../../../core/src';
import type { FileReport } from './lint-files';
import { planWork, runUnit, type UnitResult, type WorkUnit } from './work';
import { runCache } from './run-cache';
import { runUnitRecorded, type RecordedResult, type UnitCache } from './persistent-cache';

/**
 * Lints the files on worker threads when there is enough work and the bundle has the worker
 * (in-process otherwise). Migration histories go to one worker each, largest first.
 *
 * By default one worker per CPU but one: each worker loads the bundle and compiles the parser's WASM again, and
 * the main thread only waits, so on 2 CPUs two workers were no faster than none and used 16 % more CPU.
 */
export async function lintAll(paths: string[], files: string[], config?: string, jobs?: number, base?: GitBase, stored?: UnitCache): Promise<UnitResult & { warnings: string[] }> {
  const cache = runCache();
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
  const workerFile = join(__dirname, 'lint-worker.js');
  const threads = Math.min(jobs ?? availableParallelism() - 1, toRun.length, 8);
  const toLint = toRun.reduce((n, i) => n + units[i].paths.length, 0);
  if (threads <= 1 || toLint < 64 || !existsSync(workerFile)) {
    if (toRun.length) await initParser();
    for (const i of toRun) done(i, stored ? runUnitRecorded(units[i], config, base, cache) : runUnit(units[i], config, base, cache));
    return finish();
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: threads }, () =>
      new Promise<void>((resolve, reject) => {
        const worker = new Worker(workerFile);
        let running = -1;
        const send = () => {
          if (next >= toRun.length) {
            void worker.terminate().then(() => resolve());
            return;
          }
          running = toRun[next++];
          worker.postMessage({ unit: units[running], config, base, record: stored !== undefined });
        };
        worker.on('message', (msg: RecordedResult) => {
          done(running, msg);
          send();
        });
        worker.on('error', reject);
        send();
      }),
    ),
  );
  return finish();
}
