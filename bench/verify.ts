/**
 * `pgvet verify` over the whole crates.io history (285 diesel migrations, each up, down and up again on the
 * embedded PostgreSQL): wall time of the built CLI (dist/cli.js, so PGlite's start-up is counted), peak RSS,
 * and the verdict counts. Run alone with `npm run build && node --import tsx bench/verify.ts`, or from bench/run.ts
 * through `measureVerify()`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..');
/** The built CLI; PGVET_CLI points at another build (one made outside dist/, say). */
const CLI = process.env.PGVET_CLI ?? join(REPO, 'dist/cli.js');
const HISTORY = resolve(__dirname, '../../shared/corpus/rust-lang__crates.io/migrations');
const TIME = '/usr/bin/time';

export interface VerifyBenchResult {
  history: string;
  migrations: number;
  reversible: number;
  notReversible: number;
  failed: number;
  /** Median wall time of `runs` runs, start-up included. */
  wallMs: number;
  runsMs: number[];
  /** Largest peak RSS of the runs (MB), when /usr/bin/time is there. */
  peakRssMb?: number;
  /** Per migration, from the median run's own clock (PGlite start-up and parsing left out). */
  msPerMigration: number;
}

export function measureVerify(runs = 3): VerifyBenchResult {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const useTime = existsSync(TIME);
  const results: { ms: number; rssMb?: number; report: any }[] = [];
  for (let k = 0; k < runs; k++) {
    const args = [CLI, 'verify', '--format', 'json', HISTORY];
    const started = process.hrtime.bigint();
    const r = useTime
      ? spawnSync(TIME, ['-v', process.execPath, ...args], { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 30 })
      : spawnSync(process.execPath, args, { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 30 });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    // Exit 1 is expected: crates.io has migrations that are not reversible.
    if (r.status !== 0 && r.status !== 1) throw new Error(`pgvet verify exited with ${r.status}: ${r.stderr.slice(-2000)}`);
    const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1];
    results.push({ ms, ...(rss ? { rssMb: Math.round(Number(rss) / 1024) } : {}), report: JSON.parse(r.stdout) });
  }
  const sorted = [...results].sort((a, b) => a.ms - b.ms);
  const median = sorted[Math.floor(sorted.length / 2)];
  const set = median.report.sets[0];
  const rss = results.flatMap((x) => (x.rssMb === undefined ? [] : [x.rssMb]));
  return {
    history: 'rust-lang__crates.io/migrations', ...set.summary,
    wallMs: Math.round(median.ms), runsMs: results.map((x) => Math.round(x.ms)),
    ...(rss.length ? { peakRssMb: Math.max(...rss) } : {}),
    msPerMigration: Math.round((set.ms / set.summary.migrations) * 10) / 10,
  };
}

export function formatVerify(r: VerifyBenchResult): string {
  return `pgvet verify ${r.history}: ${r.migrations} migrations (${r.reversible} reversible, ${r.notReversible} not reversible, ${r.failed} fail) `
    + `in ${(r.wallMs / 1000).toFixed(1)} s median of ${r.runsMs.length} (${r.runsMs.map((x) => (x / 1000).toFixed(1)).join(' / ')} s), `
    + `${r.msPerMigration} ms per migration${r.peakRssMb !== undefined ? `, peak RSS ${r.peakRssMb} MB` : ''}.`;
}

if (require.main === module) {
  const runs = Number(process.argv[2] ?? 3);
  console.log(formatVerify(measureVerify(runs)));
}
