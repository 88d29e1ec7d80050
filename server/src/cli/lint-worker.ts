import { parentPort } from 'node:worker_threads';
import { initParser } from '../parse/sql/parser';
import { runUnit, type WorkUnit } from './work';

// A worker of the CLI's pool: receives units of work, answers with their reports.
const ready = initParser();
parentPort?.on('message', async (msg: { unit: WorkUnit; config?: string }) => {
  await ready;
  parentPort!.postMessage({ reports: runUnit(msg.unit, msg.config) });
});
