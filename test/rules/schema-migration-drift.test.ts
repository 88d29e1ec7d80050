import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { resolveConfig } from '../../core/src/engine/resolve-config';
import { DEFAULT_PGVET_JSON, type RuleSetting } from '../../core/src/config/schema';
import { lintPrisma } from '../../core/src/engine/prisma-lint';
import { initParser } from '../../core/src/parse/sql/parser';
import { RULES } from '../../core/src/rules';
import { catalogRuleTests } from '../support/catalog-rule-tester';
import { nodeDirectoryView } from '../../core/src/fs/disk';

// The drift rule needs a schema and the migrations/ folder beside it, which the table-driven catalog
// tester does not model (its Prisma cases have no history), so these cases go through lintPrisma on
// temporary Prisma projects.

const DS = 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\n';

const INIT = `CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "tags" TEXT[] NOT NULL,
    "seenAt" TIMESTAMPTZ,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "Post" (
    "id" SERIAL NOT NULL,
    "authorId" INTEGER NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE INDEX "Post_authorId_idx" ON "Post"("authorId");
CREATE INDEX "Post_title_lower_idx" ON "Post"(lower("title"));
ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
`;

const MATCHING = DS + `model User {
  id     Int       @id @default(autoincrement())
  email  String    @unique
  tags   String[]
  seenAt DateTime? @db.Timestamptz(6)
  posts  Post[]
}

model Post {
  id       Int    @id @default(autoincrement())
  authorId Int
  title    String @db.VarChar(200)
  author   User   @relation(fields: [authorId], references: [id])

  @@index([authorId])
}
`;

let root: string;
let n = 0;

/** A Prisma project in a fresh folder: prisma/schema.prisma and prisma/migrations/<name>/migration.sql. */
function project(schema: string, migrations: Record<string, string> | undefined): string {
  const dir = path.join(root, `p${n++}`, 'prisma');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'schema.prisma'), schema);
  if (migrations) {
    for (const [name, sql] of Object.entries(migrations)) {
      mkdirSync(path.join(dir, 'migrations', name), { recursive: true });
      writeFileSync(path.join(dir, 'migrations', name, 'migration.sql'), sql);
    }
    writeFileSync(path.join(dir, 'migrations', 'migration_lock.toml'), 'provider = "postgresql"\n');
  }
  return path.join(dir, 'schema.prisma');
}

function lint(ruleId: string, schema: string, migrations?: Record<string, string>): { text: string; message: string }[] {
  const rules: Record<string, RuleSetting> = Object.fromEntries(RULES.map((r) => [r.id, r.id === ruleId ? 'warning' : 'off']));
  const config = resolveConfig({ ...DEFAULT_PGVET_JSON, rules });
  const result = lintPrisma({ path: project(schema, migrations), text: schema, config , fs: nodeDirectoryView });
  assert.deepEqual(result.ruleFailures, []);
  return result.findings.filter((f) => f.ruleId === ruleId).map((f) => ({ text: schema.slice(f.start, f.end), message: f.message }));
}

