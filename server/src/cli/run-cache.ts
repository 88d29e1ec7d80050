import { existsSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { nodeDirectoryView, CONFIG_FILE_NAME } from '../../../core/src';
import type { DirectoryView } from '../../../core/src';

/**
 * The disk as one CLI run sees it: each file read and each folder listed once. The history search, every
 * layout's detection, the workspace index and the rules all ask for the same files again (a corpus run read each
 * migration five times and each metadata.toml on every read). A run is short and the disk is taken as still
 * while it lasts; the language server keeps reading through nodeDirectoryView.
 */
/** Characters of file text a run keeps (the corpus is 30 MB; one history rarely more than a few). */
const TEXT_BUDGET = 8_000_000;

export function cachedDirectoryView(disk: DirectoryView = nodeDirectoryView): DirectoryView & { forget(dir: string): void } {
  const texts = new Map<string, string | undefined>();
  const listings = new Map<string, { name: string; isDirectory: boolean }[]>();
  let held = 0;
  const drop = (path: string) => {
    held -= texts.get(path)?.length ?? 0;
    texts.delete(path);
  };
  return {
    /** Drops the texts of the files under `dir` (a history linted). */
    forget(dir) {
      const prefix = dir.endsWith(sep) ? dir : dir + sep;
      for (const path of [...texts.keys()]) if (path.startsWith(prefix)) drop(path);
    },
    readFile(path) {
      if (texts.has(path)) return texts.get(path);
      const text = disk.readFile(path);
      texts.set(path, text);
      held += text?.length ?? 0;
      // Oldest first past the budget: holding every text of a whole corpus raised the peak by 50 MB.
      for (const oldest of texts.keys()) {
        if (held <= TEXT_BUDGET || oldest === path) break;
        drop(oldest);
      }
      return text;
    },
    list(dir) {
      let entries = listings.get(dir);
      if (!entries) listings.set(dir, (entries = disk.list(dir)));
      return entries;
    },
  };
}

/** What one CLI run remembers of the disk: file texts and folder listings, and where each folder's pgvet.json is. */
export interface RunCache {
  disk: DirectoryView & { forget(dir: string): void };
  /** The nearest pgvet.json at or above `dir` (what findConfigFile answers). */
  nearestConfigFile(dir: string): string | undefined;
}

/**
 * A new cache for one run (a worker thread keeps one for the run it serves). The pgvet.json search is remembered
 * for every folder on the way up: 3,700 files under a handful of folders asked 36,000 times whether /pgvet.json
 * exists.
 */
export function runCache(disk: DirectoryView = nodeDirectoryView): RunCache {
  const configByDir = new Map<string, string | undefined>();
  const nearestConfigFile = (dir: string): string | undefined => {
    const abs = resolve(dir);
    if (configByDir.has(abs)) return configByDir.get(abs);
    const candidate = join(abs, CONFIG_FILE_NAME);
    const parent = dirname(abs);
    const found = existsSync(candidate) ? candidate : parent === abs ? undefined : nearestConfigFile(parent);
    configByDir.set(abs, found);
    return found;
  };
  return { disk: cachedDirectoryView(disk), nearestConfigFile };
}
