import { PGlite } from '@electric-sql/pglite';
import { extensionAvailability, extensionBundleDir, extensionOption } from '../../../client/src/shadow/extensions';
import type { CatalogReader } from './snapshot';

/** Where `pgvet verify` replays a history: the embedded PostgreSQL, or a throwaway database on a real server. */
export interface VerifyDatabase extends CatalogReader {
  /** What it is, for the report ("PGlite 0.5 (PostgreSQL 17)", "postgres://host/pgvet_verify_…"). */
  label: string;
  /** Runs one statement (or a script) with the simple query protocol; throws PostgreSQL's error. */
  exec(sql: string): Promise<void>;
  /** Whether CREATE EXTENSION of this name can work here (false: the statement is skipped with a note). */
  hasExtension(name: string): boolean;
  /** Creates a role the migrations expect to exist (a server drops the ones it created when closed). */
  createRole(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Opens a fresh, empty database; `extensions` are those the history creates (PGlite must load them at start). */
export type DatabaseFactory = (extensions: ReadonlySet<string>) => Promise<VerifyDatabase>;

/** The embedded PostgreSQL (PGlite, in memory): the default, it never touches a real database. */
export function pgliteDatabase(options: { extensionsDir?: string } = {}): DatabaseFactory {
  return async (wanted) => {
    const bundleDir = extensionBundleDir(options.extensionsDir);
    const db = await PGlite.create({ extensions: bundleDir ? extensionOption(wanted, bundleDir) : {} });
    const version = (await db.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v;
    return {
      label: `PGlite (PostgreSQL ${version}, in memory)`,
      exec: async (sql) => {
        await db.exec(sql);
      },
      query: async (sql) => (await db.query<Record<string, unknown>>(sql)).rows,
      hasExtension: (name) => extensionAvailability(name, bundleDir) !== 'unavailable',
      createRole: async (role) => {
        await db.exec(`CREATE ROLE ${quoteIdent(role)} NOLOGIN`);
      },
      close: () => db.close(),
    };
  };
}

/**
 * A throwaway database on the server `url` points at: `CREATE DATABASE pgvet_verify_<random>`, dropped (with the
 * roles the history made us create) when closed. The database named in `url` is only used to create and drop it.
 */
export function serverDatabase(url: string): DatabaseFactory {
  return async () => {
    const { Client } = await import('pg');
    const admin = new Client({ connectionString: url });
    await admin.connect();
    const name = `pgvet_verify_${Math.random().toString(36).slice(2, 10)}`;
    const rolesCreated: string[] = [];
    await admin.query(`CREATE DATABASE ${name}`);
    const target = new URL(url);
    target.pathname = `/${name}`;
    const client = new Client({ connectionString: target.toString() });
    client.on('notice', () => undefined);
    try {
      await client.connect();
    } catch (e) {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`).catch(() => undefined);
      await admin.end();
      throw e;
    }
    const host = `${target.hostname}${target.port ? `:${target.port}` : ''}`;
    return {
      label: `throwaway database ${name} on ${host}`,
      exec: async (sql) => {
        await client.query(sql);
      },
      query: async (sql) => (await client.query(sql)).rows,
      hasExtension: () => true,
      createRole: async (role) => {
        await client.query(`CREATE ROLE ${quoteIdent(role)} NOLOGIN`);
        rolesCreated.push(role);
      },
      close: async () => {
        await client.end().catch(() => undefined);
        try {
          await admin.query(`DROP DATABASE IF EXISTS ${name}`);
          for (const role of rolesCreated) await admin.query(`DROP ROLE IF EXISTS ${quoteIdent(role)}`).catch(() => undefined);
        } finally {
          await admin.end();
        }
      },
    };
  };
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
