/**
 * The linters pgvet is compared with, and how to tell a run that reported from one that aborted. Each is installed on
 * first use with `npm install --no-save` into a cache outside the project's dependencies (its native binary comes in a
 * per-platform optional package; a devDependency would make `npm ci` resolve every platform's). A peer that cannot be
 * installed is shown as "not installed" and the benchmark goes on without it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const TOOLS = join(process.env.HOME ?? '/tmp', '.cache', 'pgvet-bench');

export interface RunOutput { exitCode: number; stdout: string; stderr: string }
/** ok: a complete report that covers the inputs; otherwise why the run does not count. */
export interface Verdict { ok: boolean; note: string }

export interface Tool {
  name: string;
  version: string;
  cmd: string;
  args: (files: string[]) => string[];
  validate: (run: RunOutput, files: string[]) => Verdict;
  /** Another way of running pgvet (from its cache): compared with each peer, not with pgvet's first entry. */
  variant?: boolean;
}

export type Peer = Tool | { name: string; missing: string };

/** A Rust panic or an error that ended the program (anyhow's "Error: …" on the first line). */
function aborted(stderr: string): string | undefined {
  const panic = /panicked at [^\n]*\n([^\n]*)/.exec(stderr);
  if (panic) return `panic: ${panic[1].trim()}`;
  const error = /^Error: ([^\n]*)/m.exec(stderr);
  if (error) return `aborted: ${error[1]}`;
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function install(pkg: string, version: string, binary: string): string | { missing: string } {
  // One prefix per package: `npm install --no-save` into a shared one would prune the other package.
  const prefix = join(TOOLS, `${pkg.replace('/', '+')}@${version}`);
  const path = join(prefix, 'node_modules', binary);
  if (existsSync(path)) return path;
  console.log(`Installing ${pkg}@${version} into ${prefix} …`);
  const r = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, `${pkg}@${version}`], { encoding: 'utf8' });
  if (existsSync(path)) return path;
  return { missing: `not installed (npm install ${pkg}@${version}: exit ${r.status}; no ${binary} for ${process.platform}-${process.arch})` };
}

/** squawk: no panic or error on stderr, a JSON array on stdout naming only files it was given. */
export const validateSquawkRun = ({ exitCode, stdout, stderr }: RunOutput, files: string[]): Verdict => {
  const why = aborted(stderr);
  if (why) return { ok: false, note: `${why} (exit ${exitCode}, no report)` };
  if (exitCode !== 0 && exitCode !== 1) return { ok: false, note: `exit ${exitCode}: ${stderr.split('\n')[0]}` };
  const report = parseJson(stdout);
  if (!Array.isArray(report)) return { ok: false, note: `exit ${exitCode}, no JSON report on stdout` };
  const inputs = new Set(files);
  const named = new Set(report.map((v: { file?: string }) => v.file));
  if ([...named].some((f) => typeof f !== 'string' || !inputs.has(f))) return { ok: false, note: 'report names a file that was not given' };
  // squawk lists violations only: a clean file is not named, and exit 1 means there were violations.
  if (exitCode === 1 && report.length === 0) return { ok: false, note: 'exit 1 with an empty report' };
  return { ok: true, note: `${report.length} violations in ${named.size} files` };
};

/** PLS: its JSON summary checked every file given, and no file failed to be read. */
export const validatePlsRun = ({ exitCode, stdout, stderr }: RunOutput, files: string[]): Verdict => {
  const why = aborted(stderr);
  if (why) return { ok: false, note: `${why} (exit ${exitCode})` };
  if (exitCode !== 0 && exitCode !== 1) return { ok: false, note: `exit ${exitCode}: ${stderr.split('\n')[0]}` };
  const report = parseJson(stdout) as { summary?: { changed: number; unchanged: number; errors: number; warnings: number }; diagnostics?: { category: string }[] } | undefined;
  if (!report?.summary || !Array.isArray(report.diagnostics)) return { ok: false, note: `exit ${exitCode}, no JSON summary on stdout` };
  const checked = report.summary.changed + report.summary.unchanged;
  if (checked !== files.length) return { ok: false, note: `checked ${checked} of ${files.length} files` };
  const internal = report.diagnostics.filter((d) => d.category.startsWith('internalError')).length;
  if (internal) return { ok: false, note: `${internal} internal errors (files not read)` };
  return { ok: true, note: `${checked} files, ${report.summary.errors} errors, ${report.summary.warnings} warnings` };
};

