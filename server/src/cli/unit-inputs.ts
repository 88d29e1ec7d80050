import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { CONFIG_FILE_NAME } from '../../../core/src';
import type { RunCache } from './run-cache';

/**
 * Everything a work unit read, so a later run can tell whether its result still holds: each file's bytes (as a
 * sha256, or "absent"), each folder's entries, what existence and stat checks answered, each real path. A result
 * is reused only when every one of them answers the same again.
 */
export interface UnitInputs {
  files: Record<string, string>;
  /**
   * Folder → how it was listed (`view`: through the DirectoryView, which lists a missing folder as empty; `typed`:
   * readdirSync with types; `names`: without) and its sorted entries (`d:name` for folders, `f:name` for the rest), or "absent".
   */
  dirs: Record<string, string>;
  exists: Record<string, boolean>;
  /** What statSync said: file | dir | other | absent. */
  kinds: Record<string, string>;
  realpaths: Record<string, string>;
}

export interface Recorded<T> {
  value: T;
  inputs: UnitInputs;
  /** False when the result depends on something not recorded: a file that changed while it was read, a file named by descriptor. */
  cacheable: boolean;
  /** When the unit read the clock: the time it was stopped at (see clock-stamps.ts). */
  clock?: number;
}

const ABSENT = 'absent';
// The functions themselves, taken before any recording swaps them (the recording ones call these).
const { readFileSync, readdirSync, existsSync, statSync, realpathSync } = fs;
const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

type Dirent = { name: string; isDirectory(): boolean };
const listing = (how: 'view' | 'typed' | 'names', entries: (string | Dirent | { name: string; isDirectory: boolean })[]) =>
  `${how}:` +
  entries
    .map((e) => (typeof e === 'string' ? e : `${(typeof e.isDirectory === 'function' ? e.isDirectory() : e.isDirectory) ? 'd' : 'f'}:${e.name}`))
    .sort()
    .join('\n');

function listingNow(dir: string, how: string): string {
  try {
    if (how === 'names') return listing('names', readdirSync(dir));
    return listing(how === 'view' ? 'view' : 'typed', readdirSync(dir, { withFileTypes: true }));
  } catch {
    return how === 'view' ? listing('view', []) : ABSENT;
  }
}

function kindOf(path: string): string {
  try {
    const st = statSync(path);
    return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
  } catch {
    return ABSENT;
  }
}

function bytesHash(path: string): string {
  try {
    return sha256(readFileSync(path));
  } catch {
    return ABSENT;
  }
}

/** Whether every input reads the same as when it was recorded (a file re-read and re-hashed, a folder re-listed). */
export function inputsUnchanged(inputs: UnitInputs): boolean {
  for (const [path, hash] of Object.entries(inputs.files)) if (bytesHash(path) !== hash) return false;
  for (const [dir, recorded] of Object.entries(inputs.dirs)) if (listingNow(dir, recorded.slice(0, recorded.indexOf(':'))) !== recorded) return false;
  for (const [path, existed] of Object.entries(inputs.exists)) if (existsSync(path) !== existed) return false;
  for (const [path, kind] of Object.entries(inputs.kinds)) if (kindOf(path) !== kind) return false;
  for (const [path, real] of Object.entries(inputs.realpaths)) {
    let now: string;
    try {
      now = realpathSync(path);
    } catch {
      now = ABSENT;
    }
    if (now !== real) return false;
  }
  return true;
}

type Fn = (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Runs `run` (synchronous: a work unit) with a view of `cache` that records what it hands out, and with the file
 * system calls and the clock recorded too (the clock stopped at the unit's start). Core reads some files directly (the Prisma schema search, git's
 * working-tree comparison, pgvet.json, the CLI's own readSqlFile) and keeps module-level memos, so recording
 * only the view would miss inputs; the node:fs functions are swapped for recording ones while `run` lasts and put
 * back after, whatever happens. The run is synchronous, so nothing else runs on this thread meanwhile.
 */
export function recordInputs<T>(cache: RunCache, run: (cache: RunCache) => T): Recorded<T> {
  const inputs: UnitInputs = { files: {}, dirs: {}, exists: {}, kinds: {}, realpaths: {} };
  let cacheable = true;
  // Texts seen through fs.readFileSync in this unit, so the view's copy of the same text needs no second read.
  const textRead = new Map<string, string>();
  const mutable = fs as unknown as Record<string, Fn>;
  const real = { readFileSync, readdirSync, existsSync, statSync, realpathSync } as Record<string, Fn>;

  mutable.readFileSync = (path: unknown, options?: unknown) => {
    if (typeof path !== 'string') {
      // A descriptor, Buffer or URL: not recorded, so the result is not kept.
      cacheable = false;
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
    textRead.set(path, text);
    return text;
  };
  mutable.readdirSync = (dir: unknown, options?: unknown) => {
    try {
      const entries = real.readdirSync(dir, options) as (string | Dirent)[];
      const opts = typeof options === 'object' && options !== null ? (options as { withFileTypes?: boolean; recursive?: boolean }) : {};
      const how = opts.withFileTypes ? 'typed' : 'names';
      const plain = entries.every((e) => (how === 'typed' ? typeof e !== 'string' : typeof e === 'string'));
      // A recursive or Buffer listing is not one this file knows how to check again.
      if (typeof dir === 'string' && !opts.recursive && plain) inputs.dirs[dir] = listing(how, entries);
      else cacheable = false;
      return entries;
    } catch (e) {
      if (typeof dir === 'string') inputs.dirs[dir] = ABSENT;
      throw e;
    }
  };
  mutable.existsSync = (path: unknown) => {
    const answer = real.existsSync(path) as boolean;
    if (typeof path === 'string') inputs.exists[path] = answer;
    else cacheable = false;
    return answer;
  };
  mutable.statSync = (path: unknown, options?: unknown) => {
    if (typeof path !== 'string') {
      cacheable = false;
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
      else cacheable = false;
      return answer;
    } catch (e) {
      if (typeof path === 'string') inputs.realpaths[path] = ABSENT;
      throw e;
    }
  };

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
          if (!bytes || bytes.toString('utf8') !== text) cacheable = false;
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
    return { value, inputs, cacheable, clock };
  } finally {
    Object.assign(mutable, real);
    globalThis.Date = RealDate;
  }
}