describe('schema-migration-drift', () => {
  before(async () => {
    await initParser();
    root = mkdtempSync(path.join(tmpdir(), 'pgvet-drift-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('is registered as a schema rule', () => {
    assert.ok(RULES.find((r) => r.id === 'schema-migration-drift')?.checkCatalog);
  });

  test('valid: no migrations folder, nothing to compare', () => {
    assert.deepEqual(lint('schema-migration-drift', MATCHING.replace('@@index([authorId])', '@@index([title])')), []);
  });

  test('valid: the migrations build what the schema says (names, timestamptz(6), NOT NULL lists and expression indexes aside)', () => {
    assert.deepEqual(lint('schema-migration-drift', MATCHING, { '20240101000000_init': INIT }), []);
  });

  test('invalid: field, index and model only in the schema, placed on them', () => {
    const schema = MATCHING
      .replace('  posts  Post[]\n', '  posts  Post[]\n  name   String?\n')
      .replace('  @@index([authorId])\n', '  @@index([authorId])\n  @@index([title])\n')
      + '\nmodel Tag {\n  id Int @id\n}\n';
    const found = lint('schema-migration-drift', schema, { '20240101000000_init': INIT });
    assert.deepEqual(found.map((f) => f.text), ['name   String?', '@@index([title])', 'model Tag {\n  id Int @id\n}']);
    assert.match(found[0].message, /schema has column "User\.name" \(text\), but the migrations never create it/);
    assert.match(found[1].message, /schema has an index on \(title\) on "Post" \("Post_title_idx"\) that the migrations never create/);
    assert.match(found[2].message, /schema has model table "Tag", but the migrations never create it/);
  });

  test('invalid: type and nullability differences on the field; columns, indexes and tables only in the migrations on the model or datasource', () => {
    const later = `ALTER TABLE "Post" ADD COLUMN "draft" BOOLEAN;
ALTER TABLE "Post" ALTER COLUMN "title" TYPE TEXT;
ALTER TABLE "User" ALTER COLUMN "email" DROP NOT NULL;
CREATE INDEX "User_seenAt_idx" ON "User"("seenAt");
CREATE TABLE "audit" ("id" BIGSERIAL PRIMARY KEY);
`;
    const found = lint('schema-migration-drift', MATCHING, { '20240101000000_init': INIT, '20240201000000_later': later });
    assert.deepEqual(found.map((f) => f.text.split('\n')[0]), ['datasource db {', 'model User {', 'email  String    @unique', 'model Post {', 'title    String @db.VarChar(200)']);
    assert.match(found[0].message, /migrations \(20240201000000_later\/migration\.sql\) create table "audit", but no model maps to it/);
    assert.match(found[1].message, /create an index on \(seenAt\) on "User" \("User_seenAt_idx"\) that the model does not declare/);
    assert.match(found[2].message, /"User\.email" differs .*: NOT NULL in the schema, nullable in the migrations/);
    assert.match(found[3].message, /give "Post" a column the model does not have: "draft" boolean/);
    assert.match(found[4].message, /"Post\.title" differs .*: type character varying\(200\) in the schema, text in the migrations/);
  });
});

describe('schema-migration-drift on CREATE TABLE … AS tables (civitai builds its rank tables so)', () => {
  before(async () => {
    await initParser();
    root ??= mkdtempSync(path.join(tmpdir(), 'pgvet-drift-'));
  });

  test('a column typed by its query is compared; one computed by a user function (type unknown to the catalog) is not', () => {
    const rank = `CREATE TABLE "Rank" AS SELECT "id", my_score("id") AS "score", count(*) AS "total" FROM "User" GROUP BY "id";
ALTER TABLE "Rank" ADD PRIMARY KEY ("id");
`;
    const schema = MATCHING + '\nmodel Rank {\n  id    Int  @id\n  score Int?\n  total Int?\n}\n';
    const found = lint('schema-migration-drift', schema, { '20240101000000_init': INIT, '20240301000000_rank': rank });
    assert.deepEqual(found.map((f) => f.text), ['total Int?']);
    assert.match(found[0].message, /"Rank\.total" differs .*: type integer in the schema, bigint in the migrations/);
  });

  test('many columns differing the same way are one finding on the model, naming them (civitai ArticleRank: 66 rank columns bigint)', () => {
    const ranks = ['a', 'b', 'c', 'd'].map((x) => `ROW_NUMBER() OVER (ORDER BY "id") AS "${x}Rank"`).join(', ');
    const rank = `CREATE TABLE "Rank" AS SELECT "id", ${ranks} FROM "User";\nALTER TABLE "Rank" ADD PRIMARY KEY ("id");\n`;
    const schema = MATCHING + '\nmodel Rank {\n  id    Int  @id\n  aRank Int?\n  bRank Int?\n  cRank Int?\n  dRank Int?\n}\n';
    const found = lint('schema-migration-drift', schema, { '20240101000000_init': INIT, '20240301000000_rank': rank });
    assert.equal(found.length, 1);
    assert.match(found[0].message, /^4 columns of "Rank" differ between the schema and the migrations \(20240301000000_rank\/migration\.sql\) the same way — type integer in the schema, bigint in the migrations: "aRank", "bRank", "cRank", "dRank"\.$/);
    assert.match(found[0].text, /^model Rank/);
  });
});

describe('RLS state from the migrations beside a schema', () => {
  before(async () => {
    await initParser();
    root ??= mkdtempSync(path.join(tmpdir(), 'pgvet-drift-'));
  });

  test('rls-disabled judges models by the migrations: the table with RLS is not flagged, the other is', () => {
    const rls = 'ALTER TABLE "Post" ENABLE ROW LEVEL SECURITY;\nCREATE POLICY own ON "Post" USING ("authorId" = current_setting(\'app.user_id\')::int);\n';
    const found = lint('rls-disabled', MATCHING, { '20240101000000_init': INIT, '20240102000000_rls': rls });
    assert.deepEqual(found.map((f) => f.text.split('\n')[0]), ['model User {']);
    assert.deepEqual(lint('rls-enabled-no-policy', MATCHING, { '20240101000000_init': INIT, '20240102000000_rls': rls }), []);
  });
});

// The same rule through the shared table-driven tester: `files` are the migrations beside the schema.
catalogRuleTests('schema-migration-drift', {
  valid: [
    {
      name: 'schema and migrations agree',
      prisma: `${DS}model User {\n  id    Int    @id @default(autoincrement())\n  email String\n}\n`,
      files: { 'migrations/20240101000000_init/migration.sql': 'CREATE TABLE "User" ("id" SERIAL NOT NULL, "email" TEXT NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));' },
    },
  ],
  invalid: [
    {
      name: 'a field the migrations never created',
      prisma: `${DS}model User {\n  id    Int    @id @default(autoincrement())\n  email String\n  name  String\n}\n`,
      files: { 'migrations/20240101000000_init/migration.sql': 'CREATE TABLE "User" ("id" SERIAL NOT NULL, "email" TEXT NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));' },
      errors: [{ message: /name/ }],
    },
  ],
});
