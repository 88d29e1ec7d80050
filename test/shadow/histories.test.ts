import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { historyForQuery, relationsNamed, shadowHistories, type ShadowHistory } from '../../core/src/shadow/histories';
import { createShadowDatabase } from '../../core/src/shadow/shadow-db';
import { buildCatalog, type MigrationSet } from '../../core/src/catalog/history';
import type { Catalog } from '../../core/src/catalog/model';
import { initParser } from '../../core/src/parse/sql/parser';
import { CORPUS, setsUnder } from './support';

// trigger.dev keeps separate databases' histories side by side: internal-packages/database (Prisma, 820
// migrations), internal-packages/run-ops-database (Prisma, 3) and dashboard-agent-db (drizzle). Replayed into
// one shadow database they collide (run-ops-database creates the types and tables database already has), and
// Explain published those collisions as "fails on PostgreSQL" errors. Each history gets its own database, and
// Explain picks the history by the tables the query names.

const TRIGGER = path.join(CORPUS, 'triggerdotdev__trigger.dev');
const noCorpus = !existsSync(TRIGGER) && 'corpus not cloned';
const DATABASE = path.join(TRIGGER, 'internal-packages/database/prisma/migrations');
const RUN_OPS = path.join(TRIGGER, 'internal-packages/run-ops-database/prisma/migrations');
const AGENT = path.join(TRIGGER, 'internal-packages/dashboard-agent-db/drizzle');

const set = (dir: string, layout: MigrationSet['layout']): MigrationSet => ({ dir, layout, migrations: [] });

describe('histories of a workspace', () => {
  test('each tool folder is a history; a plain folder joins the nearest one; plain folders alone are one', () => {
    const api = set('/w/api/prisma/migrations', 'prisma');
    const jobs = set('/w/jobs/migrations', 'golang-migrate');
    const fixes = set('/w/api/sql/data-fixes', 'plain');
    const seeds = set('/w/seeds', 'plain');
    assert.deepEqual(shadowHistories([api, jobs, fixes], '/w').map((h) => [h.id, h.sets.map((s) => s.dir)]), [
      ['/w/api/prisma/migrations', ['/w/api/prisma/migrations', '/w/api/sql/data-fixes']],
      ['/w/jobs/migrations', ['/w/jobs/migrations']],
    ]);
    assert.deepEqual(shadowHistories([fixes, seeds], '/w'), [{ id: '/w', sets: [fixes, seeds] }]);
    assert.deepEqual(shadowHistories([], '/w'), []);
  });

  test('trigger.dev: three histories, one per database', { skip: noCorpus }, () => {
    const histories = shadowHistories(setsUnder(TRIGGER), TRIGGER);
    assert.deepEqual(histories.map((h) => h.id).sort(), [AGENT, DATABASE, RUN_OPS].sort());
  });
});

describe('the history a query belongs to (trigger.dev)', { skip: noCorpus }, () => {
  let entries: { history: ShadowHistory; catalog: Catalog }[];
  const byId = (id: string) => entries.find((e) => e.history.id === id)!.history;
  before(async () => {
    await initParser();
    entries = shadowHistories(setsUnder(TRIGGER), TRIGGER).map((history) => ({ history, catalog: buildCatalog(history.sets.flatMap((s) => s.migrations)) }));
  });

  test('the relations a query names, without its CTEs', () => {
    const named = relationsNamed('WITH recent AS (SELECT * FROM "TaskRun" WHERE "createdAt" > now() - interval \'1 day\') SELECT * FROM recent r JOIN public."Project" p ON p.id = r."projectId" WHERE r.id = $1');
    assert.deepEqual(named.map((r) => `${r.schema ?? ''}.${r.name}`).sort(), ['.TaskRun', 'public.Project']);
  });

  test('tables only database has: database', () => {
    const choice = historyForQuery(entries, 'SELECT o.slug FROM "Organization" o JOIN "OrgMember" m ON m."organizationId" = o.id WHERE m."userId" = $1');
    assert.deepEqual(choice, { kind: 'one', history: byId(DATABASE) });
  });

  test('a schema-qualified drizzle table: dashboard-agent-db', () => {
    const choice = historyForQuery(entries, 'SELECT * FROM trigger_dashboard_agent.chats ORDER BY created_at DESC LIMIT 20');
    assert.deepEqual(choice, { kind: 'one', history: byId(AGENT) });
  });

  test('TaskRun, which database and run-ops-database both create: ask between those two', () => {
    const choice = historyForQuery(entries, 'SELECT * FROM "TaskRun" WHERE "runtimeEnvironmentId" = $1 ORDER BY "createdAt" DESC LIMIT 10');
    assert.equal(choice.kind, 'ask');
    assert.ok(choice.kind === 'ask');
    assert.equal(choice.reason, 'ambiguous');
    assert.deepEqual(choice.candidates.map((h) => h.id).sort(), [DATABASE, RUN_OPS].sort());
  });

  test('no table of any history: ask among all', () => {
    const choice = historyForQuery(entries, 'SELECT now()');
    assert.ok(choice.kind === 'ask');
    assert.equal(choice.reason, 'none');
    assert.equal(choice.candidates.length, 3);
  });
});

describe('one shadow database per history (trigger.dev, real PGlite)', { skip: noCorpus }, () => {
  test('run-ops-database and dashboard-agent-db each build without a failure; replayed after database into one database, run-ops-database collides', { timeout: 10 * 60_000 }, async () => {
    const histories = shadowHistories(setsUnder(TRIGGER), TRIGGER);
    for (const id of [RUN_OPS, AGENT]) {
      const history = histories.find((h) => h.id === id)!;
      const shadow = await createShadowDatabase(history.sets);
      try {
        const failed = shadow.report.migrations.filter((m) => m.status === 'failed').map((m) => `${path.basename(path.dirname(m.path))}: ${m.error?.message}`);
        assert.deepEqual(failed, [], `${id} alone`);
        assert.equal(shadow.report.applied, history.sets.reduce((n, s) => n + s.migrations.length, 0));
      } finally {
        await shadow.db.close();
      }
    }
    // What Explain used to do: everything into one database.
    const merged = await createShadowDatabase(setsUnder(TRIGGER, 'prisma'));
    try {
      const collisions = merged.report.migrations.filter((m) => m.status === 'failed' && m.path.startsWith(RUN_OPS));
      assert.ok(collisions.length > 0, 'the merged build fails in run-ops-database');
      assert.match(collisions[0].error!.message, /already exists/);
    } finally {
      await merged.db.close();
    }
  });
});
