import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { initParser } from '../../core/src/parse/sql/parser';
import { readLiveCatalog } from '../../core/src/live/read-catalog';
import type { Catalog } from '../../core/src/catalog/model';
import { DEFAULT_PGVET_JSON } from '../../core/src/config/schema';
import { lintCatalog } from '../../core/src/engine/catalog-lint';
import { resolveConfig } from '../../core/src/engine/resolve-config';
import { startPostgres, type PostgresServer } from '../support/postgres';
import { catalogSnapshot } from './agreement/catalog-snapshot';
import { applyProject, leaveOutInherent } from './agreement/harness';
import { describeKnown, unexplained } from './agreement/known-differences';
import { PROJECTS } from './agreement/projects';
import { databaseSnapshot, diffSnapshots, KINDS, SECURITY_KINDS, type Snapshot, type SnapshotDiff } from './agreement/snapshot';
import { agreeingObjects, catalogSecurityFacts, databaseSecurityFacts } from './agreement/security-snapshot';

/**
 * The agreement test turned around: after each corpus history is applied to a real PostgreSQL (agreement/harness.ts),
 * core/src/live reads the database's catalog, and the catalog-side renderer of the agreement test (the one that renders
 * pgvet's replayed catalog) renders it. Two checks per project:
 * 1. the live catalog renders to exactly pg_catalog's own lines (agreement/snapshot.ts): the reader misses nothing
 *    and invents nothing, with no exception;
 * 2. it equals the catalog replayed from the migrations, object for object, with the same inherent normalisations
 *    (leaveOutInherent) and the same listed differences (agreement/known-differences.ts) as the agreement test: what
 *    the replay cannot know differs here exactly as it does against pg_catalog;
 * 3. the schema rules (every one, default settings) find the same on both: rule, object and message.
 */
let server: PostgresServer;

before(async () => {
  await initParser();
  server = await startPostgres();
});
after(() => server?.stop());

const withSecurity = (snap: Snapshot, security: Map<string, string[]>) => {
  for (const kind of SECURITY_KINDS) snap.set(kind, security.get(kind)!);
  return snap;
};
/** The schema rules' findings on a catalog with no migration files, as `rule object message` lines. */
function schemaFindings(catalog: Catalog): string[] {
  const { byFile, ruleFailures } = lintCatalog(catalog, new Map(), resolveConfig(DEFAULT_PGVET_JSON));
  assert.deepEqual(ruleFailures, []);
  return [...byFile.values()].flat().map((f) => `${f.ruleId} ${JSON.stringify(f.object ?? null)} ${f.message}`).sort();
}

const lines = (diffs: SnapshotDiff[]) => diffs.flatMap((d) => [...d.missing.map((l) => `missing ${d.kind}: ${l}`), ...d.extra.map((l) => `extra ${d.kind}: ${l}`)]);

describe('the catalog read from the live database', () => {
  for (const project of PROJECTS) {
    it(`${project.name}: equals pg_catalog and the catalog replayed from the migrations`, async (t) => {
      const applied = await applyProject(server, project, `live_${project.name.replace(/\W+/g, '_')}`);
      const { client, catalog } = applied;
      try {
        const live = await readLiveCatalog(client, { source: 'test database' });
        const fromDb = withSecurity(await databaseSnapshot(client), await databaseSecurityFacts(client));
        const { snapshot: fromLive } = await catalogSnapshot(client, live, fromDb);
        withSecurity(fromLive, catalogSecurityFacts(live));
        const readerDiffs = lines(diffSnapshots(fromDb, fromLive));
        for (const d of readerDiffs) t.diagnostic(`reader vs pg_catalog: ${d}`);
        assert.deepEqual(readerDiffs, [], 'the live catalog renders to pg_catalog\'s lines');

        const { snapshot: fromReplay } = await catalogSnapshot(client, catalog, fromDb);
        const sides = { database: new Map([...fromLive].map(([k, v]) => [k, [...v]])), replayed: fromReplay };
        leaveOutInherent(sides, { database: catalogSecurityFacts(live), replayed: catalogSecurityFacts(catalog) }, applied);
        const diffs = diffSnapshots(sides.database, sides.replayed).filter((d) => !project.kinds || project.kinds.includes(d.kind));
        const kinds = project.kinds ?? KINDS;
        const counts = kinds.map((kind) => {
          const ours = new Set(sides.replayed.get(kind));
          const theirs = sides.database.get(kind)!;
          const objects = (SECURITY_KINDS as readonly string[]).includes(kind) ? agreeingObjects(kind as (typeof SECURITY_KINDS)[number], theirs, sides.replayed.get(kind)!) : undefined;
          return `${kind} ${objects ? `${objects.agreeing}/${objects.total}` : `${theirs.filter((l) => ours.has(l)).length}/${theirs.length}`}`;
        });
        t.diagnostic(`agreeing objects of the live catalog's (one line per object but for the security kinds): ${counts.join(', ')}`);
        const { unlisted, listed, stale } = unexplained(project.name, diffs);
        if (listed.length) t.diagnostic(`${listed.length} known differences, as in the agreement test: ${[...new Set(listed.map((d) => d.reason))].join('; ')}`);
        for (const d of unlisted) t.diagnostic(`${d.side} ${d.kind}: ${d.line}`);
        assert.deepEqual(unlisted.map((d) => `${d.side} ${d.kind}: ${d.line}`), [], 'differences not in agreement/known-differences.ts');
        assert.deepEqual(stale.map(describeKnown), [], 'known differences of the agreement test that do not occur here');

        const onLive = schemaFindings(live);
        const onReplay = schemaFindings(catalog);
        t.diagnostic(`${onLive.length} schema findings on the live catalog, ${onReplay.length} on the replayed one`);
        assert.deepEqual(onLive, onReplay, 'the schema rules find the same on the live and the replayed catalog');
      } finally {
        await client.end();
      }
    });
  }
});
