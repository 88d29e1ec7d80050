import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { get_dmmf } from '@prisma/prisma-schema-wasm';
import { resolveConfig } from '../../core/src/engine/resolve-config';
import { DEFAULT_PGVET_JSON } from '../../core/src/config/schema';
import { lintPrisma } from '../../core/src/engine/prisma-lint';
import { buildPrismaDatabaseModel, parsePrismaSchema } from '../../core/src/parse/prisma';
import { initParser } from '../../core/src/parse/sql/parser';
import { nodeDirectoryView } from '../../core/src/fs/disk';

// schema-migration-drift on real projects: the Prisma side must mean what Prisma means (checked against
// prisma-fmt's DMMF, the same engine `prisma` runs) and what the project's own history made.

const CORPUS = resolve(__dirname, '../../../shared/corpus');
const noCorpus = !existsSync(CORPUS) && 'corpus not checked out next to the repo';
const config = resolveConfig(DEFAULT_PGVET_JSON);

const lint = (schemaPath: string, text = readFileSync(schemaPath, 'utf8')) => lintPrisma({ path: schemaPath, text, config , fs: nodeDirectoryView }).findings;
const messages = (findings: ReturnType<typeof lint>, rule: string) => findings.filter((f) => f.ruleId === rule).map((f) => f.message);

before(() => initParser());

describe('named-argument @map / @@map', () => {
  test('prisma-examples rest-nextjs-api-routes-auth: `@@map(name: "users")` and `@map(name: "created_at")` give the names DMMF gives', { skip: noCorpus }, () => {
    const file = join(CORPUS, 'prisma__prisma-examples/typescript/rest-nextjs-api-routes-auth/prisma/schema.prisma');
    const text = readFileSync(file, 'utf8');
    assert.match(text, /@@map\(name: "users"\)/);
    // The wasm is Prisma 7's, which no longer takes `url` in the schema: the names do not depend on it.
    const dmmf = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: text.replace(/^\s*url\s*=.*$/m, '') }))).datamodel;
    const model = buildPrismaDatabaseModel(parsePrismaSchema([{ path: file, text }]));
    const theirs = dmmf.models.map((m: any) => `${m.dbName ?? m.name}(${m.fields.filter((f: any) => f.kind !== 'object').map((f: any) => f.dbName ?? f.name).join(', ')})`);
    const ours = model.tables.filter((t) => t.kind === 'model').map((t) => `${t.name}(${t.columns.map((c) => c.name).join(', ')})`);
    assert.deepEqual(ours.sort(), theirs.sort());
    assert.ok(ours.some((t) => t.startsWith('users(') && t.includes('created_at')), ours.join('\n'));
  });

  test('enum and value `@map(name:)`, `@@id(fields:, name:, map:)`: as DMMF has them', () => {
    const text = [
      'datasource db {', '  provider = "postgresql"', '}',
      'model User {', '  id   Int  @id @map(name: "user_id")', '  role Role', '  @@map(name: "users")', '}',
      'model Post {', '  id Int', '  k  Int', '  @@id(fields: [id, k], name: "pk", map: "post_pk")', '}',
      'enum Role {', '  A @map(name: "a")', '  @@map(name: "roles")', '}', '',
    ].join('\n');
    const dmmf = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: text }))).datamodel;
    const model = buildPrismaDatabaseModel(parsePrismaSchema([{ path: 'schema.prisma', text }]));
    const users = model.tables.find((t) => t.model === 'User')!;
    assert.equal(users.name, dmmf.models.find((m: any) => m.name === 'User').dbName);
    assert.deepEqual(users.columns.map((c) => c.name), ['user_id', 'role']);
    assert.equal(users.columns[1].type, 'roles');
    const post = model.tables.find((t) => t.model === 'Post')!;
    assert.deepEqual(post.primaryKey && [post.primaryKey.name, post.primaryKey.columns], ['post_pk', ['id', 'k']]);
    const role = model.enums[0];
    const dmmfRole = dmmf.enums[0];
    assert.deepEqual([role.dbName, role.values.map((v) => v.dbName)], [dmmfRole.dbName, dmmfRole.values.map((v: any) => v.dbName)]);
  });
});

