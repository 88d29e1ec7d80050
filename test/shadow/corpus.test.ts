import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { migrationSetAt } from '../../core/src/catalog/history';
import { buildCatalogAsync } from '../../core/src/catalog/history';
import { nodeDirectoryView } from '../../core/src/fs/disk';
import { loadSampleRows } from '../../core/src/shadow/sample-rows';
import { createShadowDatabase } from '../../core/src/shadow/shadow-db';
import { CORPUS, foreignKeyOrphans } from './support';

/** Real histories from the shared corpus: how many migrations apply in PGlite, and sample rows on the result. */
const HISTORIES = [
  { repo: 'umami-software__umami', dir: 'prisma/migrations', migrations: 19, failed: [] as string[] },
  { repo: 'hoppscotch__hoppscotch', dir: 'packages/hoppscotch-backend/prisma/migrations', migrations: 21, failed: [] as string[] },
  { repo: 'rust-lang__crates.io', dir: 'migrations', migrations: 285, failed: [] as string[] },
];
const ROWS = 200;

describe('corpus histories build in the shadow database', { concurrency: false }, () => {
  for (const h of HISTORIES) {
    const dir = path.join(CORPUS, h.repo, h.dir);
    test(`${h.repo}: migrations apply and sample rows load`, { skip: !existsSync(dir) && 'corpus not cloned' }, async () => {
      const set = migrationSetAt(dir, nodeDirectoryView)!;
      assert.equal(set.migrations.length, h.migrations);
      const shadow = await createShadowDatabase([set]);
      try {
        const { report } = shadow;
        const failed = report.migrations.filter((m) => m.status === 'failed');
        console.log(`${h.repo}: ${report.applied} applied, ${report.failed} failed, built in ${report.ms} ms (PGlite start ${report.startupMs} ms); extensions ${report.extensions.loaded.join(', ') || 'none'}`);
        for (const m of failed) console.log(`  failed ${path.relative(dir, m.path)}: ${m.error?.code} ${m.error?.message}`);
        assert.deepEqual(failed.map((m) => path.relative(dir, m.path)), h.failed);

        const rows = await loadSampleRows(shadow.db, await buildCatalogAsync(set.migrations), { rowsPerTable: ROWS });
        console.log(`  sample rows (${ROWS} per table): ${rows.filled} tables filled, ${rows.incomplete} short, in ${rows.ms} ms`);
        for (const t of rows.tables.filter((x) => x.rows < ROWS)) {
          console.log(`    ${t.table}: ${t.rows} rows (${t.inserted} inserted, ${t.skipped} skipped: ${t.reasons.map((r) => `${r.rows}× ${r.reason}`).join('; ')})`);
        }
        assert.deepEqual((await foreignKeyOrphans(shadow.db)).violations, []);
        assert.ok(rows.filled >= rows.tables.length * 0.8, `${rows.filled} of ${rows.tables.length} filled`);
      } finally {
        await shadow.db.close();
      }
    });
  }

  const trigger = path.join(CORPUS, 'triggerdotdev__trigger.dev/internal-packages/database/prisma/migrations');
  test('trigger.dev: time to build the shadow database (printed, not asserted)', { skip: !existsSync(trigger) && 'corpus not cloned' }, async () => {
    const set = migrationSetAt(trigger, nodeDirectoryView)!;
    const started = Date.now();
    const shadow = await createShadowDatabase([set]);
    try {
      const { report } = shadow;
      console.log(`trigger.dev: ${set.migrations.length} migrations, ${report.applied} applied, ${report.failed} failed; ${Date.now() - started} ms in all, PGlite start ${report.startupMs} ms`);
      for (const m of report.migrations.filter((x) => x.status === 'failed')) console.log(`  failed ${path.relative(trigger, m.path)}: ${m.error?.code} ${m.error?.message}`);
      const slowest = [...report.migrations].sort((a, b) => b.ms - a.ms).slice(0, 3);
      console.log(`  slowest: ${slowest.map((m) => `${path.basename(path.dirname(m.path))} ${m.ms} ms`).join(', ')}`);
    } finally {
      await shadow.db.close();
    }
  });
});
