import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { detectFileContext } from '../../core/src/catalog/layouts';
import { resolveConfig } from '../../core/src/engine/resolve-config';
import { DEFAULT_PGVET_JSON } from '../../core/src/config/schema';
import { stepsNeeded } from '../../core/src/engine/catalog-lint';
import { replayHistory } from '../../core/src/catalog/history-replay';
import { lintSql } from '../../core/src/engine/lint';
import type { HistoryFile } from '../../core/src/rule-kit/types';
import { initParser, parseSqlFile } from '../../core/src/parse/sql/parser';
import { ruleTests } from '../support/rule-tester';

const prisma = '/p/prisma/migrations/20240101000000_drop_index/migration.sql';

ruleTests('require-concurrent-index-deletion', {
  valid: [
    { sql: 'DROP INDEX CONCURRENTLY i;' },
    { name: 'IF EXISTS, schema-qualified', sql: 'DROP INDEX CONCURRENTLY IF EXISTS public."User_email_key";' },
    { name: 'index created earlier in the same file', sql: 'CREATE INDEX CONCURRENTLY tmp_idx ON t (a);\nDROP INDEX tmp_idx;' },
    { name: 'other DROP statements', sql: 'DROP TABLE t;\nDROP VIEW v;' },
    { name: 'the index went with its constraint', sql: 'ALTER TABLE t DROP CONSTRAINT t_key;\nDROP INDEX IF EXISTS t_key;' },
    { name: 'the index was dropped earlier in the file', sql: 'DROP INDEX CONCURRENTLY IF EXISTS i;\nDROP INDEX IF EXISTS i;' },
  ],
  invalid: [
    {
      sql: 'DROP INDEX i;',
      errors: [{ text: 'DROP INDEX i;', message: /DROP INDEX "i" takes an ACCESS EXCLUSIVE lock/ }],
      output: 'DROP INDEX CONCURRENTLY i;',
    },
    {
      // CONCURRENTLY would make this migration fail: no fix, the note says where the drop can go.
      name: 'Prisma quoted name, several statements: no fix, the note says the file is transactional',
      path: prisma,
      sql: '-- DropIndex\nDROP INDEX "User_email_key";\n\n-- AlterTable\nALTER TABLE "User" ADD COLUMN "nick" TEXT;\n',
      errors: [{ message: /Prisma.*cannot run inside a transaction: drop the index in a migration of its own/ }],
      output: '-- DropIndex\nDROP INDEX "User_email_key";\n\n-- AlterTable\nALTER TABLE "User" ADD COLUMN "nick" TEXT;\n',
    },
    {
      name: 'Prisma, the only statement of the file: CONCURRENTLY runs there, no note',
      path: prisma,
      sql: '-- DropIndex\nDROP INDEX "User_email_key";\n',
      errors: [{ message: /Use DROP INDEX CONCURRENTLY\.$/ }],
      output: '-- DropIndex\nDROP INDEX CONCURRENTLY "User_email_key";\n',
    },
    { name: 'IF EXISTS and schema', sql: 'drop index if exists app.orders_created_idx;', errors: [{ message: /"app\.orders_created_idx"/ }], output: 'drop index CONCURRENTLY if exists app.orders_created_idx;' },
    {
      name: 'several indexes become one statement each',
      sql: 'DROP INDEX IF EXISTS a_idx, "B_idx";',
      errors: [{ message: /"a_idx", "B_idx"/ }],
      output: 'DROP INDEX CONCURRENTLY IF EXISTS a_idx;\nDROP INDEX CONCURRENTLY IF EXISTS "B_idx";',
    },
    { name: 'a name dropped with its constraint and then renamed into again (libpg_query alter_table.sql) is there', sql: 'ALTER TABLE onek DROP CONSTRAINT onek_unique1_constraint_foo;\nALTER TABLE onek RENAME CONSTRAINT onek_unique1_constraint TO onek_unique1_constraint_foo;\nDROP INDEX onek_unique1_constraint_foo;', errors: [{ text: 'DROP INDEX onek_unique1_constraint_foo;' }] },
    { name: 'an index dropped, then an unnamed CREATE INDEX that may take its name again (libpg_query indexing.sql)', sql: 'DROP INDEX idxpart_a_idx;\ncreate index on idxpart (a);\nDROP INDEX idxpart_a_idx;', errors: [{ text: 'DROP INDEX idxpart_a_idx;' }, { text: 'DROP INDEX idxpart_a_idx;' }] },
    { name: 'of two names, only the one still there is reported', sql: 'ALTER TABLE t DROP CONSTRAINT t_key;\nDROP INDEX IF EXISTS t_key, t_a_idx;', errors: [{ message: /^DROP INDEX "t_a_idx" takes/ }] },
    { name: 'CASCADE: no fix, the message explains', sql: 'DROP INDEX i CASCADE;', errors: [{ message: /does not support CASCADE/ }], output: 'DROP INDEX i CASCADE;' },
  ],
});

before(() => initParser());

/** The rule's findings per file of a history, each file linted with the schema before it (as the workspace does). */
function lintHistory(files: Record<string, string>): Record<string, string[]> {
  const config = resolveConfig({ ...DEFAULT_PGVET_JSON, rules: { 'require-concurrent-index-deletion': 'warning' } });
  const history = new Map<string, HistoryFile>();
  for (const [path, text] of Object.entries(files)) history.set(path, { path, text, parsed: parseSqlFile(text), context: detectFileContext(path, text) });
  const { steps } = replayHistory(history.values(), stepsNeeded(config, () => true));
  const out: Record<string, string[]> = {};
  for (const [path, file] of history) {
    const catalogBefore = steps.find((s) => s.file.path === path)?.before;
    out[path] = lintSql({ text: file.text, path, config, parsed: file.parsed, catalogBefore }).findings.filter((f) => f.ruleId === 'require-concurrent-index-deletion').map((f) => f.message);
  }
  return out;
}

test('an index that went with its table earlier in the file is not reported; one the history never made (made by hand) still is', () => {
  const findings = lintHistory({
    '/p/migrations/001_init.sql': 'CREATE TABLE reviews (id int PRIMARY KEY, body text);\nCREATE INDEX reviews_body_idx ON reviews (body);\nCREATE TABLE posts (id int, title text);\nCREATE INDEX posts_title_idx ON posts (title);\n',
    '/p/migrations/002_drop.sql': 'DROP TABLE reviews;\nDROP INDEX IF EXISTS reviews_body_idx;\nDROP INDEX IF EXISTS never_created_idx;\nDROP INDEX posts_title_idx;\n',
  });
  assert.deepEqual(findings['/p/migrations/001_init.sql'], []);
  assert.deepEqual(findings['/p/migrations/002_drop.sql'].map((m) => /^DROP INDEX "([^"]+)"/.exec(m)?.[1]), ['never_created_idx', 'posts_title_idx']);
});
