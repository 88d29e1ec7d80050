import { resolve } from 'node:path';
import { applyBaselines } from '../cli/baseline';
import { collectFiles } from '../cli/files';
import { planWork, runUnit } from '../cli/work';
import type { WorkspaceIndex, WriteBaselineResult } from '../../../core/src';
import type { AppliedMigrations } from './applied';
import type { EditorBaseline } from './editor-baseline';

/**
 * "pgvet: Write Baseline": what `pgvet lint <folder> --write-baseline` does for each workspace folder, from the files
 * on disk (save first), with the editor's applied migrations (pgvet.baseRef, pgvet.json "applied"), so the file is
 * the one CI reads.
 */
export function writeWorkspaceBaselines(roots: string[], index: WorkspaceIndex | undefined, applied: AppliedMigrations, baseline: EditorBaseline, configFile?: string): WriteBaselineResult {
  const source = applied.source();
  const written: WriteBaselineResult['written'] = [];
  for (const root of roots) {
    const { files } = collectFiles([root]);
    const reports = planWork([root], files).flatMap((unit) => {
      const set = unit.kind === 'history' ? index?.migrationSets().find((s) => resolve(s.dir) === resolve(unit.dir)) : undefined;
      return runUnit(unit, configFile, set && source.gitBase(set)).reports;
    });
    written.push(...applyBaselines(reports, (p) => baseline.rootOf(p), 'write').summary.written);
  }
  return { written };
}
