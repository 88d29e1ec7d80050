import { emptyCatalog, type Catalog } from './model';
import { applyFile } from './replay';
import { snapshotCatalog } from './snapshot';
import type { HistoryFile } from './history-file';

/** One migration of a history with the schema before and after it (copy-on-write snapshots: read them, never change them). */
export interface HistoryStep {
  file: HistoryFile;
  before: Catalog;
  after: Catalog;
}

export interface HistoryReplay {
  catalog: Catalog;
  steps: HistoryStep[];
  /** The catalog before migration i, for every i that is a multiple of `CHECKPOINT_EVERY` (snapshots). */
  checkpoints: Map<number, Catalog>;
}

/** Where a replay can start again: the checkpoint before migration `from`, and the steps of the migrations before it. */
export interface ReplayResume {
  from: number;
  catalog: Catalog;
  steps: HistoryStep[];
  checkpoints: Map<number, Catalog>;
}

/** An edit to migration k replays from the checkpoint at or before k, not from the start. */
export const CHECKPOINT_EVERY = 32;

/**
 * Replays a history once, keeping a snapshot of the catalog before and after each migration that `needs` picks
 * (the rules say which: see `Rule.historySteps`), so those rules share the one replay that builds the catalog
 * instead of each making its own. Migrations nobody needs cost no snapshot. With `resume`, the migrations before
 * `resume.from` are not replayed again.
 */
export function replayHistory(files: Iterable<HistoryFile>, needs: (file: HistoryFile) => boolean = () => true, resume?: ReplayResume): HistoryReplay {
  const list = [...files];
  const start = resume?.from ?? 0;
  // The checkpoint itself stays as it is: it may serve the next resume too.
  const catalog = resume ? snapshotCatalog(resume.catalog) : emptyCatalog();
  const steps: HistoryStep[] = resume ? [...resume.steps] : [];
  const checkpoints = new Map(resume ? [...resume.checkpoints].filter(([i]) => i <= start) : []);
  // A snapshot of the catalog as it is now, while nothing has been applied since it was taken.
  let current: Catalog | undefined = resume?.catalog;
  for (let i = start; i < list.length; i++) {
    const file = list[i];
    if (i % CHECKPOINT_EVERY === 0 && !checkpoints.has(i)) checkpoints.set(i, (current ??= snapshotCatalog(catalog)));
    const before = needs(file) ? (current ??= snapshotCatalog(catalog)) : undefined;
    applyFile(catalog, file.path, file.parsed);
    current = undefined;
    if (!before) continue;
    current = snapshotCatalog(catalog);
    steps.push({ file, before, after: current });
  }
  return { catalog, steps, checkpoints };
}
