import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { findPrismaSchemaFiles } from '../../core/src/parse/prisma';
import { nodeDirectoryView } from '../../core/src/fs/disk';
import { OverlayFileSystem } from '../../core/src/fs/overlay';

// Which files make up the schema a .prisma file belongs to, on real folders in a temporary directory.

const DATASOURCE = 'datasource db {\n  provider = "postgresql"\n}\n';
const MODEL = (name: string) => `model ${name} {\n  id Int @id\n}\n`;

describe('findPrismaSchemaFiles', () => {
  const roots: string[] = [];
  after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  /** Writes `files` (relative path → text) under a fresh directory; returns a resolver of relative paths. */
  function tree(files: Record<string, string>): (rel: string) => string {
    const root = mkdtempSync(path.join(tmpdir(), 'pgvet-schema-folder-'));
    roots.push(root);
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    }
    return (rel) => path.join(root, rel);
  }
  const names = (at: (rel: string) => string, files: string[]) => files.map((f) => path.relative(at('.'), f).split(path.sep).join('/'));

  test('prismaSchemaFolder: any file of prisma/schema/, also one in a subfolder, stands for the whole folder', () => {
    const at = tree({
      'package.json': '{}',
      'prisma/schema/main.prisma': DATASOURCE,
      'prisma/schema/user.prisma': MODEL('User'),
      'prisma/schema/blog/post.prisma': MODEL('Post'),
      'prisma/schema/migrations/x.prisma': MODEL('NotPartOfIt'),
    });
    const all = ['prisma/schema/blog/post.prisma', 'prisma/schema/main.prisma', 'prisma/schema/user.prisma'];
    assert.deepEqual(names(at, findPrismaSchemaFiles(at('prisma/schema/blog/post.prisma'), nodeDirectoryView)), all);
    assert.deepEqual(names(at, findPrismaSchemaFiles(at('prisma/schema/main.prisma'), nodeDirectoryView)), all);
  });

  test('Prisma 6.7+: schema.prisma with the datasource at the top of prisma/, models beside and below it', () => {
    const at = tree({
      'package.json': '{ "name": "app" }',
      'prisma/schema.prisma': DATASOURCE,
      'prisma/models/user.prisma': MODEL('User'),
      'prisma/models/blog/post.prisma': MODEL('Post'),
    });
    const all = ['prisma/models/blog/post.prisma', 'prisma/models/user.prisma', 'prisma/schema.prisma'];
    assert.deepEqual(names(at, findPrismaSchemaFiles(at('prisma/models/blog/post.prisma'), nodeDirectoryView)), all);
    assert.deepEqual(names(at, findPrismaSchemaFiles(at('prisma/schema.prisma'), nodeDirectoryView)), all);
  });

  test("the editor's unsaved text counts: a datasource typed into schema.prisma but not saved makes prisma/ one schema", () => {
    const at = tree({
      'package.json': '{ "name": "app" }',
      'prisma/schema.prisma': MODEL('Account'),
      'prisma/models/user.prisma': MODEL('User'),
    });
    assert.deepEqual(names(at, findPrismaSchemaFiles(at('prisma/models/user.prisma'), nodeDirectoryView)), ['prisma/models/user.prisma'], 'on disk: no datasource, no folder');
    const files = new OverlayFileSystem(nodeDirectoryView);
    files.set(at('prisma/schema.prisma'), DATASOURCE + MODEL('Account'));
    assert.deepEqual(names(at, findPrismaSchemaFiles(at('prisma/models/user.prisma'), files)), ['prisma/models/user.prisma', 'prisma/schema.prisma']);
  });

  test('the folder named by prisma.config.ts or package.json, where nothing else would find it', () => {
    const layout = {
      'db/config/main.prisma': DATASOURCE,
      'db/models/user.prisma': MODEL('User'),
      'fixtures/other.prisma': MODEL('Fixture'),
    };
    const all = ['db/config/main.prisma', 'db/models/user.prisma'];
    const viaPackage = tree({ ...layout, 'package.json': '{ "prisma": { "schema": "./db" } }' });
    assert.deepEqual(names(viaPackage, findPrismaSchemaFiles(viaPackage('db/models/user.prisma'), nodeDirectoryView)), all);
    assert.deepEqual(names(viaPackage, findPrismaSchemaFiles(viaPackage('fixtures/other.prisma'), nodeDirectoryView)), ['fixtures/other.prisma'], 'a file outside the configured folder is on its own');
    const viaConfig = tree({ ...layout, 'package.json': '{}', 'prisma.config.ts': 'import { defineConfig } from "prisma/config";\n\nexport default defineConfig({\n  schema: "db/",\n});\n' });
    assert.deepEqual(names(viaConfig, findPrismaSchemaFiles(viaConfig('db/models/user.prisma'), nodeDirectoryView)), all);
    const unconfigured = tree({ ...layout, 'package.json': '{}' });
    assert.deepEqual(names(unconfigured, findPrismaSchemaFiles(unconfigured('db/models/user.prisma'), nodeDirectoryView)), ['db/models/user.prisma']);
  });

  test('single-file schemas stay single: beside package.json, a configured file, two datasources in one folder', () => {
    const rootSchema = tree({ 'package.json': '{}', 'schema.prisma': DATASOURCE + MODEL('A'), 'examples/other.prisma': DATASOURCE + MODEL('B') });
    assert.deepEqual(names(rootSchema, findPrismaSchemaFiles(rootSchema('schema.prisma'), nodeDirectoryView)), ['schema.prisma']);
    const configuredFile = tree({ 'package.json': '{ "prisma": { "schema": "db/schema.prisma" } }', 'db/schema.prisma': DATASOURCE, 'db/extra.prisma': MODEL('A') });
    assert.deepEqual(names(configuredFile, findPrismaSchemaFiles(configuredFile('db/schema.prisma'), nodeDirectoryView)), ['db/schema.prisma']);
    const twoSchemas = tree({ 'package.json': '{}', 'prisma/schema.prisma': DATASOURCE + MODEL('A'), 'prisma/legacy/schema.prisma': DATASOURCE + MODEL('B') });
    assert.deepEqual(names(twoSchemas, findPrismaSchemaFiles(twoSchemas('prisma/schema.prisma'), nodeDirectoryView)), ['prisma/schema.prisma']);
    const alone = tree({ 'package.json': '{}', 'prisma/schema.prisma': DATASOURCE + MODEL('A') });
    assert.deepEqual(names(alone, findPrismaSchemaFiles(alone('prisma/schema.prisma'), nodeDirectoryView)), ['prisma/schema.prisma']);
  });
});
