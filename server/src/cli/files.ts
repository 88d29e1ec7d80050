import { accessSync, constants, readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import type { NotUtf8 } from '../../../core/src';

export const LINTABLE = new Set(['.sql', '.prisma']);
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', '.vscode-test']);

export interface Collected {
  files: string[];
  /** Paths given on the command line that cannot be read, with the reason. */
  unreadable: { path: string; reason: string }[];
}

function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': return 'permission denied';
    case 'ENOTDIR': return 'not a directory';
    case 'ENOTREG': return 'not a regular file';
    default: return err.message ?? String(e);
  }
}

/** Expands files and folders (recursively) into the lintable files under them, sorted. */
export function collectFiles(paths: string[], exclude: (path: string) => boolean = () => false): Collected {
  const files = new Set<string>();
  const unreadable: Collected['unreadable'] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      unreadable.push({ path: dir, reason: describe(e) });
      return;
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (exclude(full)) continue;
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(full);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && LINTABLE.has(extname(entry.name).toLowerCase())) {
        add(full, full);
      }
    }
  };
  // A file pgvet would lint but cannot read is said (and makes the exit code 2), never skipped in silence.
  const add = (path: string, shown: string, stats?: Stats) => {
    try {
      if (!(stats ?? statSync(path)).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTREG' });
      accessSync(path, constants.R_OK);
      files.add(path);
    } catch (e) {
      unreadable.push({ path: shown, reason: describe(e) });
    }
  };
  for (const p of paths) {
    const abs = resolve(p);
    try {
      const st = statSync(abs);
      if (st.isDirectory()) walk(abs);
      else add(abs, p, st); // named explicitly: lint it whatever its extension (stat'ed once, not twice)
    } catch (e) {
      unreadable.push({ path: p, reason: describe(e) });
    }
  }
  return { files: [...files].sort(), unreadable };
}

/**
 * Reads a file as UTF-8, or as Windows-1252 when it is not valid UTF-8 (old dumps, regression files), saying
 * where the UTF-8 stopped (`notUtf8`, reported as one finding): a Windows-1252 byte is one character, so the
 * byte's offset is its offset in the text.
 */
// One decoder for every file (making one per file showed in profiles); a call without `stream` starts afresh, even after one that threw.
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function readSqlFile(path: string): { text: string; encoding: 'utf-8' | 'windows-1252'; notUtf8?: NotUtf8 } {
  const bytes = readFileSync(path);
  try {
    return { text: utf8.decode(bytes).replace(/^\uFEFF/, ''), encoding: 'utf-8' };
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const notUtf8 = offset < 0 ? undefined : { offset, byte: bytes[offset], readAs: 'Windows-1252' };
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252', notUtf8 };
  }
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const len = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0 || i + len > bytes.length) return i;
    // The second byte's range excludes overlong forms, surrogates and code points past U+10FFFF.
    const lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    if (bytes[i + 1] < lo || bytes[i + 1] > hi) return i;
    for (let k = 2; k < len; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    i += len;
  }
  return -1;
}
