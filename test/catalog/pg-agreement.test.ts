import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { buildCatalog, migrationSetAt } from '../../server/src/catalog/history';
import { nodeDirectoryView } from '../../server/src/catalog/node-directory';
import { initParser } from '../../server/src/parse/sql/parser';
import { startPostgres, type PostgresServer } from '../support/postgres';
import { applyMigration } from './agreement/apply';
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
      const set = migrationSetAt(path.join(corpus, project.dir), nodeDirectoryView);
      assert.ok(set && set.migrations.length > 0, `no migrations found in ${project.dir}`);
      const db = `agree_${project.name.replace(/\W+/g, '_')}`;
      const admin = new Client({ connectionString: server.url() });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${db}`);
      await admin.query(`CREATE DATABASE ${db}`);
      await admin.end();
      const client = new Client({ connectionString: server.url(db) });
      client.on('notice', () => undefined);
      await client.connect();
      try {
        if (project.setup) await client.query(project.setup);
        for (const m of set.migrations) {
          const failure = await applyMigration(client, m);
          if (failure) {
            t.skip(`does not apply cleanly: ${path.relative(corpus, failure.file)}: ${failure.error}`);
            return;
          }
        }
        const fromDb = await databaseSnapshot(client);
        const fromCatalog = catalogSnapshot(buildCatalog(set.migrations));
        const diffs = diffSnapshots(fromDb, fromCatalog);
        t.diagnostic(`${set.layout}, ${set.migrations.length} migrations, ${Date.now() - started} ms; compared ${JSON.stringify(countFacts(fromDb))}`);
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
