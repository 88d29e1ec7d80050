import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FactKind } from './snapshot';

/** The corpus projects whose migration history the agreement test applies. Paths are relative to ../shared/corpus. */
export interface AgreementProject {
  name: string;
  /** Relative to ../shared/corpus, or absolute (the fixtures beside this file). */
  dir: string;
  /** SQL run in the fresh database first: what the project's real environment provides (roles, stubs). */
  setup?: string;
  /** The search_path the project's runner sets for its migrations session. */
  searchPath?: string[];
  /** Only these kinds of facts are compared (a fixture that is not a migration history: see PostgREST below). */
  kinds?: readonly FactKind[];
}

/** Roles a Supabase database always has; policies name them. */
const SUPABASE_ROLES = `
  DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon') THEN CREATE ROLE anon NOLOGIN NOINHERIT; END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN CREATE ROLE authenticated NOLOGIN NOINHERIT; END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'service_role') THEN CREATE ROLE service_role NOLOGIN NOINHERIT BYPASSRLS; END IF;
  END $$;`;

const AUTH_STUB = `CREATE SCHEMA IF NOT EXISTS auth;
  CREATE OR REPLACE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT NULL::uuid $$;`;

const fixture = (name: string) => path.join(__dirname, 'fixtures', name);

const corpus = path.resolve(__dirname, '../../../../shared/corpus');

/**
 * PostgREST's test schema (test/spec/fixtures, loaded by psql in load.sql's order) as a plain history in a temporary
 * folder: psql's variables filled in, the data file left out, PostGIS's columns made bytea. Its grants, functions and views are the richest of the
 * corpus.
 */
function postgrestFixtures(): string {
  const from = path.join(corpus, 'PostgREST__postgrest/test/spec/fixtures');
  // One folder, written again on each run (no temporary folder left behind per run).
  const dir = path.join(tmpdir(), 'pgvet-agreement-postgrest');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  ['database.sql', 'roles.sql', 'schema.sql', 'jwt.sql', 'jsonschema.sql', 'privileges.sql'].forEach((file, k) => {
    // PostGIS is not installed with the test server: its geometry columns become bytea.
    const sql = readFileSync(path.join(from, file), 'utf8').replace(/^ALTER DATABASE :DBNAME .*$/m, '').replace(/:"PGUSER"/g, 'postgres')
      .replace(/^create extension if not exists postgis .*$/m, '').replace(/extensions\.geometry\([^)]*\)/g, 'bytea');
    writeFileSync(path.join(dir, `${String(k + 1).padStart(4, '0')}-${file}`), sql);
  });
  return dir;
}

const SECURITY_KINDS_OF_PROJECT: readonly FactKind[] = ['function', 'acl', 'column-acl', 'default-acl', 'trigger', 'view-option', 'extension', 'comment'];

export const PROJECTS: AgreementProject[] = [
  // Small hand-written histories for what the corpus barely exercises: generated names, renames, partitions, policies.
  { name: 'fixture: edge cases', dir: fixture('edge-cases') },
  { name: 'fixture: rls', dir: fixture('rls'), setup: SUPABASE_ROLES + AUTH_STUB },
  { name: 'fixture: expressions', dir: fixture('expressions') },
  // Functions, grants, default privileges, view options, extensions, triggers and comments in every form the replay follows.
  { name: 'fixture: security', dir: fixture('security'), setup: SUPABASE_ROLES },
  { name: 'trigger.dev', dir: 'triggerdotdev__trigger.dev/internal-packages/database/prisma/migrations' },
  { name: 'trigger.dev run-ops', dir: 'triggerdotdev__trigger.dev/internal-packages/run-ops-database/prisma/migrations' },
  { name: 'civitai', dir: 'civitai__civitai/packages/civitai-db-schema/prisma/migrations' },
  { name: 'umami', dir: 'umami-software__umami/prisma/migrations' },
  { name: 'hoppscotch', dir: 'hoppscotch__hoppscotch/packages/hoppscotch-backend/prisma/migrations' },
  { name: 'crates.io', dir: 'rust-lang__crates.io/migrations' },
  { name: 'hatchet', dir: 'hatchet-dev__hatchet/cmd/hatchet-migrate/migrate/migrations' },
  // The storage runner migrates with search_path = storage (0047 names storage tables unqualified).
  { name: 'supabase storage', dir: 'supabase__storage/migrations/tenant', setup: SUPABASE_ROLES, searchPath: ['storage', 'public'] },
  { name: 'dokploy', dir: 'Dokploy__dokploy/apps/dokploy/drizzle' },
  { name: 'kratos', dir: 'ory__kratos/persistence/sql/migrations/sql' },
  // A test fixture, not a migration history: only the objects of this comparison are compared on it (its tables,
  // domains and expressions are nobody's history and have no known-differences list).
  { name: 'postgrest test schema', get dir() { return postgrestFixtures(); }, kinds: SECURITY_KINDS_OF_PROJECT },
];
