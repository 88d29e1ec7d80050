import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';

const CLI = resolve(__dirname, '../../dist/cli.js');
const MIGRATION = 'prisma/migrations/20240101000000_init/migration.sql';

/**
 * A schema finding on a Prisma model names the migration that introduced the problem. When the object itself is in
 * no migration (an index only the model declares), that is the migration that created its table, and it says so.
 */
describe('pgvet lint: where a schema problem on a Prisma model was introduced', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'pgvet-introduced-'));
    mkdirSync(join(root, 'prisma/migrations/20240101000000_init'), { recursive: true });
    writeFileSync(join(root, 'prisma/schema.prisma'), [
      'datasource db {', '  provider = "postgresql"', '  url      = env("DATABASE_URL")', '}', '',
      'model Account {', '  id   Int    @id', '  name String', '', '  @@index([name])', '  @@map("account")', '}', '',
    ].join('\n'));
    writeFileSync(join(root, 'prisma/migrations/migration_lock.toml'), 'provider = "postgresql"\n');
    writeFileSync(join(root, MIGRATION), '-- CreateTable\nCREATE TABLE "account" ("id" INTEGER NOT NULL, "name" TEXT NOT NULL, CONSTRAINT "account_pkey" PRIMARY KEY ("id"));\n');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const run = (format: string) => spawnSync(process.execPath, [CLI, 'lint', '.', '--format', format], { cwd: root, encoding: 'utf8' });

  test('text: the index the migrations never create points at the migration that created its table, saying so', () => {
    const r = run('human');
    assert.match(r.stdout, /prisma\/schema\.prisma:10:3: warning The schema has an index on \(name\) on "account" \("account_name_idx"\) that the migrations never create\./);
    assert.match(r.stdout, new RegExp(`\\n  table "account" created by ${MIGRATION.replace(/\./g, '\\.')}:2\\n`));
    assert.doesNotMatch(r.stdout, /introduced by/);
  });

  test('SARIF: the related location says what that migration created', () => {
    const sarif = JSON.parse(run('sarif').stdout) as { runs: { results: { ruleId: string; relatedLocations?: { message: { text: string }; physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    const drift = sarif.runs[0].results.filter((x) => x.ruleId === 'schema-migration-drift');
    assert.equal(drift.length, 1);
    assert.equal(drift[0].relatedLocations?.[0].message.text, 'the migration that created table "account"');
    assert.equal(drift[0].relatedLocations?.[0].physicalLocation.artifactLocation.uri, MIGRATION);
  });
});
