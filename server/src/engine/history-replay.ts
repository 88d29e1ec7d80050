import { emptyCatalog, type Catalog } from '../catalog/model';
import { applyFile } from '../catalog/replay';
import { snapshotCatalog } from '../catalog/snapshot';
import type { HistoryFile } from './types';

/** One migration of a history with the schema before and after it (copy-on-write snapshots: read them, never change them). */
export interface HistoryStep {
  file: HistoryFile;
  before: Catalog;
  after: Catalog;
}

/**
 * Replays a history once, keeping a snapshot of the catalog before and after each migration that `needs` picks
 * (the rules say which: see `Rule.historySteps`), so those rules share the one replay that builds the catalog
 * instead of each making its own. Migrations nobody needs cost no snapshot.
 */
export function replayHistory(files: Iterable<HistoryFile>, needs: (file: HistoryFile) => boolean = () => true): { catalog: Catalog; steps: HistoryStep[] } {
  const catalog = emptyCatalog();
  const steps: HistoryStep[] = [];
  // A snapshot of the catalog as it is now, while nothing has been applied since it was taken.
  let current: Catalog | undefined;
  for (const file of files) {
    const need = needs(file);
    const before = need ? (current ?? snapshotCatalog(catalog)) : undefined;
    applyFile(catalog, file.path, file.parsed);
    current = undefined;
    if (!before) continue;
    current = snapshotCatalog(catalog);
    steps.push({ file, before, after: current });
  }
  return { catalog, steps };
}
