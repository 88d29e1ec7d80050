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
 * Replays a history once, keeping a snapshot of the catalog between migrations, so every rule that needs the
 * schema before or after a migration (reversibility, narrowing changes) shares one replay instead of making its own.
 */
export function replayHistory(files: Iterable<HistoryFile>): { catalog: Catalog; steps: HistoryStep[] } {
  const catalog = emptyCatalog();
  const steps: HistoryStep[] = [];
  let before = snapshotCatalog(catalog);
  for (const file of files) {
    applyFile(catalog, file.path, file.parsed);
    const after = snapshotCatalog(catalog);
    steps.push({ file, before, after });
    before = after;
  }
  return { catalog, steps };
}
