import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { initParser } from '../parse/sql/parser';
import { configLookup, lintFile, type FileReport } from './lint-files';

const BATCH = 32;

/** Lints files on worker threads when there are many and the bundle has the worker; in-process otherwise. */
export async function lintAll(paths: string[], config?: string, jobs?: number): Promise<FileReport[]> {
  const workerFile = join(__dirname, 'lint-worker.js');
  const threads = Math.min(jobs ?? availableParallelism(), Math.ceil(paths.length / BATCH), 8);
  if (threads <= 1 || !existsSync(workerFile)) {
    await initParser();
    const lookup = configLookup(config);
    return paths.map((p) => lintFile(p, lookup));
  }
  const reports: FileReport[][] = [];
  let next = 0;
  let batchId = 0;
  await Promise.all(
    Array.from({ length: threads }, () =>
      new Promise<void>((resolve, reject) => {
        const worker = new Worker(workerFile);
        const send = () => {
          if (next >= paths.length) {
            void worker.terminate().then(() => resolve());
            return;
          }
          const id = batchId++;
          worker.postMessage({ id, paths: paths.slice(next, next + BATCH), config });
          next += BATCH;
        };
        worker.on('message', (msg: { id: number; reports: FileReport[] }) => {
          reports[msg.id] = msg.reports;
          send();
        });
        worker.on('error', reject);
        send();
      }),
    ),
  );
  return reports.flat();
}
