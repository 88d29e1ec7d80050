import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { Client } from 'pg';
import { findMigrationSets, migrationSetAt, type MigrationSet } from '../../core/src/catalog/history';
import { nodeDirectoryView } from '../../core/src/fs/disk';
import { serverDatabase } from '../../core/src/verify/database';
import { verifyHistory, type MigrationVerdict, type VerifyReport } from '../../core/src/verify/verify';
import { findPostgresBinaries, startPostgres } from '../support/postgres';

const FIXTURE = path.resolve(__dirname, '../fixtures/verify/diesel/migrations');
const corpus = path.resolve(__dirname, '../../../shared/corpus');

function setAt(dir: string): MigrationSet {
  const set = migrationSetAt(dir, nodeDirectoryView);
  assert.ok(set, `migrations found in ${dir}`);
  return set;
}

/** Verdicts by the migration's folder or file name, without the absolute path. */
function byName(report: VerifyReport): Map<string, MigrationVerdict> {
  return new Map(report.migrations.map((v) => [path.basename(v.path) === 'up.sql' ? path.basename(path.dirname(v.path)) : path.basename(v.path), v]));
}

function counts(report: VerifyReport) {
  return { migrations: report.migrations.length, reversible: report.reversible, notReversible: report.notReversible, failed: report.failed };
}

function assertFixtureVerdicts(report: VerifyReport): void {
  const v = byName(report);
  assert.deepEqual(counts(report), { migrations: 3, reversible: 1, notReversible: 1, failed: 1 });
  assert.equal(v.get('2024-01-01-000001_create_invoices')!.status, 'reversible');

  const drop = v.get('2024-01-02-000001_drop_invoice_status')!;
  assert.equal(drop.status, 'not-reversible');
  assert.deepEqual(drop.differences, [
    'column invoices.status is missing after down',
    'index invoices_status_idx is missing after down',
    // Re-applying up after this down fails too, since the down never put the column back.
    'up fails when applied again after down: column "status" of relation "invoices" does not exist',
  ]);

  const paid = v.get('2024-01-03-000001_add_paid_at')!;
  assert.equal(paid.status, 'failed');
  assert.equal(paid.failure!.direction, 'up');
  assert.equal(paid.failure!.path, path.join(FIXTURE, '2024-01-03-000001_add_paid_at/up.sql'));
  assert.equal(paid.failure!.error.message, 'column "paid_on" of relation "invoices" does not exist');
  assert.equal(paid.failure!.error.code, '42703');
  const text = readFileSync(paid.failure!.path, 'utf8');
  const { statement, offset } = paid.failure!.error;
  assert.match(text.slice(statement.start, statement.end), /^UPDATE invoices SET paid_on = now\(\) WHERE total = 0;?$/);
  assert.ok(text.slice(offset).startsWith('paid_on = now()'), 'the error position points at the unknown column');
}

