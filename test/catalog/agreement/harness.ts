import path from 'node:path';
import { Client } from 'pg';
import { buildCatalog, migrationSetAt, type MigrationFile, type MigrationSet } from '../../../core/src/catalog/history';
import { allTables, type Catalog } from '../../../core/src/catalog/model';
import { nodeDirectoryView } from '../../../core/src/fs/disk';
import type { PostgresServer } from '../../support/postgres';
import { applyMigration, type ApplyFailure } from './apply';
import type { AgreementProject } from './projects';
import { SECURITY_KINDS, type Snapshot } from './snapshot';
import { databaseSecurityFacts, type SecurityFacts } from './security-snapshot';

/**
 * What the agreement tests share: a fresh database per project with the project's history applied the way its tool
 * applies it, pgvet's catalog replayed from the same files, and the parts of a comparison that are inherent to it
 * (the environment's objects, initdb's comments, columns the replay cannot know). pg-agreement.test.ts compares the
 * replayed catalog with pg_catalog; live-agreement.test.ts with the catalog core/src/live reads from the database.
 */
export const CORPUS = path.resolve(__dirname, '../../../../shared/corpus');

export interface AppliedProject {
  client: Client;
  set: MigrationSet;
  applied: MigrationFile[];
  rejected: ApplyFailure[];
  /** The security fact lines of what the project's setup made (the auth schema, auth.uid()): the environment's, left out of both sides. */
  environment: Set<string>;
  /** pgvet's catalog replayed from the applied files. */
  catalog: Catalog;
}

/** Creates database `db` on `server`, runs the project's setup and applies its history; the caller ends `client`. */
export async function applyProject(server: PostgresServer, project: AgreementProject, db: string): Promise<AppliedProject> {
  const set = migrationSetAt(path.resolve(CORPUS, project.dir), nodeDirectoryView);
  if (!set || set.migrations.length === 0) throw new Error(`no migrations found in ${project.dir}`);
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
    const environmentFacts = await databaseSecurityFacts(client);
    const environment = new Set([...environmentFacts.values()].flat().filter((line) => !/^schema "public" /.test(line)));
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
    // The harness applies the history as `postgres`: the owner of everything it creates.
    const catalog = buildCatalog(applied, { searchPath: project.searchPath, role: 'postgres' });
    return { client, set, applied, rejected, environment, catalog };
  } catch (e) {
    await client.end();
    throw e;
  }
}

export interface Sides {
  /** The side read from the database (pg_catalog's lines, or the live catalog's rendering). */
  database: Snapshot;
  /** The replayed catalog's rendering. */
  replayed: Snapshot;
}

/**
 * Puts each side's security facts into its snapshot and leaves out of both what a comparison cannot hold against
 * the replay: returns the relations whose columns were not compared, for the test to say.
 */
export function leaveOutInherent(sides: Sides, security: { database: SecurityFacts; replayed: SecurityFacts }, applied: AppliedProject): { opaque: string[]; opaqueViews: string[] } {
  const { database, replayed } = sides;
  for (const kind of SECURITY_KINDS) {
    database.set(kind, security.database.get(kind)!.filter((line) => !applied.environment.has(line)));
    replayed.set(kind, security.replayed.get(kind)!.filter((line) => !applied.environment.has(line)));
  }
  // initdb's comment on the schema public, and the comments extensions' control files give them, are not in any history.
  const commented = new Set(security.replayed.get('comment')!.map((line) => line.split(' = ')[0]));
  database.set('comment', database.get('comment')!.filter((line) => line !== 'schema "public" = standard public schema' && (!line.startsWith('extension ') || commented.has(line.split(' = ')[0]))));
  // Tables made by CREATE TABLE … AS from a view or a query: the catalog knows they exist, not their columns.
  const opaque = [...allTables(applied.catalog)].filter((x) => x.columnsUnknown).map((x) => `${JSON.stringify(x.schema)}.${JSON.stringify(x.name)}.`);
  for (const snap of [database, replayed]) snap.set('column', snap.get('column')!.filter((line) => !opaque.some((prefix) => line.startsWith(prefix))));
  // Views whose columns the catalog cannot list (a * over a relation it lacks).
  const opaqueViews = [...applied.catalog.schemas.values()].flatMap((s) => [...s.views.values()]).filter((v) => v.columns === undefined).map((v) => `${JSON.stringify(v.schema)}.${JSON.stringify(v.name)}.`);
  for (const snap of [database, replayed]) snap.set('view-column', snap.get('view-column')!.filter((line) => !opaqueViews.some((prefix) => line.startsWith(prefix))));
  return { opaque, opaqueViews };
}
