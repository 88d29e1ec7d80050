import { resolve } from 'node:path';
import type { GitBase } from '../../../core/src';
import { recordInputs } from './unit-inputs';
import { emptyInputs, inputsUnchanged, mergeInputs, sha256, type UnitInputs } from './input-check';
import { cacheIdentity, entryFile, readEntryBody, touch, writeEntry } from './run-entry';
import { laterThan, restamp } from './clock-stamps';
import { runUnit, type UnitResult, type WorkUnit } from './work';
import type { RunCache } from './run-cache';

export { defaultCacheDir } from './run-entry';

/**
 * The CLI's cache across runs: one entry per work unit, holding its reports (before the baseline and the format)
 * with every input it read (see unit-inputs.ts). An entry is used only when its key matches — pgvet's version,
 * this very build, Node's major version, the folder the run started in, the unit, `--config` and the `--since`
 * commit — and every recorded input reads the same again. Anything else (a corrupt, truncated or foreign file,
 * an input that changed) is a miss, and the unit's new result replaces the entry.
 */

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

export interface CacheStats {
  units: number;
  fromCache: number;
  written: number;
  dir: string;
}

/** What a whole run's entry needs from its units (see run-entry.ts): kept only when every unit was. */
export interface UnitsOfRun {
  inputs: UnitInputs;
  clocks: number[];
  entries: string[];
  complete: boolean;
}

export class UnitCache {
  readonly stats: CacheStats;
  readonly run: UnitsOfRun = { inputs: emptyInputs(), clocks: [], entries: [], complete: true };
  private readonly identity: string;
  /** One warning per run when entries cannot be written (a read-only folder): the run goes on uncached. */
  private writeFailed = false;

  constructor(readonly dir: string, cwd: string = process.cwd()) {
    this.stats = { units: 0, fromCache: 0, written: 0, dir };
    this.identity = cacheIdentity(cwd);
  }

  private keyOf(unit: WorkUnit, config: string | undefined, base: GitBase | undefined): string {
    return sha256(JSON.stringify({ identity: this.identity, unit, config: config && resolve(config), base: base ?? null }));
  }

  private fileOf(key: string): string {
    return entryFile(this.dir, key);
  }

  /** A unit's inputs, clock and entry counted in the run's (see UnitsOfRun). */
  private partOfRun(file: string, inputs: UnitInputs, clock: number | undefined): void {
    if (!mergeInputs(this.run.inputs, inputs)) this.run.complete = false;
    if (clock !== undefined) this.run.clocks.push(clock);
    this.run.entries.push(file);
  }

  /** The unit's kept result when its entry is sound and every input it read is unchanged; undefined otherwise. */
  lookup(unit: WorkUnit, config: string | undefined, base: GitBase | undefined): UnitResult | undefined {
    this.stats.units++;
    const key = this.keyOf(unit, config, base);
    const file = this.fileOf(key);
    const now = Date.now();
    const entry = readEntry(file, key, now);
    if (!entry || !inputsUnchanged(entry.inputs)) return undefined;
    this.stats.fromCache++;
    touch([file]);
    this.partOfRun(file, entry.inputs, entry.restamped ? now : undefined);
    return entry.result;
  }

  /** Keeps a unit's result with its inputs (written to a temporary file and renamed, so a reader never sees half an entry). */
  store(unit: WorkUnit, config: string | undefined, base: GitBase | undefined, result: RecordedResult): string | undefined {
    if (!result.inputs) {
      this.run.complete = false;
      return undefined;
    }
    const key = this.keyOf(unit, config, base);
    const file = this.fileOf(key);
    const body = JSON.stringify({ inputs: result.inputs, clock: result.clock ?? null, result: { reports: result.reports, problems: result.problems } });
    try {
      writeEntry(file, 'unit', key, body);
      this.stats.written++;
      this.partOfRun(file, result.inputs, result.clock);
      return undefined;
    } catch (e) {
      this.run.complete = false;
      if (this.writeFailed) return undefined;
      this.writeFailed = true;
      return `cannot write the cache in ${this.dir} (${e instanceof Error ? e.message : String(e)}); run with --no-cache or --cache-dir <folder>`;
    }
  }
}

/** An entry: a header line (format, key, checksum of the rest) and the body. Anything that does not check out is undefined. */
function readEntry(file: string, key: string, now: number): { inputs: UnitInputs; result: UnitResult; restamped: boolean } | undefined {
  const body = readEntryBody(file, 'unit', key);
  if (body === undefined) return undefined;
  try {
    const parsed = JSON.parse(body) as { inputs: UnitInputs; clock: number | null; result: UnitResult };
    const restamped = typeof parsed.clock === 'number';
    if (typeof parsed.clock === 'number') {
      // A result that named new migrations after its time, renamed after this run's (a clock set back: run again).
      if (now < parsed.clock) return undefined;
      parsed.result = JSON.parse(restamp(JSON.stringify(parsed.result), parsed.clock, now));
    }
    const sound = parsed.inputs && parsed.result && Array.isArray(parsed.result.reports) && Array.isArray(parsed.result.problems);
    return sound ? { ...parsed, restamped } : undefined;
  } catch {
    return undefined;
  }
}
