import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { diffCatalogs, describeDifference } from '../../core/src/catalog/diff';
import { buildCatalog, migrationSetAt } from '../../core/src/catalog/history';
import { emptyCatalog, TEMP_SCHEMA, type Catalog } from '../../core/src/catalog/model';
import { nodeDirectoryView } from '../../core/src/fs/disk';
import { applyStatement } from '../../core/src/catalog/replay';
import { snapshotCatalog } from '../../core/src/catalog/snapshot';
import { initParser, parseSqlFile } from '../../core/src/parse/sql/parser';
import { PROJECTS } from './agreement/projects';

/**
 * Copy-on-write snapshots (catalog/snapshot.ts) against the real histories: a snapshot before every statement,
 * as the generated-down planner takes them. Each snapshot must still equal a deep copy taken at the same moment
 * after the replay went on, no write may hit a frozen object, and the final catalog must equal a plain replay.
 */
const corpus = path.resolve(__dirname, '../../../shared/corpus');

before(async () => {
  await initParser();
});

/** Structural copy independent of the snapshot machinery (Maps included). */
const plainCopy = (c: Catalog): Catalog => structuredClone(c);

describe('catalog snapshots', () => {
  for (const project of PROJECTS) {
    it(project.name, () => {
      const set = migrationSetAt(path.isAbsolute(project.dir) ? project.dir : path.resolve(corpus, project.dir), nodeDirectoryView);
      assert.ok(set && set.migrations.length > 0);
      const catalog = emptyCatalog();
      // Every 25th statement, keep the snapshot and an independent copy to compare once the replay is over.
      const kept: { at: string; snapshot: Catalog; copy: Catalog }[] = [];
      let statements = 0;
      for (const m of set.migrations) {
        const parsed = parseSqlFile(m.upText);
        catalog.searchPath = [...(project.searchPath ?? ['public'])];
        for (const stmt of parsed.statements) {
          const snapshot = snapshotCatalog(catalog);
          if (statements++ % 25 === 0) kept.push({ at: `${path.basename(m.path)}@${stmt.start}`, snapshot, copy: plainCopy(snapshot) });
          applyStatement(catalog, m.path, parsed.text, stmt);
        }
        catalog.schemas.delete(TEMP_SCHEMA);
      }
      const frozenWrites = catalog.notes.filter((n) => /read.only|not extensible|Cannot (add|assign|delete)/i.test(n.message));
      assert.deepEqual(frozenWrites.map((n) => n.message), [], 'a replay handler wrote to a shared (frozen) object');
      const plain = buildCatalog(set.migrations, { searchPath: project.searchPath });
      assert.deepEqual(diffCatalogs(plain, catalog).map(describeDifference), [], 'replay with snapshots differs from a plain replay');
      assert.equal(catalog.notes.length, plain.notes.length);
      for (const k of kept) assert.deepEqual(diffCatalogs(k.copy, k.snapshot).map(describeDifference), [], `snapshot at ${k.at} changed after it was taken`);
      assert.ok(statements > 0 && kept.length > 0);
    });
  }
});

it('a snapshot does not see later changes, and the catalog does not see changes to the snapshot', () => {
  const catalog = emptyCatalog();
  const run = (c: Catalog, sql: string) => {
    const parsed = parseSqlFile(sql);
    for (const s of parsed.statements) applyStatement(c, 'x.sql', parsed.text, s);
  };
  run(catalog, 'CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id)); CREATE TYPE mood AS ENUM (\'ok\');');
  const snap = snapshotCatalog(catalog);
  run(catalog, 'ALTER TABLE b ADD COLUMN note text; ALTER TYPE mood ADD VALUE \'sad\'; ALTER TABLE a RENAME TO aa; DROP INDEX a_pkey CASCADE;');
  run(snap, 'ALTER TABLE a ADD COLUMN x int;');
  const pub = (c: Catalog) => c.schemas.get('public')!;
  assert.deepEqual(pub(snap).tables.get('b')!.columns.map((c) => c.name), ['id', 'a_id']);
  assert.deepEqual(pub(snap).enums.get('mood')!.values, ['ok']);
  assert.deepEqual(pub(snap).tables.get('b')!.foreignKeys.map((f) => f.references.name), ['a']);
  assert.deepEqual(pub(snap).tables.get('a')!.columns.map((c) => c.name), ['id', 'x']);
  assert.deepEqual(pub(catalog).tables.get('b')!.columns.map((c) => c.name), ['id', 'a_id', 'note']);
  assert.deepEqual(pub(catalog).enums.get('mood')!.values, ['ok', 'sad']);
  assert.deepEqual(pub(catalog).tables.get('aa')!.columns.map((c) => c.name), ['id']);
  // Dropping the referenced key dropped the foreign key that leaned on it.
  assert.deepEqual(pub(catalog).tables.get('b')!.foreignKeys, []);
  assert.equal(catalog.notes.length, 0, catalog.notes.map((n) => n.message).join('; '));
});
