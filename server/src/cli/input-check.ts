import fs from 'node:fs';
import { createHash } from 'node:crypto';

/**
 * What a cached result was computed from, and the check that it still reads the same. No core import: the CLI's
 * start (cli.ts) checks a whole run's inputs with this before it loads the engine.
 */
export interface UnitInputs {
  /** Each file's bytes as a sha256, or "absent". */
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
  /** What accessSync(path, R_OK) said (the CLI's file walk). */
  readable?: Record<string, boolean>;
}

export const ABSENT = 'absent';
/**
 * The file system functions as loaded, before any recording swaps them (unit-inputs.ts): checks, and the cache's
 * own reads and writes, use these, so they are never recorded as inputs of the run they serve.
 */
export const realFs = {
  readFileSync: fs.readFileSync,
  readdirSync: fs.readdirSync,
  existsSync: fs.existsSync,
  statSync: fs.statSync,
  realpathSync: fs.realpathSync,
  accessSync: fs.accessSync,
};
export const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

export const emptyInputs = (): UnitInputs => ({ files: {}, dirs: {}, exists: {}, kinds: {}, realpaths: {}, readable: {} });

type Dirent = { name: string; isDirectory(): boolean };
export const listing = (how: 'view' | 'typed' | 'names', entries: (string | Dirent | { name: string; isDirectory: boolean })[]) =>
  `${how}:` +
  entries
    .map((e) => (typeof e === 'string' ? e : `${(typeof e.isDirectory === 'function' ? e.isDirectory() : e.isDirectory) ? 'd' : 'f'}:${e.name}`))
    .sort()
    .join('\n');

function listingNow(dir: string, how: string): string {
  try {
    if (how === 'names') return listing('names', realFs.readdirSync(dir));
    return listing(how === 'view' ? 'view' : 'typed', realFs.readdirSync(dir, { withFileTypes: true }));
  } catch {
    return how === 'view' ? listing('view', []) : ABSENT;
  }
}

export function kindOf(path: string): string {
  try {
    const st = realFs.statSync(path);
    return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
  } catch {
    return ABSENT;
  }
}

export function bytesHash(path: string): string {
  try {
    return sha256(realFs.readFileSync(path));
  } catch {
    return ABSENT;
  }
}

export function readableNow(path: string): boolean {
  try {
    realFs.accessSync(path, fs.constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * A file as the checks see it, from one open: its bytes' hash, its kind and whether it can be read. A run's
 * inputs name each linted file three times (the walk's stat and read check, the lint's read); opening it once
 * instead of stat + access + read took a third off checking a corpus run.
 */
function fileNow(path: string): { hash: string; kind: string } | undefined {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return undefined;
    return { hash: sha256(realFs.readFileSync(fd)), kind: 'file' };
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/** Whether every input reads the same as when it was recorded (a file re-read and re-hashed, a folder re-listed). */
export function inputsUnchanged(inputs: UnitInputs): boolean {
  // The regular files opened and read for the `files` check answer `kinds` and `readable` for the same paths.
  const opened = new Set<string>();
  for (const [path, hash] of Object.entries(inputs.files)) {
    if (hash === ABSENT) {
      if (bytesHash(path) !== ABSENT) return false;
      continue;
    }
    const now = fileNow(path);
    if (now) opened.add(path);
    if ((now ? now.hash : bytesHash(path)) !== hash) return false;
  }
  for (const [dir, recorded] of Object.entries(inputs.dirs)) if (listingNow(dir, recorded.slice(0, recorded.indexOf(':'))) !== recorded) return false;
  for (const [path, existed] of Object.entries(inputs.exists)) if (realFs.existsSync(path) !== existed) return false;
  for (const [path, kind] of Object.entries(inputs.kinds)) if ((opened.has(path) ? 'file' : kindOf(path)) !== kind) return false;
  for (const [path, real] of Object.entries(inputs.realpaths)) {
    let now: string;
    try {
      now = realFs.realpathSync(path);
    } catch {
      now = ABSENT;
    }
    if (now !== real) return false;
  }
  for (const [path, readable] of Object.entries(inputs.readable ?? {})) if ((opened.has(path) || readableNow(path)) !== readable) return false;
  return true;
}

/**
 * Adds `from` to `into` (a run's inputs gathered from its units); false when the two disagree about one input (a
 * file that changed between two reads of the run): such a run is not kept.
 */
export function mergeInputs(into: UnitInputs, from: UnitInputs): boolean {
  let agree = true;
  for (const field of ['files', 'dirs', 'exists', 'kinds', 'realpaths', 'readable'] as const) {
    const target = (into[field] ??= {}) as Record<string, string | boolean>;
    for (const [k, v] of Object.entries(from[field] ?? {})) {
      // The same folder listed two ways (through the view and by readdirSync) is two records of one listing.
      const sameWay = field !== 'dirs' || String(target[k]).split(':')[0] === String(v).split(':')[0];
      if (k in target && target[k] !== v && sameWay) agree = false;
      target[k] = v;
    }
  }
  return agree;
}