/** pgvet: its JSON summary counts every file given and none failed. */
export const validatePgvetRun = ({ exitCode, stdout, stderr }: RunOutput, files: string[]): Verdict => {
  if (exitCode !== 0 && exitCode !== 1) return { ok: false, note: `exit ${exitCode}: ${stderr.split('\n')[0]}` };
  const report = parseJson(stdout) as { summary?: { files: number; failed: number } } | undefined;
  if (!report?.summary) return { ok: false, note: `exit ${exitCode}, no JSON report on stdout` };
  if (report.summary.files !== files.length || report.summary.failed) return { ok: false, note: `${report.summary.files} of ${files.length} files, ${report.summary.failed} failed` };
  return { ok: true, note: `${files.length} files` };
};

const SQUAWK_VERSION = '2.66.0';
const PLS_VERSION = '0.25.5';
const PLS_PLATFORM: Record<string, string> = { 'linux-x64': 'x86_64-linux-gnu', 'linux-arm64': 'aarch64-linux-gnu', 'darwin-x64': 'x86_64-apple-darwin', 'darwin-arm64': 'aarch64-apple-darwin' };

/** squawk's native binary (not its Node wrapper, so no Node start-up is counted), JSON reporter. */
export function squawk(): Peer {
  const name = `squawk ${SQUAWK_VERSION}`;
  const path = install('squawk-cli', SQUAWK_VERSION, `@squawk-cli/${process.platform}-${process.arch}/bin/squawk`);
  if (typeof path !== 'string') return { name, ...path };
  return {
    name,
    version: spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout.trim(),
    cmd: path,
    args: (files) => ['--reporter', 'json', ...files],
    validate: validateSquawkRun,
  };
}

/** The Postgres Language Server's CLI, `check --disable-db`, every diagnostic as JSON (its summary says how many files it checked). */
export function postgresLanguageServer(): Peer {
  const name = `postgres-language-server ${PLS_VERSION}`;
  const platform = PLS_PLATFORM[`${process.platform}-${process.arch}`] ?? 'unsupported';
  const path = install('@postgres-language-server/cli', PLS_VERSION, `@postgres-language-server/cli-${platform}/postgres-language-server`);
  if (typeof path !== 'string') return { name, ...path };
  return {
    name,
    version: `postgres-language-server ${spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout.replace(/^Version:\s*/, '').trim()}`,
    cmd: path,
    args: (files) => ['check', '--disable-db', '--max-diagnostics=none', '--reporter=json', ...files],
    validate: validatePlsRun,
  };
}

/** pgvet's bundled CLI, JSON format; its summary counts the files linted and those it could not read. */
export function pgvet(cli: string, extra: string[] = []): Tool {
  return {
    name: ['pgvet', ...extra].join(' '),
    version: ['pgvet', ...extra].join(' '),
    cmd: process.execPath,
    args: (files) => [cli, 'lint', '--format', 'json', ...extra, ...files],
    validate: validatePgvetRun,
  };
}

/**
 * pgvet with its cache warm: every run reads the cache the warm-up round wrote (nothing changed in between), in a
 * folder of its own. Cold runs are `pgvet(cli, ['--no-cache'])`.
 */
export function pgvetWarm(cli: string, cacheDir: string): Tool {
  return { ...pgvet(cli, ['--cache-dir', cacheDir]), name: 'pgvet warm', version: 'pgvet warm (cache)', variant: true };
}