describe('implicit many-to-many tables follow the history', () => {
  test('trigger.dev: four pre-Prisma-6 join tables (unique index _AB_unique, no _AB_pkey migration) are not drift, and get no second no-primary-key', { skip: noCorpus }, () => {
    const file = join(CORPUS, 'triggerdotdev__trigger.dev/internal-packages/database/prisma/schema.prisma');
    const findings = lint(file);
    const drift = messages(findings, 'schema-migration-drift');
    assert.deepEqual(drift.filter((m) => m.includes('"_')), []);
    // The one left: a partial index the schema declares as a plain one (see the report on the corpus findings).
    assert.equal(drift.length, 1, drift.join('\n'));
    assert.match(drift[0], /BulkActionGroup_environmentId_type_dedupeKey_idx/);
    assert.deepEqual(messages(findings, 'no-primary-key').filter((m) => m.includes('"_')), []);
  });

  describe('a small history', () => {
    let dir: string;
    const schema = [
      'datasource db {', '  provider = "postgresql"', '  url = env("DATABASE_URL")', '}',
      'model Post {', '  id   Int   @id', '  tags Tag[]', '}',
      'model Tag {', '  id    Int    @id', '  posts Post[]', '}', '',
    ].join('\n');
    const create = `CREATE TABLE "Post" ("id" INTEGER NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Tag" ("id" INTEGER NOT NULL, CONSTRAINT "Tag_pkey" PRIMARY KEY ("id"));
CREATE TABLE "_PostToTag" ("A" INTEGER NOT NULL, "B" INTEGER NOT NULL);
CREATE INDEX "_PostToTag_B_index" ON "_PostToTag"("B");
ALTER TABLE "_PostToTag" ADD CONSTRAINT "_PostToTag_A_fkey" FOREIGN KEY ("A") REFERENCES "Post"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "_PostToTag" ADD CONSTRAINT "_PostToTag_B_fkey" FOREIGN KEY ("B") REFERENCES "Tag"("id") ON DELETE CASCADE ON UPDATE CASCADE;
`;
    const project = (migrations: string[]) => {
      const root = mkdtempSync(join(dir, 'p-'));
      migrations.forEach((sql, k) => {
        const m = join(root, 'migrations', `2024010100000${k}_m${k}`);
        mkdirSync(m, { recursive: true });
        writeFileSync(join(m, 'migration.sql'), sql);
      });
      writeFileSync(join(root, 'schema.prisma'), schema);
      return messages(lint(join(root, 'schema.prisma'), schema), 'schema-migration-drift');
    };
    before(() => { dir = mkdtempSync(join(tmpdir(), 'pgvet-m2m-')); });
    after(() => rmSync(dir, { recursive: true, force: true }));

    test('Prisma 5 history (unique index): no drift', () => {
      assert.deepEqual(project([`${create}CREATE UNIQUE INDEX "_PostToTag_AB_unique" ON "_PostToTag"("A", "B");\n`]), []);
    });

    test('Prisma 6 history (primary key): no drift', () => {
      assert.deepEqual(project([`${create}ALTER TABLE "_PostToTag" ADD CONSTRAINT "_PostToTag_AB_pkey" PRIMARY KEY ("A", "B");\n`]), []);
    });

    test('Prisma 5 history, then the Prisma 6 upgrade migration: no drift', () => {
      assert.deepEqual(project([
        `${create}CREATE UNIQUE INDEX "_PostToTag_AB_unique" ON "_PostToTag"("A", "B");\n`,
        'ALTER TABLE "_PostToTag" ADD CONSTRAINT "_PostToTag_AB_pkey" PRIMARY KEY ("A", "B");\nDROP INDEX "_PostToTag_AB_unique";\n',
      ]), []);
    });

    test('a join table with neither key is still drift', () => {
      const drift = project([create]);
      assert.equal(drift.length, 1, drift.join('\n'));
      assert.match(drift[0], /Primary key of "_PostToTag": \(A, B\) in the schema, none in the migrations/);
    });
  });
});

test('prisma-examples postgis-express: Unsupported("\\"public\\".geography") is the geography the migration creates', { skip: noCorpus }, () => {
  const file = join(CORPUS, 'prisma__prisma-examples/typescript/postgis-express/prisma/schema.prisma');
  assert.deepEqual(messages(lint(file), 'schema-migration-drift'), []);
});