test('fixture: one reversible, one not reversible, one failing migration (PGlite)', { timeout: 120_000 }, async () => {
  const seen: number[] = [];
  const report = await verifyHistory(setAt(FIXTURE), { onProgress: (p) => seen.push(p.done) });
  assertFixtureVerdicts(report);
  assert.deepEqual(seen, [0, 1, 2, 3], 'progress is reported before each migration and at the end');
  assert.match(report.database, /^PGlite \(PostgreSQL \d+/);
});

test('cancelling stops the run and rejects with an AbortError', { timeout: 120_000 }, async () => {
  const controller = new AbortController();
  await assert.rejects(
    verifyHistory(setAt(FIXTURE), { signal: controller.signal, onProgress: (p) => p.done === 1 && controller.abort() }),
    (e: Error) => e.name === 'AbortError',
  );
});

let hasServer = true;
try {
  findPostgresBinaries();
} catch {
  hasServer = false;
}

test('fixture on a throwaway database of a real server (--database-url), dropped afterwards', { skip: !hasServer && 'no PostgreSQL server binaries', timeout: 180_000 }, async () => {
  const server = await startPostgres();
  try {
    const report = await verifyHistory(setAt(FIXTURE), { database: serverDatabase(server.url()) });
    assertFixtureVerdicts(report);
    assert.match(report.database, /^throwaway database pgvet_verify_[a-z0-9]+ on 127\.0\.0\.1:\d+$/);
    const admin = new Client({ connectionString: server.url() });
    await admin.connect();
    const left = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE 'pgvet_verify_%'`);
    await admin.end();
    assert.deepEqual(left.rows, [], 'the throwaway database is dropped');
  } finally {
    server.stop();
  }
});

/**
 * The three corpus histories with paired downs, each in full on PGlite (crates.io ~20 s, kratos ~60 s, hatchet
 * ~100 s on a loaded 2-CPU machine). The counts are recorded as they are today: a change means a change in
 * pgvet's replay or snapshot, to be looked at, not necessarily a regression. The same three runs on a real
 * PostgreSQL 15 server (--database-url) gave exactly the same counts and failures, so none of these verdicts is
 * a limit of PGlite (PostgreSQL 18.6 in WASM).
 */
test('corpus: crates.io (diesel), full history', { timeout: 10 * 60_000 }, async () => {
  const report = await verifyHistory(setAt(path.join(corpus, 'rust-lang__crates.io/migrations')));
  assert.deepEqual(counts(report), { migrations: 285, reversible: 257, notReversible: 26, failed: 2 });
  const v = byName(report);

  // 1. A real defect of the down: `downloads` was already NOT NULL (migration 17 added it as `NOT NULL DEFAULT 0`),
  //    so up's SET NOT NULL changes nothing, while down's DROP NOT NULL removes a constraint that up never added.
  assert.deepEqual(v.get('20140926130046_dumped_migration_19')!.differences, ['column versions.downloads differs after down: integer not null → integer']);

  // 2. A deliberate one: down.sql says "-- Not reversible"; a dropped column (and its data) cannot come back.
  assert.deepEqual(v.get('2019-11-11-162609_drop_email_from_user')!.differences, ['column users.email is missing after down']);

  // 3. A real defect: up drops UNIQUE (owner_id, crate_id, owner_kind); down recreates it with the columns in
  //    another order, which is another index (it serves lookups by crate_id, not by owner_id).
  assert.deepEqual(v.get('20170308191449_crate_owners_does_not_need_id')!.differences, [
    'constraint crate_owners_unique_owner_per_crate on crate_owners differs after down: UNIQUE (owner_id, crate_id, owner_kind) → UNIQUE (crate_id, owner_id, owner_kind)',
    'index crate_owners_unique_owner_per_crate differs after down: CREATE UNIQUE INDEX crate_owners_unique_owner_per_crate ON public.crate_owners USING btree (owner_id, crate_id, owner_kind) → CREATE UNIQUE INDEX crate_owners_unique_owner_per_crate ON public.crate_owners USING btree (crate_id, owner_id, owner_kind)',
  ]);

  // The two failures are real defects of the downs. This one lacks the ';' after its first statement, so
  // PostgreSQL reads "DROP CONSTRAINT crate_downloads_pkey ALTER TABLE …" as one statement.
  const noSemicolon = v.get('20170318181441_downloads_need_no_id')!;
  assert.equal(noSemicolon.failure!.direction, 'down');
  assert.equal(noSemicolon.failure!.error.message, 'syntax error at or near "ALTER"');
  // And this one drops a constraint under a name that up never gave it.
  const unique = v.get('2024-10-25-112826_make-unique-version-unique')!;
  assert.equal(unique.status, 'failed');
  assert.equal(unique.failure!.direction, 'down');
  assert.equal(unique.failure!.error.message, 'constraint "versions_crate_id_num_no_build_uindex" of relation "versions" does not exist');
});

test('corpus: ory/kratos (pop), full history', { timeout: 10 * 60_000 }, async () => {
  const report = await verifyHistory(setAt(path.join(corpus, 'ory__kratos/persistence/sql/migrations/sql')));
  // Most failures and many "not reversible" verdicts come from kratos's split migrations (…000000 … …000089 of
  // one timestamp): the downs are numbered so that rolling back the whole group (pop runs downs newest first)
  // undoes it, but down N is not the inverse of up N (20210410175418000000's up adds selfservice_login_flows.nid,
  // its down creates an index). Rolled back one step at a time, as pop allows, these fail or leave the wrong schema.
  assert.deepEqual(counts(report), { migrations: 336, reversible: 122, notReversible: 137, failed: 77 });
  const v = byName(report);
  const first = v.get('20210410175418000002_network.postgres.up.sql')!;
  assert.equal(first.status, 'failed');
  assert.equal(first.failure!.error.message, 'relation "identity_recovery_addresses_status_via_idx" already exists');

  // 4. A real defect (of an unsplit migration): up turns courier_messages.body from varchar(255) into text, and
  //    the down file is empty, so the column stays text.
  assert.deepEqual(v.get('20191100000011000000_courier_body_type.postgres.up.sql')!.differences, [
    'column courier_messages.body differs after down: character varying(255) not null → text not null',
  ]);
});

test('corpus: hatchet (goose), full history', { timeout: 10 * 60_000 }, async () => {
  const sets = findMigrationSets(path.join(corpus, 'hatchet-dev__hatchet/cmd/hatchet-migrate/migrate/migrations'), nodeDirectoryView);
  assert.equal(sets.length, 1);
  const report = await verifyHistory(sets[0]);
  // 88 of hatchet's goose files have no `-- +goose Down` section (goose's down is then a no-op): every one of them
  // that changes the schema is "not reversible".
  assert.deepEqual(counts(report), { migrations: 224, reversible: 100, notReversible: 122, failed: 2 });
  const v = byName(report);
  // Not a defect of the down: up LOCKs v1_dags_olap_new, a table hatchet's Go code creates at run time (a
  // partition swap), which no migration of the history creates.
  const olap = v.get('20260424205453_v1_0_100.sql')!;
  assert.equal(olap.failure!.direction, 'up');
  assert.equal(olap.failure!.error.message, 'relation "v1_dags_olap_new" does not exist');

  // 5. No Down section (a Prisma-generated migration copied into goose): up drops "Worker".status and the enum
  //    "WorkerStatus"; with no down, both stay gone. Prisma's own warning in the file says the data is lost.
  const workerStatus = v.get('20240430161943_v0_22_1.sql')!;
  assert.ok(workerStatus.notes.includes('There is no down migration.'));
  assert.deepEqual(workerStatus.differences, ['column "Worker".status is missing after down', 'enum "WorkerStatus" is missing after down']);
});
