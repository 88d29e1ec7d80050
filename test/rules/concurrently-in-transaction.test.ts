import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { resolveConfig } from '../../core/src/engine/resolve-config';
import { DEFAULT_PGVET_JSON } from '../../core/src/config/schema';
import { lintSql } from '../../core/src/engine/lint';
import { initParser } from '../../core/src/parse/sql/parser';
import { applyEdits, ruleTests } from '../support/rule-tester';

const corpus = join(import.meta.dirname, '../../../shared/corpus');
const fromCorpus = (path: string) => ({ path: `/corpus/${path}`, sql: readFileSync(join(corpus, path), 'utf8') });
const prisma = '/p/prisma/migrations/20240101000000_add_index/migration.sql';
const golang = '/p/db/migrations/000012_add_index.up.sql';
const supabase = '/p/supabase/migrations/20240101000000_add_index.sql';
const flyway = '/p/db/migration/V12__add_index.sql';

ruleTests('concurrently-in-transaction', {
  valid: [
    { sql: 'CREATE INDEX CONCURRENTLY i ON t (a);' },
    { name: 'goose NO TRANSACTION', sql: '-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- +goose Down\nDROP INDEX CONCURRENTLY i;' },
    { name: 'diesel with run_in_transaction = false', path: '/p/migrations/2024-01-01-000000_idx/up.sql', files: { '/p/migrations/2024-01-01-000000_idx/metadata.toml': 'run_in_transaction = false\n' }, sql: 'CREATE INDEX CONCURRENTLY i ON t (a);' },
    { name: 'dbmate transaction:false', sql: '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- migrate:down\nDROP INDEX i;' },
    { name: 'after COMMIT', sql: 'BEGIN;\nCREATE TABLE t (a int);\nCOMMIT;\nCREATE INDEX CONCURRENTLY i ON t (a);' },
    // Prisma sends migration.sql as one query string: a string of one statement runs outside any transaction block.
    { name: 'Prisma, the only statement of the file (trigger.dev)', ...fromCorpus('triggerdotdev__trigger.dev/internal-packages/database/prisma/migrations/20240821135542_job_run_index_for_organization_id_and_created_at/migration.sql') },
    { name: 'Prisma, DROP INDEX CONCURRENTLY alone (trigger.dev)', ...fromCorpus('triggerdotdev__trigger.dev/internal-packages/database/prisma/migrations/20260401130744_drop_task_run_runtime_environment_id_index/migration.sql') },
    { name: 'Prisma, one statement between comments and a stray semicolon', path: prisma, sql: '-- CreateIndex\nCREATE INDEX CONCURRENTLY "i" ON "t"("a");\n;\n/* done */\n' },
    { name: 'golang-migrate, one statement', path: golang, sql: '-- index for lookups\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\n' },
    { name: 'Flyway spots CREATE INDEX CONCURRENTLY and runs the script outside a transaction', path: flyway, sql: 'CREATE INDEX CONCURRENTLY i ON t (a);\nCREATE INDEX CONCURRENTLY j ON t (b);' },
    { name: 'Flyway script whose .conf sets executeInTransaction=false', path: flyway, files: { [`${flyway}.conf`]: 'executeInTransaction=false\n' }, sql: 'REINDEX INDEX CONCURRENTLY i;' },
    { name: 'Flyway script with SET and CONCURRENTLY whose .conf sets executeInTransaction=false', path: flyway, files: { [`${flyway}.conf`]: 'executeInTransaction=false\n' }, sql: "SET lock_timeout = '5s';\nCREATE INDEX CONCURRENTLY i ON t (a);" },
    { name: 'REINDEX (CONCURRENTLY false) is not concurrent', sql: '-- +goose Up\nREINDEX (CONCURRENTLY false) INDEX i;\nREINDEX (CONCURRENTLY off) TABLE t;\nREINDEX (CONCURRENTLY 0) INDEX i;' },
  ],
  invalid: [
    { name: 'explicit BEGIN: no fix, a plain DROP INDEX would lock the table', sql: 'BEGIN;\nDROP INDEX CONCURRENTLY i;\nCOMMIT;', errors: [{ message: /between BEGIN and COMMIT/ }], output: 'BEGIN;\nDROP INDEX CONCURRENTLY i;\nCOMMIT;' },
    {
      name: 'explicit BEGIN around an index on a table made in the same block: CONCURRENTLY can go',
      sql: 'BEGIN;\nCREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY i ON t (a);\nDROP INDEX CONCURRENTLY i;\nCOMMIT;',
      errors: [{ message: /CREATE INDEX CONCURRENTLY/ }, { message: /DROP INDEX CONCURRENTLY/ }],
      output: 'BEGIN;\nCREATE TABLE t (a int);\nCREATE INDEX i ON t (a);\nDROP INDEX i;\nCOMMIT;',
    },
    { name: 'explicit BEGIN around the only statement of a Prisma file', path: prisma, sql: 'BEGIN;\nCREATE INDEX CONCURRENTLY i ON t (a);\nCOMMIT;', errors: [{ text: 'CONCURRENTLY', message: /between BEGIN and COMMIT: this migration will fail/ }] },
    { name: 'goose without NO TRANSACTION', sql: '-- +goose Up\nREINDEX INDEX CONCURRENTLY i;', errors: [{ message: /REINDEX CONCURRENTLY/ }] },
    { name: 'REINDEX (CONCURRENTLY) and (CONCURRENTLY true) are concurrent', sql: '-- +goose Up\nREINDEX (CONCURRENTLY) INDEX i;\nREINDEX (CONCURRENTLY true) INDEX i;', errors: [{ message: /REINDEX CONCURRENTLY/ }, { message: /REINDEX CONCURRENTLY/ }] },
    { name: 'diesel without metadata.toml', path: '/p/migrations/2024-01-01-000000_idx/up.sql', sql: 'CREATE INDEX CONCURRENTLY i ON t (a);', errors: [{ message: /run_in_transaction/ }] },
    { name: 'diesel down.sql of several statements (crates.io)', ...fromCorpus('rust-lang__crates.io/migrations/2024-04-12-144536_remove-downloads-column/down.sql'), errors: [{ message: /diesel runs each migration in a transaction/ }, { message: /diesel/ }] },
    {
      name: 'Prisma, CREATE INDEX CONCURRENTLY after another statement (civitai): fails before Prisma 7.4 only',
      ...fromCorpus('civitai__civitai/packages/civitai-db-schema/prisma/migrations/20260703120000_add_modelfile_replacedat/migration.sql'),
      errors: [{ text: 'CONCURRENTLY', message: /several statements as one implicit transaction: before Prisma 7\.4 this migration will fail .*Prisma 7\.4 and later run CREATE INDEX CONCURRENTLY outside the transaction/ }],
    },
    { name: 'Prisma, DROP INDEX CONCURRENTLY with a second statement fails with every release', path: prisma, sql: 'SET lock_timeout = \'5s\';\nDROP INDEX CONCURRENTLY "i";', errors: [{ message: /DROP INDEX CONCURRENTLY cannot run inside a transaction block, and Prisma Migrate sends migration\.sql as one query string.*: this migration will fail/ }] },
    { name: 'golang-migrate, two statements', path: golang, sql: 'ALTER TABLE t ADD COLUMN b int;\nCREATE INDEX CONCURRENTLY i ON t (b);', errors: [{ message: /golang-migrate sends the file as one query string, and PostgreSQL runs a query string of several statements as one implicit transaction: this migration will fail/ }] },
    { name: 'Supabase CLI before 2.109', path: supabase, sql: 'CREATE INDEX CONCURRENTLY i ON t (a);', errors: [{ message: /before Supabase CLI 2\.109 this migration will fail/ }] },
    { name: 'Supabase DROP INDEX CONCURRENTLY', path: supabase, sql: 'DROP INDEX CONCURRENTLY i;', errors: [{ message: /supabase\/cli#6276/ }] },
    { name: 'Flyway does not spot REINDEX … CONCURRENTLY and runs the script in a transaction', path: flyway, sql: 'REINDEX INDEX CONCURRENTLY i;', errors: [{ message: /Flyway runs each migration in a transaction/ }] },
    { name: 'Flyway refuses CREATE INDEX CONCURRENTLY mixed with other statements (mixed=false)', path: flyway, sql: "SET lock_timeout = '5s';\n-- the index\nCREATE INDEX CONCURRENTLY i ON t (a);", errors: [{ text: 'CONCURRENTLY', message: /runs outside a transaction here, but Flyway refuses a migration that mixes it .*unless mixed=true is set: put CREATE INDEX CONCURRENTLY in a migration of its own\.$/ }] },
    { name: 'drizzle-kit migrate', path: '/p/drizzle/0003_index.sql', sql: 'CREATE INDEX CONCURRENTLY i ON t (a);--> statement-breakpoint\nSELECT 1;', errors: [{ message: /drizzle-kit migrate applies pending migrations inside one transaction/ }] },
  ],
});

describe('concurrently-in-transaction: Move … to a migration of its own', () => {
  before(() => initParser());
  const config = resolveConfig(DEFAULT_PGVET_JSON);
  const fixOf = (path: string, sql: string) => lintSql({ text: sql, path, config }).findings.find((f) => f.ruleId === 'concurrently-in-transaction')?.fix;

  test('Prisma: the index leaves the file and a one-statement migration holds it, outside any transaction', () => {
    const sql = 'ALTER TABLE "Post" ADD COLUMN "slug" TEXT;\nCREATE INDEX CONCURRENTLY "Post_slug_idx" ON "Post"("slug");\n';
    const fix = fixOf('/p/prisma/migrations/20240101000000_slug/migration.sql', sql)!;
    assert.match(fix.title, /^Move CREATE INDEX CONCURRENTLY to a migration of its own \(\d{14}_create_Post_slug_idx\/migration\.sql\), which runs outside a transaction$/i);
    assert.equal(applyEdits(sql, fix.edits), 'ALTER TABLE "Post" ADD COLUMN "slug" TEXT;\n');
    assert.equal(fix.createFiles?.length, 1);
    assert.match(fix.createFiles![0].content, /^-- Generated by pgvet\.\nCREATE INDEX CONCURRENTLY "Post_slug_idx" ON "Post"\("slug"\);\n$/);
  });

  test('goose: the new file gets NO TRANSACTION and a down that drops the index', () => {
    const sql = '-- +goose Up\nALTER TABLE t ADD COLUMN b int;\nCREATE INDEX CONCURRENTLY t_b_idx ON t (b);\n-- +goose Down\nALTER TABLE t DROP COLUMN b;\n';
    const fix = fixOf('/p/db/migrations/20240101000000_b.sql', sql)!;
    const content = fix.createFiles![0].content;
    assert.match(content, /\+goose NO TRANSACTION/);
    assert.match(content, /CREATE INDEX CONCURRENTLY t_b_idx ON t \(b\);/);
    assert.match(content, /DROP INDEX CONCURRENTLY IF EXISTS t_b_idx;/);
  });

  test('not offered where the new migration would not sort last (counter names) or would run in a transaction', () => {
    assert.equal(fixOf('/p/db/migrations/000012_add_index.up.sql', 'ALTER TABLE t ADD COLUMN b int;\nCREATE INDEX CONCURRENTLY i ON t (b);'), undefined);
    const drizzle = fixOf('/p/drizzle/0003_index.sql', 'CREATE INDEX CONCURRENTLY i ON t (a);--> statement-breakpoint\nSELECT 1;');
    assert.ok(!drizzle || !/Move/.test(drizzle.title));
  });
});
