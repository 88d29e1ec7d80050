import { parentPort } from 'node:worker_threads';
import { initParser } from '../parse/sql/parser';
import { configLookup, lintFile } from './lint-files';

// A worker of the CLI's pool: receives batches of paths, answers with their reports.
const ready = initParser();
parentPort?.on('message', async (msg: { paths: string[]; config?: string; id: number }) => {
  await ready;
  const lookup = configLookup(msg.config);
  parentPort!.postMessage({ id: msg.id, reports: msg.paths.map((p) => lintFile(p, lookup)) });
});
