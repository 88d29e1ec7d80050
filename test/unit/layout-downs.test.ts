import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { LAYOUTS, LAYOUT_IDS, type DownKind, type LayoutId } from '../../core/src/catalog/layouts';
import { LAYOUTS_WITH_DOWNS, historyKeepsDowns } from '../../core/src/catalog/layouts/downs';
import { resolveConfig } from '../../core/src/engine/resolve-config';
import { DEFAULT_PGVET_JSON } from '../../core/src/config/schema';
import { WorkspaceIndex } from '../../core/src/engine/workspace';
import { downFileName } from '../../core/src/fixes/generate-down';
import { initParser } from '../../core/src/parse/sql/parser';
import { RULES } from '../../core/src/rules';
import { memoryDirectory } from '../reversibility/paired-history';

/**
 * `LayoutSpec.down` is the one place that says whether and where a tool keeps down migrations; the rules about
 * downs, the generated down and verify all read it. What each tool does (RULES.md, "migration layouts"):
 * `migrate down`, `diesel migration revert`, `flyway undo`, `soda migrate down` and `sqitch revert` run a file of
 * their own; `goose down` and `dbmate rollback` run a section of the up file; Prisma Migrate, the Supabase CLI,
 * drizzle-kit and a plain folder run no downs.
 */
const TOOLS: Record<DownKind, LayoutId[]> = {
  file: ['diesel', 'flyway', 'golang-migrate', 'pop', 'sqitch'],
  section: ['dbmate', 'goose'],
  none: ['drizzle', 'plain', 'prisma', 'supabase'],
};

const UP = 'CREATE TABLE users (id int PRIMARY KEY);\n';
/** A down that runs but leaves the table behind (down-does-not-revert-up), or none at all (missing-down-migration). */
const BAD_DOWN = 'SELECT 1;\n';
const SQITCH_PLAN = '%project=app\nusers 2024-01-01T00:00:00Z dev <dev@example.com> # users\n';

/** One history per layout: the migration under test (`up`), and the files that give it a down when the layout has one. */
const HISTORIES: Record<LayoutId, { up: string; files: Record<string, string>; down?: Record<string, string> }> = {
  'golang-migrate': { up: 'migrations/000001_users.up.sql', files: { 'migrations/000001_users.up.sql': UP }, down: { 'migrations/000001_users.down.sql': BAD_DOWN } },
  diesel: { up: 'migrations/2024-01-01-000000_users/up.sql', files: { 'migrations/2024-01-01-000000_users/up.sql': UP }, down: { 'migrations/2024-01-01-000000_users/down.sql': BAD_DOWN } },
  // Undo files are an edition feature: a folder keeps downs once one U… file exists.
  flyway: { up: 'sql/V2__users.sql', files: { 'sql/V1__init.sql': 'CREATE SCHEMA app;\n', 'sql/U1__init.sql': 'DROP SCHEMA app;\n', 'sql/V2__users.sql': UP }, down: { 'sql/U2__users.sql': BAD_DOWN } },
  pop: { up: 'migrations/20240101000000_users.postgres.up.sql', files: { 'migrations/20240101000000_users.postgres.up.sql': UP }, down: { 'migrations/20240101000000_users.postgres.down.sql': BAD_DOWN } },
  sqitch: { up: 'db/deploy/users.sql', files: { 'db/sqitch.plan': SQITCH_PLAN, 'db/deploy/users.sql': UP }, down: { 'db/revert/users.sql': BAD_DOWN } },
  goose: { up: 'migrations/00001_users.sql', files: { 'migrations/00001_users.sql': `-- +goose Up\n${UP}` }, down: { 'migrations/00001_users.sql': `-- +goose Up\n${UP}-- +goose Down\n${BAD_DOWN}` } },
  dbmate: { up: 'db/migrations/20240101000000_users.sql', files: { 'db/migrations/20240101000000_users.sql': `-- migrate:up\n${UP}` }, down: { 'db/migrations/20240101000000_users.sql': `-- migrate:up\n${UP}-- migrate:down\n${BAD_DOWN}` } },
  prisma: { up: 'prisma/migrations/1_users/migration.sql', files: { 'prisma/migrations/1_users/migration.sql': UP } },
  supabase: { up: 'supabase/migrations/20240101000000_users.sql', files: { 'supabase/migrations/20240101000000_users.sql': UP } },
  drizzle: { up: 'drizzle/0000_users.sql', files: { 'drizzle/0000_users.sql': `${UP}--> statement-breakpoint\nCREATE INDEX users_id_idx ON users (id);\n` } },
  plain: { up: 'migrations/001_users.sql', files: { 'migrations/001_users.sql': UP, 'migrations/002_posts.sql': 'CREATE TABLE posts (id int);\n' } },
};

const DOWN_RULES = ['missing-down-migration', 'down-does-not-revert-up'];
const config = resolveConfig({ ...DEFAULT_PGVET_JSON, rules: Object.fromEntries(RULES.map((r) => [r.id, DOWN_RULES.includes(r.id) ? 'warning' : 'off'])) });

/** The down rules' findings on the migration under test, linted through the workspace index as the editor and the CLI do. */
function downFindings(layout: LayoutId, files: Record<string, string>): string[] {
  const index = new WorkspaceIndex(['/project'], memoryDirectory(files));
  index.build();
  index.focusAll();
  const up = `/project/${HISTORIES[layout].up}`;
  assert.equal(index.setOf(up)?.layout, layout, `the ${layout} history is found as ${layout}`);
  return index.catalogFindings(up, config).map((f) => f.ruleId).sort();
}

before(() => initParser());

describe('LayoutSpec.down', () => {
  test('every layout declares down, and the layout ids are spelled once', () => {
    assert.deepEqual(LAYOUTS.map((l) => l.id).sort(), [...LAYOUT_IDS].sort());
    for (const l of LAYOUTS) assert.ok(['file', 'section', 'none'].includes(l.down), `${l.id} declares down`);
  });

  test('each layout keeps its downs where its tool does', () => {
    const declared = Object.fromEntries((['file', 'section', 'none'] as const).map((k) => [k, LAYOUTS.filter((l) => l.down === k).map((l) => l.id).sort()]));
    assert.deepEqual(declared, TOOLS);
  });

  test('the lists about downs are derived from it', () => {
    assert.deepEqual([...LAYOUTS_WITH_DOWNS].sort(), [...TOOLS.file, ...TOOLS.section].sort());
    for (const l of LAYOUTS) {
      assert.equal(historyKeepsDowns({ layout: l.id, migrations: [{ downPath: '/x' }] }), l.down !== 'none', `${l.id}: historyKeepsDowns`);
      // The generated down is written to a file of its own exactly where the tool keeps one.
      assert.equal(downFileName(l.id, `/project/${HISTORIES[l.id].up}`) !== undefined, l.down === 'file', `${l.id}: downFileName`);
    }
  });

  for (const l of LAYOUTS) {
    const history = HISTORIES[l.id];
    if (l.down === 'none') {
      test(`${l.id} keeps no downs: neither down rule reports its migration`, () => {
        assert.deepEqual(downFindings(l.id, history.files), []);
      });
      continue;
    }
    test(`${l.id} keeps downs in a ${l.down}: missing-down-migration without one, down-does-not-revert-up with a wrong one`, () => {
      assert.ok(history.down, `${l.id}: the test history has a down`);
      assert.deepEqual(downFindings(l.id, history.files), ['missing-down-migration']);
      assert.deepEqual(downFindings(l.id, { ...history.files, ...history.down }), ['down-does-not-revert-up']);
    });
  }
});
