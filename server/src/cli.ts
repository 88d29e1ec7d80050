// First: it tunes V8 before the rest of the CLI is compiled.
import './cli/v8-flags';
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { collectFiles } from './cli/files';
import { formatGithub, formatHuman, formatJson, formatSarif, SEVERITY_RANK } from './cli/format';
import { lintAll } from './cli/pool';
import { configLookup } from './cli/lint-files';
import { runCache } from './cli/run-cache';
import { applyBaselines, type BaselineMode } from './cli/baseline';
import { defaultCacheDir, UnitCache } from './cli/persistent-cache';
import { LINT_OPTIONS } from './cli/options';
import { runPlan } from './cli/run-entry';
import { captureRun } from './cli/run-capture';
import { pruneCache } from './cli/cache-prune';
import { projectRoot, GitError, resolveGitBase, DEFAULT_PGVET_JSON } from '../../core/src';
import type { GitBase, Severity } from '../../core/src';

const USAGE = `Usage: pgvet lint [options] <paths...>
       pgvet lint --database-url <conninfo> [--schema <name>]... [options]
       pgvet verify [--database-url <url>] [--format human|json] [folder]   (pgvet verify --help)

Lints PostgreSQL migration files (folders are searched for .sql files).

Options:
  --format <human|json|sarif|github>
                                output format (default: human); github writes workflow
                                annotations for GitHub Actions
  --max-severity <level>        exit with 1 when a finding at or above this level exists:
                                error | warning | info | hint (default: warning)
  --config <file>               use this pgvet.json instead of the nearest one above each file
  --since <ref>                 migrations present in this git ref (branch, tag, commit) are
                                applied: replayed for the schema only, no statement findings;
                                an applied one edited since is reported. "applied" in
                                pgvet.json wins over it for the histories it names
  --write-baseline              accept today's findings: write them to pgvet-baseline.json
                                (beside pgvet.json, else in the folder linted), dropping
                                entries that no longer occur, and exit 0
  --no-baseline                 show the findings pgvet-baseline.json hides
  --jobs <n>                    threads that lint, this one included (default: number
                                of CPUs less one; 1 lints in this thread only)
  --no-cache                    lint everything afresh and keep nothing (by default the
                                results of unchanged histories and files are reused)
  --cache-dir <folder>          where results are kept (default: node_modules/.cache/pgvet
                                of the nearest node_modules, else $XDG_CACHE_HOME/pgvet,
                                else the temp folder)
  --cache-stats                 say on stderr how many work units came from the cache
  --no-color                    plain output
  --database-url <conninfo>     run the schema rules on this live database's catalog instead of
                                files (read-only: one READ ONLY transaction); a URL or
                                key=value conninfo as libpq reads it, PG* variables fill what
                                it leaves out (PGHOST, PGPASSWORD, PGSSLMODE …; "" for PG* only)
  --schema <name>               with --database-url: read this schema (repeat for more;
                                default: pgvet.json's "schemas" when written, else every
                                schema but PostgreSQL's own)
  -h, --help                    show this help
  -v, --version                 show the version

Exit codes: 0 nothing at or above --max-severity, 1 findings at or above it (or
baseline entries that no longer occur), 2 usage error, a path that cannot be read or a pgvet.json that is not valid.
`;

function fail(message: string): number {
  process.stderr.write(`pgvet: ${message}\n\n${USAGE}`);
  return 2;
}

/** The folder git is asked about for `--since`: the first path's (its own when it is a folder). */
function gitDirOf(path: string): string {
  const abs = resolve(path);
  try {
    return statSync(abs).isDirectory() ? abs : dirname(abs);
  } catch {
    return process.cwd();
  }
}

