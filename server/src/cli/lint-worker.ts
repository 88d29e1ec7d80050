import { parentPort } from 'node:worker_threads';
import { initParser } from '../parse/sql/parser';
import type { GitBase } from '../engine/git-base';
import { runUnit, type WorkUnit } from './work';

// A worker of the CLI's pool: receives units of work, answers with their reports.
const ready = initParser();
parentPort?.on('message', async (msg: { unit: WorkUnit; config?: string; base?: GitBase }) => {
  await ready;
  parentPort!.postMessage(runUnit(msg.unit, msg.config, msg.base));
});
