import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { downFileName, findMigrationSets, generateDownForMigration, downKind, nodeDirectoryView, pairedDown } from '../../../core/src';
import type { DownTarget, GenerateDownAnswer, MigrationSet } from '../../../core/src';

/** The line that starts the down section, for the tools that keep it in the up file. */
const SECTION_HEADERS: Partial<Record<MigrationSet['layout'], string>> = { goose: '-- +goose Down', dbmate: '-- migrate:down' };

/**
 * `pgvet/generateDown`: the reversal of the up migration `upPath`, from the schema before it (its history replayed
 * up to it), and where its tool keeps downs. The history is read from disk afresh (the client saves first): the
 * index may not have seen files created a moment ago, since file-watcher events arrive on their own schedule.
 */
export function generateDownAnswer(upPath: string, folder: string): GenerateDownAnswer {
  const set = findMigrationSets(folder, nodeDirectoryView).find((s) => s.migrations.some((m) => m.path === upPath));
  if (!set) return { pairsDowns: false };
  const answer = { layout: set.layout, pairsDowns: downKind(set.layout) !== 'none' };
  const content = generateDownForMigration(set, upPath);
  if (content === undefined) return answer;
  return { ...answer, content, target: downTarget(set, upPath) };
}

function downTarget(set: MigrationSet, upPath: string): DownTarget {
  const header = SECTION_HEADERS[set.layout];
  const up = set.migrations.find((m) => m.path === upPath);
  // pairedDown: null when the layout pairs a down and the file has none.
  if (header) return { kind: 'section', header, exists: up !== undefined && pairedDown(up) !== null };
  const name = downFileName(set.layout, upPath);
  if (!name) return { kind: 'none' };
  const path = resolve(dirname(upPath), name);
  // Whatever the layout reported as the down: the client never overwrites a file at this path.
  return { kind: 'file', path, name, exists: existsSync(path) };
}
