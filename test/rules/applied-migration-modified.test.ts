import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { resolveConfig } from '../../core/src/engine/resolve-config';
import { DEFAULT_PGVET_JSON } from '../../core/src/config/schema';
import { lintSql } from '../../core/src/engine/lint';
import { initParser } from '../../core/src/parse/sql/parser';
import { applyEdits, ruleTests } from '../support/rule-tester';

const base = 'CREATE TABLE "User" ("id" TEXT NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));\n';
const edited = 'CREATE TABLE "User" ("id" TEXT NOT NULL, "name" TEXT, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));\n';
const prisma = '/project/prisma/migrations/20240101000000_init/migration.sql';
const modified = { kind: 'applied', by: 'git', ref: 'main', modified: { baseText: base } } as const;

ruleTests('applied-migration-modified', {
  valid: [
    { name: 'a file on its own', sql: edited, path: prisma },
    { name: 'a pending migration', sql: edited, path: prisma, migration: { kind: 'pending' } },
    { name: 'applied and unchanged since the base ref', sql: base, path: prisma, migration: { kind: 'applied', by: 'git', ref: 'main' } },
    { name: 'applied per pgvet.json: no base text to compare with, nothing to say', sql: edited, path: prisma, migration: { kind: 'applied', by: 'config' } },
  ],
  invalid: [
    {
      name: 'Prisma: the checksum in _prisma_migrations no longer matches',
      sql: edited,
      path: prisma,
      migration: modified,
      errors: [{ text: edited.trimEnd(), message: /applied \(it is in main\).*_prisma_migrations.*migrate dev.*migrate deploy.*new migration/ }],
    },
    {
      name: 'Flyway: validate fails on migrate',
      sql: 'SELECT 1;\nSELECT 2;\n',
      path: '/project/db/migration/V1__init.sql',
      migration: { ...modified, modified: { baseText: 'SELECT 1;\n' } },
      errors: [{ text: 'SELECT 2;', message: /Migration checksum mismatch/ }],
    },
    {
      name: 'golang-migrate keeps no checksum: the edit never runs where the old text ran',
      sql: 'SELECT 1;\n',
      path: '/project/migrations/0001_init.up.sql',
      migration: { ...modified, modified: { baseText: 'SELECT 2;\n' } },
      errors: [{ text: 'SELECT 1;', message: /golang-migrate records only the version/ }],
    },
    {
      name: 'git gave no base text: the finding is on the first line, without a fix',
      sql: 'SELECT 1;\n',
      path: '/project/migrations/0001_init.up.sql',
      migration: { kind: 'applied', by: 'git', ref: 'origin/main', modified: {} },
      errors: [{ text: 'SELECT 1;', message: /in origin\/main/ }],
    },
  ],
});

before(() => initParser());

function lintAs(path: string, text: string, baseText: string, rules: Record<string, 'error' | 'info'> = {}) {
  const config = resolveConfig({ ...DEFAULT_PGVET_JSON, rules });
  return lintSql({ text, path, config, migration: { kind: 'applied', by: 'git', ref: 'main', modified: { baseText } } }).findings;
}

test('severity: error where the tool checksums migrations, warning where it does not; a configured severity wins', () => {
  const sev = (path: string, rules?: Record<string, 'error' | 'info'>) => lintAs(path, 'SELECT 1;\n', 'SELECT 2;\n', rules).find((f) => f.ruleId === 'applied-migration-modified')?.severity;
  assert.equal(sev(prisma), 'error');
  assert.equal(sev('/project/db/migration/V1__init.sql'), 'error');
  assert.equal(sev('/project/migrations/0001_init.up.sql'), 'warning');
  assert.equal(sev('/project/db/migrations/20240101000000_init.sql'), 'warning');
  assert.equal(sev(prisma, { 'applied-migration-modified': 'info' }), 'info');
});

test('the fix puts the base text back', () => {
  const f = lintAs(prisma, edited, base).find((x) => x.ruleId === 'applied-migration-modified')!;
  assert.equal(f.fix?.title, 'Restore the text of main');
  assert.equal(applyEdits(edited, f.fix!.edits), base);
});

test('an applied migration gets no statement findings, only this one and the schema rules\'', () => {
  // CREATE INDEX without CONCURRENTLY on a table of an earlier migration: require-concurrent-index-creation when pending.
  const text = 'CREATE INDEX "User_name_idx" ON "User"("name");\n';
  const pending = lintSql({ text, path: prisma, config: resolveConfig(DEFAULT_PGVET_JSON), migration: { kind: 'pending' } }).findings.map((f) => f.ruleId);
  assert.deepEqual(pending, ['require-concurrent-index-creation']);
  const applied = lintAs(prisma, text, 'SELECT 1;\n').map((f) => f.ruleId);
  assert.deepEqual(applied, ['applied-migration-modified']);
  // An ignore comment in an applied migration is not "unused" because the statement rules were silent.
  const ignored = `-- pgvet-ignore require-concurrent-index-creation\n${text}`;
  const unchanged = lintSql({ text: ignored, path: prisma, config: resolveConfig(DEFAULT_PGVET_JSON), migration: { kind: 'applied', by: 'config' } }).findings;
  assert.deepEqual(unchanged, []);
});
