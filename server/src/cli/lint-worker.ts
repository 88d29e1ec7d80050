import { parentPort } from 'node:worker_threads';
import { initParser } from '../../../core/src';
import type { GitBase } from '../../../core/src';
import { runUnit, type WorkUnit } from './work';
import { runCache } from './run-cache';
import { runUnitRecorded } from './persistent-cache';

// A worker of the CLI's pool: receives units of work, answers with their reports.
const ready = initParser();
// A worker serves one run: the units it is sent share what it read.
const cache = runCache();
parentPort?.on('message', async (msg: { unit: WorkUnit; config?: string; base?: GitBase; record: boolean }) => {
  await ready;
  // Recorded when the run keeps results: what the unit read comes back with its reports.
  parentPort!.postMessage((msg.record ? runUnitRecorded : runUnit)(msg.unit, msg.config, msg.base, cache));
});
