import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { initParser } from '../parse/sql/parser';
import type { FileReport } from './lint-files';
import { planWork, runUnit, type WorkUnit } from './work';

/**
 * Lints the files on worker threads when there is enough work and the bundle has the worker
 * (in-process otherwise). Migration histories go to one worker each, largest first.
 */
export async function lintAll(paths: string[], files: string[], config?: string, jobs?: number): Promise<FileReport[]> {
  const units = planWork(paths, files).sort((a, b) => b.paths.length - a.paths.length);
  const workerFile = join(__dirname, 'lint-worker.js');
  const threads = Math.min(jobs ?? availableParallelism(), units.length, 8);
  const order = new Map(files.map((f, i) => [f, i]));
  const sorted = (reports: FileReport[]) => reports.sort((a, b) => (order.get(a.path) ?? 0) - (order.get(b.path) ?? 0));
  if (threads <= 1 || files.length < 64 || !existsSync(workerFile)) {
    await initParser();
    return sorted(units.flatMap((u) => runUnit(u, config)));
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
          worker.postMessage({ unit, config });
        };
        worker.on('message', (msg: { reports: FileReport[] }) => {
          reports.push(...msg.reports);
          send();
        });
        worker.on('error', reject);
        send();
      }),
    ),
  );
  return sorted(reports);
}
