import { restampAll } from './cli/clock-stamps';
import { inputsUnchanged } from './cli/input-check';
import { loadRun, markRunUsed, runPlan } from './cli/run-entry';

/**
 * The CLI's first script (dist/cli.js). A `pgvet lint` whose every input reads as it did in a run kept in the
 * cache prints that run's output from its entry, without loading the engine (dist/cli-engine.js: 1 MB to compile,
 * about as long as the rest of such a run). Anything else — a changed file, another command, no entry — goes to
 * the engine, which keeps what it can (cli/run-entry.ts, cli/persistent-cache.ts).
 */
function printKeptRun(argv: string[]): number | undefined {
  const plan = runPlan(argv, process.cwd());
  const run = plan && loadRun(plan.dir, plan.key);
  if (!plan || !run) return undefined;
  const now = Date.now();
  // A clock set back since: the kept names would be later than a cold run's.
  if (run.clocks.some((c) => now < c) || !inputsUnchanged(run.inputs)) return undefined;
  process.stdout.write(restampAll(run.stdout, run.clocks, now));
  process.stderr.write(run.stderr[0]);
  if (plan.stats) process.stderr.write(`pgvet: ${run.units} of ${run.units} work units from the cache, 0 written (${plan.dir})\n`);
  process.stderr.write(run.stderr[1]);
  markRunUsed(plan.dir, plan.key, run.unitEntries);
  return run.exit;
}

async function start(argv: string[]): Promise<number> {
  const kept = printKeptRun(argv);
  if (kept !== undefined) return kept;
  // The engine's bundle (esbuild.mjs maps this import to ./cli-engine.js beside this script).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { main } = require('./cli') as typeof import('./cli');
  return main(argv);
}

start(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`pgvet: unexpected error: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 2;
  },
);
