import { mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { GitBase } from '../../../core/src';
import { inputsUnchanged, recordInputs, type UnitInputs } from './unit-inputs';
import { laterThan, restamp } from './clock-stamps';
import { runUnit, type UnitResult, type WorkUnit } from './work';
import type { RunCache } from './run-cache';

/**
 * The CLI's cache across runs: one entry per work unit, holding its reports (before the baseline and the format)
 * with every input it read (see unit-inputs.ts). An entry is used only when its key matches — pgvet's version,
 * this very build, Node's major version, the folder the run started in, the unit, `--config` and the `--since`
 * commit — and every recorded input reads the same again. Anything else (a corrupt, truncated or foreign file,
 * an input that changed) is a miss, and the unit's new result replaces the entry.
 */

/** Bump when the entry's layout or the meaning of its inputs changes. */
const FORMAT = 1;

export interface RecordedResult extends UnitResult {
  /** Set when the unit ran recorded and its result may be kept. */
  inputs?: UnitInputs;
  /** When it read the clock: the time the clock was stopped at. */
  clock?: number;
}

/** Runs a unit recording what it reads (in a worker or in-process): the inputs come back with the result when it may be kept. */
export function runUnitRecorded(unit: WorkUnit, config: string | undefined, base: GitBase | undefined, cache: RunCache): RecordedResult {
  const { value, inputs, cacheable, clock } = recordInputs(cache, (seen) => runUnit(unit, config, base, seen));
  if (!cacheable) return value;
  // A history with a version at or after now names new migrations after it, not after the clock: not kept.
  if (clock !== undefined && laterThan([...Object.keys(inputs.files), ...Object.values(inputs.dirs)], clock)) return value;
  return { ...value, inputs, ...(clock === undefined ? {} : { clock }) };
}

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
 * What identifies the running build: a hash of the bundle (dev builds all say version "dev", and a rebuild with
 * other rules must not reuse a result). Hashing the 1 MB bundle costs a few milliseconds per run.
 */
function buildIdentity(): string {
  const hash = createHash('sha256');
  for (const file of [__filename, join(__dirname, 'lint-worker.js')]) {
    try {
      hash.update(readFileSync(file));
    } catch {
      hash.update('-');
    }
  }
  return hash.digest('hex');
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export interface CacheStats {
  units: number;
  fromCache: number;
  written: number;
  dir: string;
}

export class UnitCache {
  readonly stats: CacheStats;
  private readonly identity: string;
  /** One warning per run when entries cannot be written (a read-only folder): the run goes on uncached. */
  private writeFailed = false;

  constructor(readonly dir: string, cwd: string = process.cwd()) {
    this.stats = { units: 0, fromCache: 0, written: 0, dir };
    const node = process.versions.node.split('.')[0];
    this.identity = JSON.stringify({ format: FORMAT, version: process.env.PGVET_VERSION ?? 'dev', build: buildIdentity(), node, platform: process.platform, cwd: resolve(cwd) });
  }

  private keyOf(unit: WorkUnit, config: string | undefined, base: GitBase | undefined): string {
    return sha256(JSON.stringify({ identity: this.identity, unit, config: config && resolve(config), base: base ?? null }));
  }

  private fileOf(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /** The unit's kept result when its entry is sound and every input it read is unchanged; undefined otherwise. */
  lookup(unit: WorkUnit, config: string | undefined, base: GitBase | undefined): UnitResult | undefined {
    this.stats.units++;
    const key = this.keyOf(unit, config, base);
    const entry = readEntry(this.fileOf(key), key, Date.now());
    if (!entry || !inputsUnchanged(entry.inputs)) return undefined;
    this.stats.fromCache++;
    return entry.result;
  }

  /** Keeps a unit's result with its inputs (written to a temporary file and renamed, so a reader never sees half an entry). */
  store(unit: WorkUnit, config: string | undefined, base: GitBase | undefined, result: RecordedResult): string | undefined {
    if (!result.inputs) return undefined;
    const key = this.keyOf(unit, config, base);
    const file = this.fileOf(key);
    const body = JSON.stringify({ inputs: result.inputs, clock: result.clock ?? null, result: { reports: result.reports, problems: result.problems } });
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(temp, `${JSON.stringify({ pgvetCache: FORMAT, key, checksum: sha256(body) })}\n${body}`);
      renameSync(temp, file);
      this.stats.written++;
      return undefined;
    } catch (e) {
      try {
        unlinkSync(temp);
      } catch {
        // never written
      }
      if (this.writeFailed) return undefined;
      this.writeFailed = true;
      return `cannot write the cache in ${this.dir} (${e instanceof Error ? e.message : String(e)}); run with --no-cache or --cache-dir <folder>`;
    }
  }
}

/** An entry: a header line (format, key, checksum of the rest) and the body. Anything that does not check out is undefined. */
function readEntry(file: string, key: string, now: number): { inputs: UnitInputs; result: UnitResult } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const newline = text.indexOf('\n');
  if (newline < 0) return undefined;
  const body = text.slice(newline + 1);
  try {
    const header = JSON.parse(text.slice(0, newline)) as { pgvetCache?: unknown; key?: unknown; checksum?: unknown };
    if (header.pgvetCache !== FORMAT || header.key !== key || header.checksum !== sha256(body)) return undefined;
    const parsed = JSON.parse(body) as { inputs: UnitInputs; clock: number | null; result: UnitResult };
    if (typeof parsed.clock === 'number') {
      // A result that named new migrations after its time, renamed after this run's (a clock set back: run again).
      if (now < parsed.clock) return undefined;
      parsed.result = JSON.parse(restamp(JSON.stringify(parsed.result), parsed.clock, now));
    }
    return parsed.inputs && parsed.result && Array.isArray(parsed.result.reports) && Array.isArray(parsed.result.problems) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
