import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { before, describe, test } from 'node:test';
import { emptyCatalog } from '../../core/src/catalog/model';
import { nodeDirectoryView } from '../../core/src/fs/disk';
import { resolveConfig } from '../../core/src/engine/resolve-config';
import { DEFAULT_PGVET_JSON } from '../../core/src/config/schema';
import { lintPrisma, type MigrationHistories } from '../../core/src/engine/prisma-lint';
import { indexedHistories, WorkspaceIndex } from '../../core/src/engine/workspace';
import { initParser } from '../../core/src/parse/sql/parser';

// The language server hands lintPrisma the workspace index's catalog of the migrations folder beside a
// schema instead of letting it parse and replay the folder again; the CLI has no index and reads the folder.
// Both must find the same things. trigger.dev: 820 Prisma migrations, RLS and drift findings among them.

const DATABASE = resolve(__dirname, '../../../shared/corpus/triggerdotdev__trigger.dev/internal-packages/database');
const SCHEMA = join(DATABASE, 'prisma/schema.prisma');
const MIGRATIONS = join(DATABASE, 'prisma/migrations');

describe('lintPrisma with the workspace index as its migration histories', { skip: !existsSync(SCHEMA) && 'the corpus is not on this machine' }, () => {
  const config = resolveConfig(DEFAULT_PGVET_JSON);
  let text: string;
  let index: WorkspaceIndex;

  before(async () => {
    await initParser();
    text = readFileSync(SCHEMA, 'utf8');
    index = new WorkspaceIndex([DATABASE], nodeDirectoryView);
    index.build();
  });

  test('finds exactly what reading the migrations folder finds, from the index’s catalog', () => {
    const alone = lintPrisma({ path: SCHEMA, text, config, fs: nodeDirectoryView });
    const asked: string[] = [];
    const indexed = indexedHistories(index);
    const histories: MigrationHistories = {
      catalogOfFolder(dir) {
        const catalog = indexed.catalogOfFolder(dir);
        if (catalog) asked.push(dir);
        return catalog;
      },
    };
    const withIndex = lintPrisma({ path: SCHEMA, text, config, histories, fs: nodeDirectoryView });

    assert.deepEqual(asked, [MIGRATIONS], 'the index held the folder and gave its catalog');
    assert.equal(withIndex.migrationsDir, MIGRATIONS);
    assert.equal(alone.migrationsDir, MIGRATIONS);
    assert.deepEqual(alone.ruleFailures, []);
    assert.deepEqual(withIndex.ruleFailures, []);
    assert.ok(alone.findings.length > 0);
    assert.deepEqual(withIndex.findings, alone.findings);
  });

  test('the provider’s catalog is the one checked against (an empty history makes every model drift)', () => {
    const drift = (histories?: MigrationHistories) => lintPrisma({ path: SCHEMA, text, config, histories, fs: nodeDirectoryView }).findings.filter((f) => f.ruleId === 'schema-migration-drift').length;
    const empty = emptyCatalog();
    assert.ok(drift({ catalogOfFolder: (dir) => (resolve(dir) === MIGRATIONS ? empty : undefined) }) > drift(indexedHistories(index)));
  });

  test('a folder the provider does not hold is read from disk, as the CLI does', () => {
    const none: MigrationHistories = { catalogOfFolder: () => undefined };
    const result = lintPrisma({ path: SCHEMA, text, config, histories: none, fs: nodeDirectoryView });
    assert.equal(result.migrationsDir, MIGRATIONS);
    assert.deepEqual(result.findings, lintPrisma({ path: SCHEMA, text, config, fs: nodeDirectoryView }).findings);
  });
});
