import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { migrationSetAt, type MigrationSet } from '../../core/src/catalog/history';
import { historyKeepsDowns } from '../../core/src/catalog/layouts/downs';
import { nodeDirectoryView } from '../../core/src/fs/disk';
import { verifyHistory } from '../../core/src/verify/verify';

// Prisma, Supabase, drizzle and plain folders keep no down migrations: verify checks that each migration applies
// and says once that reversibility was not checked, instead of one "not reversible" per migration (825 of them on
// trigger.dev, every migration file of the explorer yellow).

const CORPUS = path.resolve(__dirname, '../../../shared/corpus');
const TRIGGER = path.join(CORPUS, 'triggerdotdev__trigger.dev/internal-packages');
const noCorpus = !existsSync(TRIGGER) && 'corpus not checked out next to the repo';
const CLI = path.resolve(__dirname, '../../dist/cli.js');
const noCli = !existsSync(CLI) && 'dist/cli.js not built (npm run build)';
const DIESEL_FIXTURE = path.resolve(__dirname, '../fixtures/verify/diesel/migrations');

function setAt(dir: string): MigrationSet {
  const set = migrationSetAt(dir, nodeDirectoryView);
  assert.ok(set, `migrations found in ${dir}`);
  return set;
}

/** The real CLI, awaited on its exit (the PGlite run takes seconds; spawnSync would block the test runner). */
function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: tmpdir() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

test('which histories keep downs: paired layouts yes; Prisma, Supabase, drizzle, plain no; Flyway only with U files', () => {
  const m = (downs: boolean[]) => downs.map((d) => (d ? { downPath: 'U1__x.sql' } : {}));
  assert.equal(historyKeepsDowns({ layout: 'golang-migrate', migrations: m([false]) }), true, 'a missing .down.sql is a finding there');
  for (const layout of ['prisma', 'supabase', 'drizzle', 'plain'] as const) assert.equal(historyKeepsDowns({ layout, migrations: m([false]) }), false, layout);
  assert.equal(historyKeepsDowns({ layout: 'flyway', migrations: m([false, false]) }), false);
  assert.equal(historyKeepsDowns({ layout: 'flyway', migrations: m([false, true]) }), true);
});

test('trigger.dev (Prisma, 820 migrations): every migration applies, no verdict about reversibility, one note', { skip: noCorpus, timeout: 5 * 60_000 }, async () => {
  const set = setAt(path.join(TRIGGER, 'database/prisma/migrations'));
  assert.equal(set.layout, 'prisma');
  const report = await verifyHistory(set);
  assert.equal(report.checksReversibility, false);
  assert.equal(report.note, 'Prisma Migrate keeps no down migrations: each migration was applied in order; reversibility was not checked.');
  assert.deepEqual(
    { migrations: report.migrations.length, applied: report.applied, failed: report.failed, reversible: report.reversible, notReversible: report.notReversible },
    { migrations: set.migrations.length, applied: set.migrations.length, failed: 0, reversible: 0, notReversible: 0 },
  );
  assert.ok(set.migrations.length >= 820, `${set.migrations.length} migrations`);
  assert.deepEqual(report.migrations.filter((v) => v.status !== 'applied' || v.differences.length || v.notes.includes('There is no down migration.')), []);
});

test('a history with downs (diesel fixture) still checks reversibility', { timeout: 120_000 }, async () => {
  const report = await verifyHistory(setAt(DIESEL_FIXTURE));
  assert.equal(report.checksReversibility, true);
  assert.equal(report.note, undefined);
  assert.deepEqual([report.reversible, report.notReversible, report.failed, report.applied], [1, 1, 1, 0]);
});

describe('pgvet verify (CLI) on Prisma histories', { skip: noCli }, () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'pgvet-verify-prisma-'));
    const write = (name: string, sql: string) => {
      mkdirSync(path.join(dir, 'prisma/migrations', name), { recursive: true });
      writeFileSync(path.join(dir, 'prisma/migrations', name, 'migration.sql'), sql);
    };
    write('20240101000000_init', 'CREATE TABLE "User" ("id" SERIAL NOT NULL, "email" TEXT NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));\n');
    write('20240102000000_drop_email', 'ALTER TABLE "User" DROP COLUMN "email";\n');
    writeFileSync(path.join(dir, 'prisma/migrations/migration_lock.toml'), 'provider = "postgresql"\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('trigger.dev run-ops-database: exit 0, the note once, no "not reversible"', { skip: noCorpus, timeout: 120_000 }, async () => {
    const r = await cli(['verify', path.join(TRIGGER, 'run-ops-database')]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /not reversible/);
    assert.equal(r.stdout.match(/keeps no down migrations/g)?.length, 1, r.stdout);
    assert.match(r.stdout, /\(prisma\): 3 migrations verified on PGlite .*: 3 apply, 0 fail to apply\. Prisma Migrate keeps no down migrations/);
  });

  test('a dropping migration is no finding; one that fails to apply is, with exit 1 (JSON)', { timeout: 120_000 }, async () => {
    const ok = await cli(['verify', dir, '--format', 'json']);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    const [set] = JSON.parse(ok.stdout).sets;
    assert.deepEqual([set.layout, set.checksReversibility, set.summary], ['prisma', false, { migrations: 2, applied: 2, failed: 0 }]);
    assert.deepEqual(set.migrations.map((m: { status: string }) => m.status), ['applied', 'applied']);

    mkdirSync(path.join(dir, 'prisma/migrations/20240103000000_rename'));
    writeFileSync(path.join(dir, 'prisma/migrations/20240103000000_rename/migration.sql'), 'ALTER TABLE "User" RENAME COLUMN "email" TO "mail";\n');
    const failing = await cli(['verify', dir]);
    assert.equal(failing.status, 1, failing.stdout + failing.stderr);
    assert.match(failing.stdout, /20240103000000_rename\/migration\.sql:1:\d+: up fails to apply: column "email" does not exist/);
    assert.match(failing.stdout, /3 migrations verified .*: 2 apply, 1 fail to apply\./);
  });
});