export async function main(argv: string[]): Promise<number> {
  // Loaded on demand: the embedded PostgreSQL is only needed by verify.
  if (argv[0] === 'verify') return (await import('./cli/verify-command')).verifyCommand(argv.slice(1));
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: LINT_OPTIONS,
    });
  } catch (e) {
    return fail((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${process.env.PGVET_VERSION ?? 'dev'}\n`);
    return 0;
  }
  const [command, ...paths] = positionals;
  if (command !== 'lint') return fail(command ? `unknown command "${command}"` : 'missing command');
  if (values.schema && values['database-url'] === undefined) return fail('--schema goes with --database-url');
  if (values['database-url'] !== undefined) {
    if (paths.length) return fail('lint --database-url reads the database, not files: give one or the other');
    const unsupported = (['since', 'write-baseline', 'no-baseline', 'jobs'] as const).filter((o) => values[o] !== undefined);
    if (unsupported.length) return fail(`--${unsupported[0]} does not go with --database-url`);
    if (!['human', 'json', 'sarif', 'github'].includes(values.format)) return fail(`unknown --format "${values.format}" (human, json, sarif or github)`);
    if (!(values['max-severity'] in SEVERITY_RANK)) return fail(`unknown --max-severity "${values['max-severity']}" (error, warning, info or hint)`);
    const color = values.color && !values['no-color'] && process.stdout.isTTY === true && !process.env.NO_COLOR;
    // Loaded on demand, like verify: pg is only needed here.
    return (await import('./cli/lint-database')).lintDatabaseCommand({
      connection: values['database-url'], format: values.format, maxSeverity: values['max-severity'] as Severity, config: values.config, schemas: values.schema, color,
    });
  }
  if (paths.length === 0) return fail('lint needs at least one file or folder');
  const format = values.format;
  if (!['human', 'json', 'sarif', 'github'].includes(format)) return fail(`unknown --format "${format}" (human, json, sarif or github)`);
  const maxSeverity = values['max-severity'] as Severity;
  if (!(maxSeverity in SEVERITY_RANK)) return fail(`unknown --max-severity "${maxSeverity}" (error, warning, info or hint)`);
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) return fail(`--jobs needs a whole number of at least 1, not "${values.jobs}"`);

  if (values.config) {
    const probe = configLookup(values.config).forFile(values.config);
    if (probe.loaded?.problems.some((p) => p.message.startsWith('cannot read'))) return fail(probe.loaded.problems[0].message);
  }

  let base: GitBase | undefined;
  if (values.since !== undefined) {
    try {
      base = resolveGitBase(gitDirOf(paths[0]), values.since);
    } catch (e) {
      if (e instanceof GitError) return fail(`--since ${values.since}: ${e.message}`);
      throw e;
    }
  }

  // A run that may be kept whole (cli/run-entry.ts) is recorded from here to its exit code.
  const plan = runPlan(argv, process.cwd());
  const capture = plan && captureRun(plan);
  const stored = { cache: undefined as UnitCache | undefined };
  try {
    const code = await lintAndReport(values, { paths, format, maxSeverity, jobs, base }, capture, stored);
    capture?.finish(code, stored.cache);
    return code;
  } finally {
    capture?.finish(2, undefined);
  }
}

type Values = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof LINT_OPTIONS }>>['values'];

async function lintAndReport(values: Values, run: { paths: string[]; format: string; maxSeverity: Severity; jobs?: number; base?: GitBase }, capture: ReturnType<typeof captureRun> | undefined, keep: { cache?: UnitCache }): Promise<number> {
  const { paths, format, maxSeverity, jobs, base } = run;
  const { files, unreadable } = collectFiles(paths);
  for (const u of unreadable) process.stderr.write(`pgvet: cannot read ${u.path}: ${u.reason}\n`);
  if (values['no-cache'] && values['cache-dir']) return fail('--no-cache and --cache-dir do not go together');
  const cwd = process.cwd();
  const cacheDir = values['no-cache'] ? undefined : values['cache-dir'] ? resolve(values['cache-dir']) : defaultCacheDir(cwd);
  const stored = cacheDir === undefined ? undefined : new UnitCache(cacheDir, cwd);
  keep.cache = stored;
  // One run cache for the lint and the per-report lookups below: a second one searched for pgvet.json again
  // (3,912 failed access() calls on the corpus).
  const cache = runCache();
  const { reports, problems, warnings } = await lintAll(paths, files, values.config, jobs, base, stored, cache);
  for (const p of new Set([...problems, ...warnings])) process.stderr.write(`pgvet: ${p}\n`);
  if (stored && stored.stats.written > 0) pruneCache(stored.dir);
  if (values['cache-stats']) {
    const s = stored?.stats;
    const line = s ? `pgvet: ${s.fromCache} of ${s.units} work units from the cache, ${s.written} written (${s.dir})\n` : `pgvet: cache off (${values['no-cache'] ? '--no-cache' : 'no folder of this user\'s to keep it in: give --cache-dir'})\n`;
    if (capture) capture.statsLine(line);
    else process.stderr.write(line);
  }

  // A pgvet.json with problems is said once, on stderr, and makes the exit code 2 (the files are still checked:
  // with the defaults when the file is broken, without the unknown rules when that is all).
  const seenConfigs = new Set<string>();
  const lookup = configLookup(values.config, cache);
  for (const r of reports) {
    const { loaded } = lookup.forFile(r.path);
    if (loaded?.path && loaded.problems.length && !seenConfigs.has(loaded.path)) {
      seenConfigs.add(loaded.path);
      const usesDefaults = loaded.config === DEFAULT_PGVET_JSON;
      process.stderr.write(`pgvet: ${loaded.path} is not valid${usesDefaults ? ', using the defaults' : ''}: ${loaded.problems.map((p) => `${p.path.join('.') || '(file)'}: ${p.message}`).join('; ')}\n`);
    }
  }

  if (values['write-baseline'] && values['no-baseline']) return fail('--write-baseline and --no-baseline do not go together');
  const mode: BaselineMode = values['write-baseline'] ? 'write' : values['no-baseline'] ? 'off' : 'use';
  const fallbackRoot = gitDirOf(paths[0]);
  const { reports: shown, summary: baseline } = applyBaselines(reports, (p) => projectRoot(lookup.forFile(p).loaded?.path, fallbackRoot), mode);

  const color = values.color && !values['no-color'] && process.stdout.isTTY === true && !process.env.NO_COLOR;
  const out =
    format === 'json' ? formatJson(shown, cwd, baseline)
    : format === 'sarif' ? formatSarif(shown, cwd, baseline)
    : format === 'github' ? formatGithub(shown, cwd, baseline)
    : formatHuman(shown, cwd, color, baseline);
  process.stdout.write(out);

  if (unreadable.length > 0 || seenConfigs.size > 0) return 2;
  const threshold = SEVERITY_RANK[maxSeverity];
  return baseline.stale.length > 0 || shown.some((r) => r.findings.some((f) => SEVERITY_RANK[f.severity] >= threshold)) ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`pgvet: unexpected error: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
