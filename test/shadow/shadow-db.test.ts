import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ShadowDatabaseCache, shadowKey } from '../../core/src/shadow/cache';
import { extensionAvailability, extensionBundleDir } from '../../core/src/shadow/extensions';
import { createShadowDatabase, type ShadowDatabase } from '../../core/src/shadow/shadow-db';
import { EXAMPLES, REPO, setsUnder } from './support';

const FAILING = path.join(REPO, 'test/fixtures/shadow/failing-history');

describe('shadow database from the examples/ workspace', () => {
  let shadow: ShadowDatabase;
  const progress: number[] = [];
  before(async () => {
    shadow = await createShadowDatabase(setsUnder(EXAMPLES), { onProgress: (p) => progress.push(p.done) });
  });
  after(() => shadow?.db.close());

  test('every migration of both histories applies', () => {
    const { report } = shadow;
    assert.equal(report.failed, 0, JSON.stringify(report.migrations.filter((m) => m.error), null, 2));
    assert.equal(report.applied, 6);
    assert.equal(report.partial, false);
    assert.match(report.summary, /^Empty shadow database \(PGlite\) built from 6 migrations\.$/);
    assert.deepEqual(progress, [0, 1, 2, 3, 4, 5, 6]);
  });

  test('a file with CREATE INDEX CONCURRENTLY runs statement by statement outside a transaction', async () => {
    const m = shadow.report.migrations.find((x) => x.path.includes('order_status_index'))!;
    assert.equal(m.status, 'applied');
    assert.equal(m.mode, 'statements');
    assert.match(m.notes[0], /outside a transaction/);
    const idx = await shadow.db.query<{ valid: boolean }>(`SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'orders_status_idx'::regclass`);
    assert.deepEqual(idx.rows, [{ valid: true }]);
  });

  test('the golang-migrate history ran as golang-migrate runs it and left its final schema', async () => {
    const billing = shadow.report.migrations.filter((m) => m.set.endsWith('billing/migrations'));
    // golang-migrate sends a file as one query string: several statements are one implicit transaction, a single one
    // runs on its own (000003 is one RENAME).
    assert.deepEqual(billing.map((m) => m.mode), ['transaction', 'transaction', 'statements']);
    const cols = await shadow.db.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'invoices' ORDER BY ordinal_position`);
    assert.deepEqual(cols.rows.map((r) => r.column_name), ['id', 'account_id', 'amount_minor', 'issued_at', 'status']);
  });
});

describe('a failing migration', () => {
  let shadow: ShadowDatabase;
  before(async () => {
    shadow = await createShadowDatabase(setsUnder(FAILING));
  });
  after(() => shadow?.db.close());

  test('is reported with its file, statement range, error position, message and SQLSTATE', () => {
    const { report } = shadow;
    assert.deepEqual(report.migrations.map((m) => [path.basename(path.dirname(m.path)), m.status]), [
      ['20240101000000_users', 'applied'],
      ['20240102000000_broken', 'failed'],
      ['20240103000000_posts', 'applied'],
      ['20240104000000_grants', 'applied'],
    ]);
    const broken = report.migrations[1];
    const text = readFileSync(broken.path, 'utf8');
    const err = broken.error!;
    assert.equal(err.message, 'column "email" does not exist');
    assert.equal(err.code, '42703');
    assert.equal(text.slice(err.statement.start, err.statement.end), 'CREATE VIEW "user_emails" AS\nSELECT "id", "email" FROM "users";');
    // The comment holds 🚀 (two UTF-16 units, one code point): the offset is in UTF-16, as editors count.
    assert.equal(err.offset, text.indexOf('"email" FROM'));
    assert.equal(broken.statements, 2);
    assert.equal(report.partial, true);
    assert.match(report.summary, /1 failed, so the schema is partial/);
  });

  test('it is rolled back as a whole (Prisma runs it in a transaction) and later files still apply', async () => {
    const tables = await shadow.db.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
    assert.deepEqual(tables.rows.map((r) => r.t), ['posts', 'users']);
  });

  test('an unavailable extension is skipped and reported, a bundled one loads, missing roles are created', async () => {
    const { report } = shadow;
    const grants = report.migrations[3];
    assert.deepEqual(report.extensions.unavailable, [{ name: 'vector', path: grants.path }]);
    assert.deepEqual(report.extensions.loaded, ['citext']);
    assert.match(report.summary, /extensions not available: vector/);
    assert.ok(grants.notes.some((n) => /Skipped CREATE EXTENSION vector/.test(n)));
    assert.ok(grants.notes.some((n) => /Created role "reporting"/.test(n)));
    assert.deepEqual(report.rolesCreated, ['authenticated', 'reporting']);
    const type = await shadow.db.query<{ t: string }>(`SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'email'`);
    assert.deepEqual(type.rows, [{ t: 'citext' }]);
  });
});

describe('extension bundles', () => {
  test('are found in the installed package when running from source', () => {
    const dir = extensionBundleDir();
    assert.ok(dir?.endsWith(path.join('@electric-sql', 'pglite', 'dist')), dir);
    for (const name of ['pgcrypto', 'uuid-ossp', 'citext', 'pg_trgm', 'btree_gin', 'btree_gist', 'hstore', 'ltree']) {
      assert.equal(extensionAvailability(name, dir), 'loadable', name);
    }
    assert.equal(extensionAvailability('plpgsql', dir), 'built-in');
    assert.equal(extensionAvailability('postgis', dir), 'unavailable');
  });

  test('each of the eight load and CREATE EXTENSION works', async () => {
    const sets = [{
      dir: '/virtual', layout: 'plain' as const,
      migrations: [{
        path: '/virtual/1.sql', layout: 'plain' as const, version: '1', text: '', context: { layout: 'plain' as const, transactional: true, transactionReason: '' },
        upText: ['pgcrypto', 'uuid-ossp', 'citext', 'pg_trgm', 'btree_gin', 'btree_gist', 'hstore', 'ltree'].map((e) => `CREATE EXTENSION IF NOT EXISTS "${e}";`).join('\n') +
          "\nCREATE TABLE t (id uuid DEFAULT uuid_generate_v4(), h hstore, l ltree, s citext, d bytea DEFAULT digest('x', 'sha256'));\nCREATE INDEX ON t USING gin (s gin_trgm_ops);",
      }],
    }];
    const shadow = await createShadowDatabase(sets);
    try {
      assert.equal(shadow.report.failed, 0, JSON.stringify(shadow.report.migrations[0].error));
      assert.equal(shadow.report.extensions.loaded.length, 8);
    } finally {
      await shadow.db.close();
    }
  });
});

describe('ShadowDatabaseCache', () => {
  const cache = new ShadowDatabaseCache();
  after(() => cache.dispose());

  test('reuses the database while the migrations are unchanged and rebuilds after an edit', async () => {
    const sets = setsUnder(EXAMPLES, 'golang-migrate');
    const first = await cache.get('/ws', sets);
    const started = Date.now();
    const again = await cache.get('/ws', setsUnder(EXAMPLES, 'golang-migrate'));
    assert.equal(again, first);
    assert.ok(Date.now() - started < 100);

    const edited = sets.map((s) => ({ ...s, migrations: s.migrations.map((m, k) => (k === 2 ? { ...m, upText: `${m.upText}\nCREATE TABLE extra (id int);\n` } : m)) }));
    assert.notEqual(shadowKey(edited), shadowKey(sets));
    assert.equal(cache.has('/ws', edited), false);
    const rebuilt = await cache.get('/ws', edited);
    assert.notEqual(rebuilt, first);
    assert.deepEqual((await rebuilt.db.query(`SELECT to_regclass('extra')::text AS t`)).rows, [{ t: 'extra' }]);
    assert.equal(first.db.closed, true);
  });
});
