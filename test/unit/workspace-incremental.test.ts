import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { before, describe, test } from 'node:test';
import { describeDifference, diffCatalogs } from '../../core/src/catalog/diff';
import { nodeDirectoryView } from '../../core/src/fs/disk';
import { resolveConfig } from '../../core/src/engine/resolve-config';
import { DEFAULT_PGVET_JSON } from '../../core/src/config/schema';
import { WorkspaceIndex } from '../../core/src/engine/workspace';
import { initParser } from '../../core/src/parse/sql/parser';

/**
 * After an edit, the workspace index replays a history from the checkpoint before the edited migration instead of
 * from the start (catalog/history-replay.ts). Whatever the edit, the catalog and every file's schema-rule findings
 * must be exactly those of an index built from scratch with the same text.
 */
const corpus = resolve(__dirname, '../../../shared/corpus');
const config = resolveConfig(DEFAULT_PGVET_JSON);

function indexOf(root: string, overlays: [string, string][]): WorkspaceIndex {
  const index = new WorkspaceIndex([root], nodeDirectoryView);
  index.build();
  index.focusAll();
  for (const [path, text] of overlays) index.setOverlay(path, text);
  return index;
}

/** Every file's findings, without the new-migration fixes' timestamps. */
function findingsOf(index: WorkspaceIndex, paths: string[]): string {
  return JSON.stringify(paths.map((p) => index.catalogFindings(p, config)), (k, v) => (k === 'relativePath' || k === 'title' ? String(v).replace(/\d{4}-\d{2}-\d{2}-\d{6}|\d{14}/g, 'TS') : v));
}

function assertSame(incremental: WorkspaceIndex, fresh: WorkspaceIndex, paths: string[], label: string): void {
  const a = incremental.catalogFor(paths[0])!;
  const b = fresh.catalogFor(paths[0])!;
  assert.deepEqual(diffCatalogs(b, a).map(describeDifference), [], `${label}: catalog`);
  assert.equal(a.notes.length, b.notes.length, `${label}: notes`);
  assert.equal(findingsOf(incremental, paths), findingsOf(fresh, paths), `${label}: findings`);
}

before(async () => {
  await initParser();
});

describe('workspace index: replay resumed from a checkpoint', () => {
  const cases = [
    { name: 'trigger.dev (Prisma, 820 migrations)', root: 'triggerdotdev__trigger.dev/internal-packages/database' },
    { name: 'crates.io (diesel, separate down files)', root: 'rust-lang__crates.io/migrations' },
    { name: 'hatchet (goose, down sections)', root: 'hatchet-dev__hatchet/cmd/hatchet-migrate/migrate/migrations' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const root = resolve(corpus, c.root);
      const index = indexOf(root, []);
      const set = index.migrationSets()[0];
      const paths = set.migrations.map((m) => m.path);
      assert.ok(paths.length > 64, `${c.name}: a long history`);
      findingsOf(index, paths); // the first, full replay (and its checkpoints)
      const overlays: [string, string][] = [];
      // The last migration (where people write), one in the middle, then the last again: each resumes from a checkpoint.
      for (const k of [paths.length - 1, Math.floor(paths.length / 2) + 5, paths.length - 1]) {
        const m = set.migrations[k];
        const text = `${index.fileText(m.path)}\nCREATE TABLE pgvet_incremental_${k} (id bigint PRIMARY KEY, ref bigint);\nDROP TABLE IF EXISTS pgvet_incremental_${paths.length - 1};\n`;
        assert.ok(index.setOverlay(m.path, text));
        overlays.push([m.path, text]);
        assertSame(index, indexOf(root, overlays), paths, `${c.name}, after editing migration ${k}`);
      }
    });
  }
});
