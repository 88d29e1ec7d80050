import { mkdirSync, renameSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { realFs, sha256, type UnitInputs } from './input-check';
import { LINT_OPTIONS } from './options';

// The cache's own reads are never recorded as inputs of the run they serve (unit-inputs.ts).
const { statSync } = realFs;

/**
 * The cache's folder, its entries' identity, and the entry of a whole `pgvet lint` run. No core import: the CLI's
 * start (cli-start.ts) answers a run that changed nothing from its entry without loading the engine (about 0.1 s
 * of compiling a 1 MB bundle). A run entry holds what the run printed and every input of the run: those the main
 * thread read (the file walk, the histories' search, pgvet.json, baselines) and those of each work unit.
 */

/** Bump when an entry's layout or the meaning of its inputs changes. */
export const FORMAT = 2;

/**
 * node_modules/.cache/pgvet of the nearest node_modules above `cwd`, else $XDG_CACHE_HOME/pgvet, else a folder of
 * the user's in the temp folder — undefined (no cache) when that folder is not the user's alone: in a temp folder
 * others can write to, an entry planted there would be believed.
 */
export function defaultCacheDir(cwd: string): string | undefined {
  for (let d = resolve(cwd); ; d = dirname(d)) {
    try {
      if (statSync(join(d, 'node_modules')).isDirectory()) return join(d, 'node_modules', '.cache', 'pgvet');
    } catch {
      // none here
    }
    if (dirname(d) === d) break;
  }
  if (process.env.XDG_CACHE_HOME) return join(process.env.XDG_CACHE_HOME, 'pgvet');
  const uid = process.getuid?.();
  const dir = join(tmpdir(), `pgvet-cache-${uid ?? userInfo().username}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = statSync(dir);
    return (uid === undefined || st.uid === uid) && (st.mode & 0o022) === 0 ? dir : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What identifies the running build: a hash of its bundles (dev builds all say version "dev", and a rebuild with
 * other rules must not reuse a result), pgvet's version, Node's major version and the platform. The bundles are
 * named relative to this script's folder (dist/).
 */
export function identityOf(bundles: string[]): string {
  const hash = createHash('sha256');
  for (const file of bundles) {
    try {
      hash.update(realFs.readFileSync(join(__dirname, file)));
    } catch {
      hash.update('-');
    }
  }
  return JSON.stringify({ format: FORMAT, version: process.env.PGVET_VERSION ?? 'dev', build: hash.digest('hex'), node: process.versions.node.split('.')[0], platform: process.platform });
}

let identity: string | undefined;
/** The CLI's identity (both its scripts and the workers') and the folder the run started in. */
export function cacheIdentity(cwd: string): string {
  identity ??= identityOf(['cli.js', 'cli-engine.js', 'lint-worker.js']);
  return `${identity}\n${resolve(cwd)}`;
}

/** An entry's file: two hex digits of its key as a folder, so no folder grows past a few thousand entries. */
export const entryFile = (dir: string, key: string) => join(dir, key.slice(0, 2), `${key}.json`);

/**
 * A run whose whole output may come from one entry: `pgvet lint` with the cache on, and nothing that reads more
 * than files and folders — no `--since` (git), no `--write-baseline` (it writes). Its key: the identity, the
 * arguments (less --cache-stats, which only adds a line on stderr) and whether the output is coloured.
 */
export function runPlan(argv: string[], cwd: string): { key: string; dir: string; stats: boolean } | undefined {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: LINT_OPTIONS }));
  } catch {
    return undefined;
  }
  if (positionals[0] !== 'lint' || positionals.length < 2 || values.help || values.version) return undefined;
  // A live database is read afresh every time; --since needs git, --write-baseline writes files.
  if (values['no-cache'] || values.since !== undefined || values['write-baseline'] || values['database-url'] !== undefined) return undefined;
  const dir = values['cache-dir'] ? resolve(values['cache-dir']) : defaultCacheDir(cwd);
  if (dir === undefined) return undefined;
  const color = values.color && !values['no-color'] && process.stdout.isTTY === true && !process.env.NO_COLOR;
  const args = argv.filter((a) => a !== '--cache-stats');
  return { key: sha256(JSON.stringify({ run: cacheIdentity(cwd), args, color })), dir, stats: values['cache-stats'] === true };
}

export interface RunRecord {
  inputs: UnitInputs;
  /** The times whose stamps the output carries (units that read the clock; see clock-stamps.ts). */
  clocks: number[];
  exit: number;
  /** What the run wrote on stderr before and after the --cache-stats line. */
  stderr: [string, string];
  units: number;
  /** The entries of its units, kept fresh (pruning) while the run's entry is used. */
  unitEntries: string[];
  stdout: string;
}

/** Writes `body` as an entry: a header line (format, kind, key, checksum of the rest) and the body, through a temporary file renamed into place. */
export function writeEntry(file: string, kind: 'unit' | 'run' | 'problems', key: string, body: string): void {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(temp, `${JSON.stringify({ pgvetCache: FORMAT, kind, key, checksum: sha256(body) })}\n${body}`);
    renameSync(temp, file);
  } catch (e) {
    try {
      unlinkSync(temp);
    } catch {
      // never written
    }
    throw e;
  }
}

/** An entry's body when its header checks out (format, kind, key, checksum); undefined for anything else. */
export function readEntryBody(file: string, kind: 'unit' | 'run' | 'problems', key: string): string | undefined {
  let text: string;
  try {
    text = realFs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const newline = text.indexOf('\n');
  if (newline < 0) return undefined;
  const body = text.slice(newline + 1);
  try {
    const header = JSON.parse(text.slice(0, newline)) as { pgvetCache?: unknown; kind?: unknown; key?: unknown; checksum?: unknown };
    if (header.pgvetCache !== FORMAT || header.kind !== kind || header.key !== key || header.checksum !== sha256(body)) return undefined;
  } catch {
    return undefined;
  }
  return body;
}

/** The run's entry: a line of JSON (all but stdout), then stdout as it was printed. */
export function storeRun(dir: string, key: string, record: RunRecord): void {
  const { stdout, ...rest } = record;
  writeEntry(entryFile(dir, key), 'run', key, `${JSON.stringify(rest)}\n${stdout}`);
}

export function loadRun(dir: string, key: string): RunRecord | undefined {
  const body = readEntryBody(entryFile(dir, key), 'run', key);
  if (body === undefined) return undefined;
  const newline = body.indexOf('\n');
  try {
    const rest = JSON.parse(body.slice(0, newline)) as Omit<RunRecord, 'stdout'>;
    const sound = rest.inputs && Array.isArray(rest.clocks) && typeof rest.exit === 'number' && Array.isArray(rest.stderr) && Array.isArray(rest.unitEntries);
    return sound ? { ...rest, stdout: body.slice(newline + 1) } : undefined;
  } catch {
    return undefined;
  }
}

/** How fresh "used" needs to be: a run's entry and its units' are marked used at most this often. */
const USE_MARK_MS = 3_600_000;

/** Marks a run's entry and its units' used, unless the run's was marked in the last hour (100+ utimes cost 10 ms). */
export function markRunUsed(dir: string, key: string, unitEntries: string[]): void {
  const file = entryFile(dir, key);
  try {
    if (Date.now() - statSync(file).mtimeMs < USE_MARK_MS) return;
  } catch {
    return;
  }
  touch([...unitEntries, file]);
}

/** Marks entries used now (pruning removes those unused longest); a file gone meanwhile is no matter. */
export function touch(files: string[]): void {
  const now = new Date();
  for (const f of files) {
    try {
      utimesSync(f, now, now);
    } catch {
      // pruned or never written
    }
  }
}
