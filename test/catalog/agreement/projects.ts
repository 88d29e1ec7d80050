import path from 'node:path';

/** The corpus projects whose migration history the agreement test applies. Paths are relative to ../shared/corpus. */
export interface AgreementProject {
  name: string;
  /** Relative to ../shared/corpus, or absolute (the fixtures beside this file). */
  dir: string;
  /** SQL run in the fresh database first: what the project's real environment provides (roles, stubs). */
  setup?: string;
  /** The search_path the project's runner sets for its migrations session. */
  searchPath?: string[];
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
];
