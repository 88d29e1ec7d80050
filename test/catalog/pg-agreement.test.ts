import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { buildCatalog, migrationSetAt, type MigrationFile } from '../../server/src/catalog/history';
import { allTables } from '../../server/src/catalog/model';
import { nodeDirectoryView } from '../../server/src/catalog/node-directory';
import { initParser } from '../../server/src/parse/sql/parser';
import { startPostgres, type PostgresServer } from '../support/postgres';
import { applyMigration, type ApplyFailure } from './agreement/apply';
import { PROJECTS } from './agreement/projects';
import { catalogSnapshot, countFacts, databaseSnapshot, diffSnapshots } from './agreement/snapshot';

/**
 * Applies each corpus project's migration history to a real PostgreSQL server and checks that pgvet's catalog,
 * built from the same files, agrees with pg_catalog object for object.
 */
const corpus = path.resolve(__dirname, '../../../shared/corpus');
let server: PostgresServer;

before(async () => {
  await initParser();
  server = await startPostgres();
});
after(() => server?.stop());

describe('catalog agrees with PostgreSQL', () => {
  for (const project of PROJECTS) {
    it(project.name, async (t) => {
      const started = Date.now();
      const set = migrationSetAt(path.resolve(corpus, project.dir), nodeDirectoryView);
      assert.ok(set && set.migrations.length > 0, `no migrations found in ${project.dir}`);
      const db = `agree_${project.name.replace(/\W+/g, '_')}`;
      const admin = new Client({ connectionString: server.url() });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${db}`);
      await admin.query(`CREATE DATABASE ${db}`);
      if (project.searchPath) await admin.query(`ALTER DATABASE ${db} SET search_path = ${project.searchPath.join(', ')}`);
      await admin.end();
      const client = new Client({ connectionString: server.url(db) });
      client.on('notice', () => undefined);
      await client.connect();
      try {
        if (project.setup) await client.query(project.setup);
        // A migration PostgreSQL rejects is left out of both sides (as if resolved by hand), so the rest still compares.
        const applied: MigrationFile[] = [];
        const rejected: ApplyFailure[] = [];
        for (const m of set.migrations) {
          const failure = await applyMigration(client, m);
          if (!failure) applied.push(m);
          else {
            rejected.push(failure);
            if (failure.appliedUpTo) applied.push({ ...m, upText: m.upText.slice(0, failure.appliedUpTo) });
          }
        }
        await client.query('SET search_path = "$user", public');
        const fromDb = await databaseSnapshot(client);
        const catalog = buildCatalog(applied, { searchPath: project.searchPath });
        const fromCatalog = catalogSnapshot(catalog);
        // Tables made by CREATE TABLE … AS from a view or a query: the catalog knows they exist, not their columns.
        const opaque = [...allTables(catalog)].filter((x) => x.columnsUnknown).map((x) => `${JSON.stringify(x.schema)}.${JSON.stringify(x.name)}.`);
        for (const snap of [fromDb, fromCatalog]) snap.set('column', snap.get('column')!.filter((line) => !opaque.some((prefix) => line.startsWith(prefix))));
        if (opaque.length) t.diagnostic(`columns not compared for ${opaque.length} tables created by CREATE TABLE … AS a query: ${opaque.join(' ')}`);
        const diffs = diffSnapshots(fromDb, fromCatalog);
        t.diagnostic(`${set.layout}, ${set.migrations.length} migrations, ${rejected.length} rejected by PostgreSQL, ${Date.now() - started} ms; compared ${JSON.stringify(countFacts(fromDb))}`);
        for (const r of rejected) t.diagnostic(`rejected ${path.relative(corpus, r.file)}: ${r.error}`);
        for (const d of diffs) {
          for (const line of d.missing.slice(0, 15)) t.diagnostic(`missing ${d.kind}: ${line}`);
          for (const line of d.extra.slice(0, 15)) t.diagnostic(`extra ${d.kind}: ${line}`);
        }
        assert.deepEqual(diffs.map((d) => `${d.kind}: ${d.missing.length} missing, ${d.extra.length} extra`), []);
      } finally {
        await client.end();
      }
    });
  }
});
