import { mergeInputs } from './input-check';
import { storeRun } from './run-entry';
import { recordRun } from './unit-inputs';
import type { UnitCache } from './persistent-cache';

type Write = typeof process.stdout.write;

/**
 * Records a `pgvet lint` run that may be kept whole (run-entry.ts): what its main thread reads, and what it prints
 * on stdout and stderr, printed as usual meanwhile. `finish` keeps the run when every unit was kept and nothing it
 * read escaped the recording.
 */
export function captureRun(plan: { key: string; dir: string }) {
  const recording = recordRun();
  const stdout: string[] = [];
  const stderr: [string[], string[]] = [[], []];
  let afterStats = 0;
  const realOut = process.stdout.write;
  const realErr = process.stderr.write;
  const tee = (stream: NodeJS.WriteStream, real: Write, into: () => string[]): Write =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      into().push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return (real as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
    }) as Write;
  process.stdout.write = tee(process.stdout, realOut, () => stdout);
  process.stderr.write = tee(process.stderr, realErr, () => stderr[afterStats]);
  let finished = false;
  return {
    /** The --cache-stats line: not kept (a run from its entry says its own). */
    statsLine(text: string): void {
      realErr.call(process.stderr, text);
      afterStats = 1;
    },
    finish(exit: number, stored: UnitCache | undefined): void {
      if (finished) return;
      finished = true;
      process.stdout.write = realOut;
      process.stderr.write = realErr;
      const { inputs, cacheable } = recording.stop();
      if (!stored || stored.dir !== plan.dir || !cacheable || !stored.run.complete || !mergeInputs(inputs, stored.run.inputs)) return;
      try {
        storeRun(plan.dir, plan.key, { inputs, clocks: stored.run.clocks, exit, stderr: [stderr[0].join(''), stderr[1].join('')], units: stored.stats.units, unitEntries: stored.run.entries, stdout: stdout.join('') });
      } catch {
        // Not kept: the units' entries said already why the folder cannot be written.
      }
    },
  };
}
