import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { findMigrationSets, configuredApplied, OverlayFileSystem, Workspace, WorkspaceIndex, nodeDirectoryView } from '../../../core/src';
import type { LayoutId, GitBase, DirectoryView } from '../../../core/src';
import { configLookup, lintFile, type FileReport } from './lint-files';
import { runCache, type RunCache } from './run-cache';

/**
 * A unit of CLI work: a whole migration history (its files share one catalog, so one worker lints them
 * all), or a batch of files that belong to no history.
 */
export type WorkUnit = { kind: 'history'; dir: string; layout: LayoutId; paths: string[] } | { kind: 'files'; paths: string[] };

const BATCH = 32;

/** Splits the files to lint into histories (found under the folders given, through `disk`) and batches of the rest. */
export function planWork(paths: string[], files: string[], disk: DirectoryView = nodeDirectoryView): WorkUnit[] {
  const units: WorkUnit[] = [];
  const inHistory = new Set<string>();
  const wanted = new Set(files);
  for (const p of paths) {
    const dir = resolve(p);
    // A file to lint is a regular file (collectFiles checked): no second stat for each of thousands of files named.
    if (wanted.has(dir)) continue;
    try {
      if (!statSync(dir).isDirectory()) continue;
    } catch {
      continue;
    }
    for (const set of findMigrationSets(dir, disk)) {
      // Separate down files go with their history too: they are applied or pending with their up migration.
      const members = set.migrations.flatMap((m) => (m.downPath ? [m.path, m.downPath] : [m.path])).filter((m) => wanted.has(m) && !inHistory.has(m));
      if (members.length === 0) continue;
      members.forEach((m) => inHistory.add(m));
      units.push({ kind: 'history', dir: set.dir, layout: set.layout, paths: members });
    }
  }
  // A Prisma schema goes with the history of the migrations folder beside it, whose catalog it is checked against.
  const byDir = new Map(units.flatMap((u) => (u.kind === 'history' ? [[resolve(u.dir), u] as const] : [])));
  for (const f of files) {
    if (!/\.prisma$/i.test(f) || inHistory.has(f)) continue;
    const dir = dirname(resolve(f));
    const unit = byDir.get(join(dir, 'migrations')) ?? byDir.get(join(dirname(dir), 'migrations'));
    if (unit?.kind !== 'history') continue;
    unit.paths.push(f);
    inHistory.add(f);
  }
  units.push(...looseBatches(files.filter((f) => !inHistory.has(f))));
  return units;
}

/**
 * The files of no history in batches of about BATCH, each file's batch chosen by a hash of its path among a power
 * of two of them: a file added or removed changes its own batch only (a kept result is per batch), until the count
 * crosses a power of two. Batches of consecutive files made every batch after an added file miss the cache.
 */
function looseBatches(files: string[]): WorkUnit[] {
  const count = 2 ** Math.ceil(Math.log2(Math.max(1, files.length / BATCH)));
  const batches: string[][] = Array.from({ length: count }, () => []);
  for (const f of files) batches[pathHash(f) % count].push(f);
  return batches.filter((b) => b.length > 0).map((paths) => ({ kind: 'files', paths }));
}

/** FNV-1a of the path's UTF-16 units: stable across runs and machines, cheap, and spread enough for batching. */
function pathHash(path: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export interface UnitResult {
  reports: FileReport[];
  /** Why some migrations could not be told applied or pending (said once on stderr). */
  problems: string[];
}

/**
 * Runs one unit (in a worker or in-process); `base` is the git ref of `--since`, resolved once per run; `cache` is
 * the run's (the units of one run share what was read).
 */
export function runUnit(unit: WorkUnit, config?: string, base?: GitBase, cache: RunCache = runCache()): UnitResult {
  const lookup = configLookup(config, cache);
  if (unit.kind === 'files') {
    const workspace = new Workspace(cache.disk);
    return { reports: unit.paths.map((p) => lintFile(p, lookup, workspace)), problems: [] };
  }
  const files = new OverlayFileSystem(cache.disk);
  const index = new WorkspaceIndex([unit.dir], files, () => [{ path: unit.dir, layout: unit.layout }]);
  const workspace = new Workspace(files, () => index);
  index.build();
  index.focusAll();
  index.setAppliedSource({
    configured(set) {
      const first = set.migrations[0]?.path;
      if (!first) return undefined;
      const { config: resolved, loaded } = lookup.forFile(first);
      return configuredApplied(resolved.project, loaded?.path, set.dir);
    },
    gitBase: () => base,
  });
  const reports = unit.paths.map((p) => lintFile(p, lookup, workspace));
  const problems = index.appliedProblems();
  // Its texts are not asked for again: another history reading one of them only reads it afresh.
  cache.disk.forget(unit.dir);
  return { reports, problems };
}
