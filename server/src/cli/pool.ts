import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { initParser } from '../../../core/src';
import type { GitBase } from '../../../core/src';
import type { FileReport } from './lint-files';
import { planWork, runUnit, type UnitResult, type WorkUnit } from './work';
import { runCache } from './run-cache';

/**
 * Lints the files on worker threads when there is enough work and the bundle has the worker
 * (in-process otherwise). Migration histories go to one worker each, largest first.
 *
 * By default one worker per CPU but one: each worker loads the bundle and compiles the parser's WASM again, and
 * the main thread only waits, so on 2 CPUs two workers were no faster than none and used 16 % more CPU.
 */
export async function lintAll(paths: string[], files: string[], config?: string, jobs?: number, base?: GitBase): Promise<UnitResult> {
  const cache = runCache();
  const units = planWork(paths, files, cache.disk).sort((a, b) => b.paths.length - a.paths.length);
  const workerFile = join(__dirname, 'lint-worker.js');
  const threads = Math.min(jobs ?? availableParallelism() - 1, units.length, 8);
  const order = new Map(files.map((f, i) => [f, i]));
  const sorted = (reports: FileReport[]) => reports.sort((a, b) => (order.get(a.path) ?? 0) - (order.get(b.path) ?? 0));
  const problems: string[] = [];
  if (threads <= 1 || files.length < 64 || !existsSync(workerFile)) {
    await initParser();
    const results = units.map((u) => runUnit(u, config, base, cache));
    return { reports: sorted(results.flatMap((r) => r.reports)), problems: results.flatMap((r) => r.problems) };
  }
  const reports: FileReport[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: threads }, () =>
      new Promise<void>((resolve, reject) => {
        const worker = new Worker(workerFile);
        const send = () => {
          if (next >= units.length) {
            void worker.terminate().then(() => resolve());
            return;
          }
          const unit: WorkUnit = units[next++];
          worker.postMessage({ unit, config, base });
        };
        worker.on('message', (msg: UnitResult) => {
          reports.push(...msg.reports);
          problems.push(...msg.problems);
          send();
        });
        worker.on('error', reject);
        send();
      }),
    ),
  );
  return { reports: sorted(reports), problems };
}
