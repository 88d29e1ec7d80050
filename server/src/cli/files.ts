import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';

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
      } else if (entry.isFile() && LINTABLE.has(extname(entry.name).toLowerCase())) {
        files.add(full);
      }
    }
  };
  for (const p of paths) {
    const abs = resolve(p);
    try {
      const st = statSync(abs);
      if (st.isDirectory()) walk(abs);
      else files.add(abs); // named explicitly: lint it whatever its extension
    } catch (e) {
      unreadable.push({ path: p, reason: describe(e) });
    }
  }
  return { files: [...files].sort(), unreadable };
}

/** Reads a file as UTF-8, or as Windows-1252 when it is not valid UTF-8 (old dumps, regression files). */
export function readSqlFile(path: string): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  const bytes = readFileSync(path);
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, ''), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}
