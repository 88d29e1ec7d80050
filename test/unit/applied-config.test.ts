import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MigrationSet } from '../../core/src/catalog/history';
import { readProjectConfig } from '../../core/src/engine/resolve-config';
import { appliedCount, configuredApplied } from '../../core/src/engine/migration-state';

const set = (layout: 'prisma' | 'golang-migrate', dir: string, files: [string, string][]): MigrationSet => ({
  dir,
  layout,
  migrations: files.map(([path, version]) => ({ path: `${dir}/${path}`, version, layout, text: '', upText: '', context: { path, layout, transactional: false } as never })),
});

test('pgvet.json "applied": a name for every history, or one per history folder; anything else is a problem', () => {
  assert.deepEqual(readProjectConfig({ applied: '20240101000000_init' }).problems, []);
  assert.deepEqual(readProjectConfig({ applied: { 'prisma/migrations': '20240101000000_init', '/abs/db': '0002' } }).problems, []);
  for (const bad of [3, '', { 'prisma/migrations': '' }, ['x']]) {
    const { problems } = readProjectConfig({ applied: bad });
    assert.equal(problems[0]?.path[0], 'applied', JSON.stringify(bad));
  }
});

test('the history folder is keyed relative to pgvet.json, or absolutely', () => {
  const project = readProjectConfig({ applied: { 'prisma/migrations': 'a', '/abs/db': 'b' } }).config;
  assert.equal(configuredApplied(project, '/repo/pgvet.json', '/repo/prisma/migrations'), 'a');
  assert.equal(configuredApplied(project, '/repo/pgvet.json', '/abs/db'), 'b');
  assert.equal(configuredApplied(project, '/repo/pgvet.json', '/repo/other'), undefined, 'a history it does not name falls back to git');
  assert.equal(configuredApplied(readProjectConfig({ applied: 'c' }).config, '/repo/pgvet.json', '/anywhere'), 'c');
});

test('a migration answers to its version, its folder (Prisma) or its file name with or without extensions', () => {
  const prisma = set('prisma', '/p', [['20240101000000_init/migration.sql', '20240101000000'], ['20240201000000_more/migration.sql', '20240201000000']]);
  assert.equal(appliedCount(prisma, '20240101000000_init'), 1);
  assert.equal(appliedCount(prisma, '20240201000000'), 2);
  assert.equal(appliedCount(prisma, 'migration.sql'), undefined, 'every Prisma migration is a migration.sql: not a name');
  assert.equal(appliedCount(prisma, 'nope'), undefined);
  const gm = set('golang-migrate', '/g', [['0001_init.up.sql', '0001'], ['0002_more.up.sql', '0002']]);
  assert.equal(appliedCount(gm, '0001_init'), 1);
  assert.equal(appliedCount(gm, '0001_init.up.sql'), 1);
  assert.equal(appliedCount(gm, '0002'), 2);
});
