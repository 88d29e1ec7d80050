import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_PGVET_JSON, type PgvetJson, type RuleSetting } from '../../server/src/config/schema';
import { resolveConfig } from '../../server/src/config/resolve';
import { lintPrisma } from '../../server/src/engine/prisma-lint';
import { parsePrismaFile } from '../../server/src/parse/prisma';
import { RULES } from '../../server/src/rules';
import { applyEdits, catalogRuleTests } from '../support/catalog-rule-tester';

catalogRuleTests('no-primary-key', {
  valid: [
    { name: 'Prisma: @@id is a key', prisma: 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\nmodel M {\n  a Int\n  b Int\n  @@id([a, b])\n}\n' },
    { name: 'key added in a later migration', files: { 'migrations/001.sql': 'CREATE TABLE t (id int NOT NULL);\n', 'migrations/002.sql': 'ALTER TABLE t ADD PRIMARY KEY (id);\n' } },
    { name: 'views are not tables', files: { 'migrations/001.sql': 'CREATE TABLE t (id int PRIMARY KEY);\nCREATE VIEW v AS SELECT id FROM t;\n' } },
    {
      name: 'partitions inherit the key of the partitioned table',
      files: { 'migrations/001.sql': "CREATE TABLE m (id int, at date, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);\nCREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n" },
    },
    { name: 'the keyless table was dropped', files: { 'migrations/001.sql': 'CREATE TABLE t (a int);\n', 'migrations/002.sql': 'DROP TABLE t;\n' } },
  ],
  invalid: [
    {
      files: { 'migrations/001.sql': 'CREATE TABLE events (payload jsonb);\n' },
      errors: [{ text: 'CREATE TABLE events (payload jsonb);', message: /"events" has no primary key.*logical replication.*identity column/ }],
    },
    {
      name: 'the key was dropped later; a unique index on NOT NULL columns is suggested',
      files: {
        'migrations/001.sql': 'CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL UNIQUE);\n',
        'migrations/002.sql': 'ALTER TABLE users DROP CONSTRAINT users_pkey;\n',
      },
      errors: [{ file: 'migrations/001.sql', message: /"users_email_key" on NOT NULL columns \(email\)/ }],
    },
    {
      name: 'renamed table: the message uses today\'s name',
      files: { 'migrations/001.sql': 'CREATE TABLE a (x int);\n', 'migrations/002.sql': 'ALTER TABLE a RENAME TO b;\n' },
      errors: [{ file: 'migrations/001.sql', message: /"b" has no primary key/ }],
    },
    {
      name: 'Prisma model without @id (only @@unique)',
      prisma: 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\nmodel Log {\n  a Int\n  b Int\n  @@unique([a, b])\n}\n',
      errors: [{ message: /"Log" has no primary key/ }],
    },
  ],
});

/** Prisma quick fixes: run through lintPrisma (which hands the rules the parsed schema), apply the fix, re-parse, re-lint. */
function prismaFixed(ruleId: string, schema: string, project: Partial<PgvetJson> = {}): string | undefined {
  const rules: Record<string, RuleSetting> = Object.fromEntries(RULES.map((r) => [r.id, r.id === ruleId ? 'warning' : 'off']));
  const config = resolveConfig({ ...DEFAULT_PGVET_JSON, ...project, rules });
  const lint = (text: string) => lintPrisma({ path: '/p/prisma/schema.prisma', text, config, fs: { readFile: () => undefined, list: () => [] } }).findings.filter((f) => f.ruleId === ruleId);
  const findings = lint(schema);
  assert.equal(findings.length, 1, findings.map((f) => f.message).join('\n'));
  if (!findings[0].fix) return undefined;
  const fixed = applyEdits(schema, findings[0].fix.edits);
  assert.deepEqual(parsePrismaFile(fixed, 'schema.prisma').diagnostics.map((d) => d.message), [], 'the fixed schema parses');
  assert.deepEqual(lint(fixed).map((f) => f.message), [], 'nothing left to report after the fix');
  return fixed;
}

const DS = 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\n';

test('Prisma fix: @id on the field named id, the attribute column re-aligned', () => {
  const schema = DS + 'model Event {\n  id      String\n  payload Json   @default("{}")\n  at      DateTime\n}\n';
  assert.equal(prismaFixed('no-primary-key', schema), DS + 'model Event {\n  id      String   @id\n  payload Json     @default("{}")\n  at      DateTime\n}\n');
});

test('Prisma: no fix without a field named id', () => {
  assert.equal(prismaFixed('no-primary-key', DS + 'model Log {\n  a Int\n  b Int\n\n  @@unique([a, b])\n}\n'), undefined);
});
