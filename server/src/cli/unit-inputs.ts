import fs from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CONFIG_FILE_NAME } from '../../../core/src';
import type { RunCache } from './run-cache';
import { ABSENT, bytesHash, emptyInputs, listing, realFs, sha256, type UnitInputs } from './input-check';

export { inputsUnchanged, type UnitInputs } from './input-check';

export interface Recorded<T> {
  value: T;
  inputs: UnitInputs;
  /** False when the result depends on something not recorded: a file that changed while it was read, a file named by descriptor. */
  cacheable: boolean;
  /** When the unit read the clock: the time it was stopped at (see clock-stamps.ts). */
  clock?: number;
}

type Fn = (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any

interface FsRecording {
  inputs: UnitInputs;
  /** Texts read through fs.readFileSync with an encoding, by path. */
  texts: Map<string, string>;
  /** False once something was read that cannot be recorded. */
  cacheable: boolean;
  /** Puts back the functions that were in place before (another recording's, or node's). */
  restore(): void;
}

/**
 * Swaps node:fs's readFileSync, readdirSync, existsSync, statSync, realpathSync and accessSync for ones that record
 * what they answer. Core reads some files directly (the Prisma schema search, git's working-tree comparison,
 * pgvet.json, the CLI's own readSqlFile) and keeps module-level memos, so recording only the DirectoryView would
 * miss inputs. The recording functions call node's own, so a recording inside another (a unit inside a run) is
 * seen by the inner one only; the run adds its units' inputs itself.
 */
function recordFs(): FsRecording {
  const inputs = emptyInputs();
  const texts = new Map<string, string>();
  const mutable = fs as unknown as Record<string, Fn>;
  const real = realFs as unknown as Record<string, Fn>;
  const previous = { readFileSync: mutable.readFileSync, readdirSync: mutable.readdirSync, existsSync: mutable.existsSync, statSync: mutable.statSync, realpathSync: mutable.realpathSync, accessSync: mutable.accessSync };
  const rec: FsRecording = { inputs, texts, cacheable: true, restore: () => Object.assign(mutable, previous) };

  mutable.readFileSync = (path: unknown, options?: unknown) => {
    if (typeof path !== 'string') {
      // A descriptor, Buffer or URL: not recorded, so the result is not kept.
      rec.cacheable = false;
      return real.readFileSync(path, options);
    }
    let bytes: Buffer;
    try {
      bytes = real.readFileSync(path);
    } catch (e) {
      inputs.files[path] ??= ABSENT;
      throw e;
    }
    inputs.files[path] = sha256(bytes);
    const encoding = typeof options === 'string' ? options : (options as { encoding?: BufferEncoding } | undefined)?.encoding;
    if (!encoding) return bytes;
    // What readFileSync(path, encoding) does, from the bytes that were hashed.
    const text = bytes.toString(encoding as BufferEncoding);
    texts.set(path, text);
    return text;
  };
  mutable.readdirSync = (dir: unknown, options?: unknown) => {
    try {
      const entries = real.readdirSync(dir, options) as (string | { name: string; isDirectory(): boolean })[];
      const opts = typeof options === 'object' && options !== null ? (options as { withFileTypes?: boolean; recursive?: boolean }) : {};
      const how = opts.withFileTypes ? 'typed' : 'names';
      const plain = entries.every((e) => (how === 'typed' ? typeof e !== 'string' : typeof e === 'string'));
      // A recursive or Buffer listing is not one this file knows how to check again.
      if (typeof dir === 'string' && !opts.recursive && plain) inputs.dirs[dir] = listing(how, entries);
      else rec.cacheable = false;
      return entries;
    } catch (e) {
      if (typeof dir === 'string') inputs.dirs[dir] = ABSENT;
      throw e;
    }
  };
  mutable.existsSync = (path: unknown) => {
    const answer = real.existsSync(path) as boolean;
    if (typeof path === 'string') inputs.exists[path] = answer;
    else rec.cacheable = false;
    return answer;
  };
  mutable.statSync = (path: unknown, options?: unknown) => {
    if (typeof path !== 'string') {
      rec.cacheable = false;
      return real.statSync(path, options);
    }
    let st: fs.Stats | undefined;
    try {
      st = real.statSync(path, options) as fs.Stats | undefined; // undefined with throwIfNoEntry: false
    } finally {
      const kind = !st ? ABSENT : st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
      inputs.kinds[path] = kind;
      // The stat's times and size are not recorded, the file's bytes are: schema-owner.ts answers from its memo when the stat matches.
      if (kind === 'file') inputs.files[path] ??= bytesHash(path);
    }
    return st;
  };
  mutable.realpathSync = (path: unknown, options?: unknown) => {
    try {
      const answer = real.realpathSync(path, options);
      if (typeof path === 'string') inputs.realpaths[path] = String(answer);
      else rec.cacheable = false;
      return answer;
    } catch (e) {
      if (typeof path === 'string') inputs.realpaths[path] = ABSENT;
      throw e;
    }
  };
  mutable.accessSync = (path: unknown, mode?: unknown) => {
    // Only the read check (the CLI's file walk) is recorded; any other question is not kept.
    if (typeof path !== 'string' || mode !== fs.constants.R_OK) rec.cacheable = false;
    try {
      real.accessSync(path, mode);
      if (typeof path === 'string') inputs.readable![path] = true;
    } catch (e) {
      if (typeof path === 'string') inputs.readable![path] = false;
      throw e;
    }
  };
  return rec;
}

/**
 * Records what the main thread of a CLI run reads from now until `stop` (the file walk, the histories' search,
 * pgvet.json, baselines), across awaits: nothing else runs in the CLI's process meanwhile. See run-entry.ts.
 */
export function recordRun(): { stop(): { inputs: UnitInputs; cacheable: boolean } } {
  const rec = recordFs();
  return {
    stop() {
      rec.restore();
      return { inputs: rec.inputs, cacheable: rec.cacheable };
    },
  };
}

/**
 * Runs `run` (synchronous: a work unit) with a view of `cache` that records what it hands out, and with the file
 * system calls (recordFs) and the clock recorded too (the clock stopped at the unit's start), put back after,
 * whatever happens. The run is synchronous, so nothing else runs on this thread meanwhile.
 */
export function recordInputs<T>(cache: RunCache, run: (cache: RunCache) => T): Recorded<T> {
  const rec = recordFs();
  const { inputs, texts: textRead } = rec;
  const real = realFs;

  // A fix that creates a migration names it after the current second: the clock is stopped at the unit's start
  // while it runs, so its result names one time, which a later run can replace with its own (clock-stamps.ts).
  const RealDate = globalThis.Date;
  const started = RealDate.now();
  let clock: number | undefined;
  globalThis.Date = new Proxy(RealDate, {
    construct(target, args, newTarget) {
      if (args.length > 0) return Reflect.construct(target, args, newTarget);
      clock = started;
      return Reflect.construct(target, [started], newTarget);
    },
    apply() {
      clock = started;
      return new RealDate(started).toString();
    },
    get(target, prop, receiver) {
      if (prop === 'now') return () => (clock = started);
      return Reflect.get(target, prop, receiver);
    },
  });

  const seen: RunCache = {
    disk: {
      readFile(path) {
        const text = cache.disk.readFile(path);
        if (text === undefined) inputs.files[path] ??= ABSENT;
        else if (textRead.get(path) !== text) {
          // Handed out from the run's memory (read before this unit): hash the bytes now, and keep the result only
          // when they still decode to the text the unit got.
          let bytes: Buffer | undefined;
          try {
            bytes = real.readFileSync(path) as Buffer;
          } catch {
            bytes = undefined;
          }
          if (!bytes || bytes.toString('utf8') !== text) rec.cacheable = false;
          else inputs.files[path] = sha256(bytes);
        }
        return text;
      },
      list(dir) {
        const entries = cache.disk.list(dir);
        // The view lists an unreadable folder as empty: checked the same way next time.
        inputs.dirs[dir] = listing('view', entries);
        return entries;
      },
      forget: (dir) => cache.disk.forget(dir),
    },
    nearestConfigFile(dir) {
      const found = cache.nearestConfigFile(dir);
      // The run remembers the answer per folder: record the folders it looked in on the way up.
      for (let d = resolve(dir); ; d = dirname(d)) {
        const candidate = join(d, CONFIG_FILE_NAME);
        inputs.exists[candidate] = candidate === found;
        if (candidate === found || dirname(d) === d) break;
      }
      return found;
    },
  };

  try {
    const value = run(seen);
    return { value, inputs, cacheable: rec.cacheable, clock };
  } finally {
    rec.restore();
    globalThis.Date = RealDate;
  }
}
