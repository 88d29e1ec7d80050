import { unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { realFs } from './input-check';

// realFs: the cache's own reads are never recorded as inputs of the run that prunes (unit-inputs.ts).
const { readdirSync, statSync } = realFs;

/**
 * Keeps the cache folder from growing without end. At most once a day per folder (the time of `last-prune`), a run
 * that wrote entries removes:
 * - entries not used for 30 days (an entry is marked used when a run reads it: its time is set to now),
 * - then, while the folder holds more than 256 MiB of entries, the least recently used ones,
 * - and temporary files older than an hour (a run killed while writing).
 * Safe under concurrent runs: an entry removed while another run reads it is a miss for that run, never a wrong
 * result (entries are whole files, renamed into place); an entry used or rewritten since it was listed is kept.
 */
export const PRUNE = { everyMs: 86_400_000, unusedMs: 30 * 86_400_000, maxBytes: 256 * 1024 * 1024, tempMs: 3_600_000 };

const MARKER = 'last-prune';

export function pruneCache(dir: string, now = Date.now()): { removed: number } {
  const marker = join(dir, MARKER);
  try {
    if (now - statSync(marker).mtimeMs < PRUNE.everyMs) return { removed: 0 };
  } catch {
    // never pruned: start the clock, nothing is old yet
    try {
      writeFileSync(marker, '');
    } catch {
      // a folder that cannot be written: nothing to prune either
    }
    return { removed: 0 };
  }
  try {
    // Marked first, so the runs that end meanwhile do not prune too.
    utimesSync(marker, now / 1000, now / 1000);
  } catch {
    return { removed: 0 };
  }
  const entries: { path: string; mtimeMs: number; size: number }[] = [];
  let removed = 0;
  const remove = (path: string, seenMtime: number) => {
    try {
      // Used or rewritten since it was listed: keep it.
      if (statSync(path).mtimeMs !== seenMtime) return false;
      unlinkSync(path);
      removed++;
      return true;
    } catch {
      return false;
    }
  };
  let folders: string[];
  try {
    folders = readdirSync(dir).filter((f) => /^[0-9a-f]{2}$/.test(f));
  } catch {
    return { removed: 0 };
  }
  for (const folder of folders) {
    let names: string[];
    try {
      names = readdirSync(join(dir, folder));
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join(dir, folder, name);
      let st;
      try {
        st = statSync(path);
      } catch {
        continue;
      }
      if (name.endsWith('.tmp')) {
        if (now - st.mtimeMs > PRUNE.tempMs) remove(path, st.mtimeMs);
      } else if (name.endsWith('.json')) {
        if (now - st.mtimeMs > PRUNE.unusedMs) remove(path, st.mtimeMs);
        else entries.push({ path, mtimeMs: st.mtimeMs, size: st.size });
      }
    }
  }
  const maxBytes = Number(process.env.PGVET_CACHE_MAX_BYTES) || PRUNE.maxBytes;
  let total = entries.reduce((n, e) => n + e.size, 0);
  entries.sort((a, b) => a.mtimeMs - b.mtimeMs);
  for (const e of entries) {
    if (total <= maxBytes) break;
    if (remove(e.path, e.mtimeMs)) total -= e.size;
  }
  return { removed };
}
