import { basename, dirname, relative, resolve } from 'node:path';
import type { MigrationFile, MigrationSet } from '../catalog/history';
import type { PgvetJson } from '../config/schema';
import type { GitBase } from './git-base';
import type { MigrationState } from '../rule-kit/types';

export const PENDING: MigrationState = { kind: 'pending' };

/** Where the applied migrations end: pgvet.json's `applied` first, else a git base. */
export interface AppliedSource {
  /** The last applied migration's name for this history from pgvet.json, when it names one. */
  configured(set: MigrationSet): string | undefined;
  /** The git base whose tree holds the applied migrations of this history, if any. */
  gitBase(set: MigrationSet): GitBase | undefined;
}

/**
 * Whether the rule reports on applied migrations. Schema and normalisation rules describe the schema as it
 * stands, which a new migration can still change; the others (lock safety, destructive changes, renames,
 * reversibility, parsing) describe what a migration does when it runs, which for an applied one is history.
 */
export function reportsOnApplied(rule: { meta: { onAppliedMigrations?: boolean; category: string } }): boolean {
  return rule.meta.onAppliedMigrations ?? (rule.meta.category === 'schema' || rule.meta.category === 'normalisation');
}

/**
 * pgvet.json's `applied` for the history in `setDir`: a string names the last applied migration of every history
 * the file governs; an object maps a history folder (relative to pgvet.json's folder, or absolute) to it.
 */
export function configuredApplied(project: PgvetJson, configPath: string | undefined, setDir: string): string | undefined {
  const applied = project.applied;
  if (applied === undefined) return undefined;
  if (typeof applied === 'string') return applied;
  const base = configPath ? dirname(configPath) : process.cwd();
  const wanted = resolve(setDir);
  for (const [folder, name] of Object.entries(applied)) if (resolve(base, folder) === wanted) return name;
  return undefined;
}

/**
 * The names a migration answers to: its version, its file name with and without the extensions, and the folder
 * that holds it when each migration is a folder (Prisma's `20240101000000_init`, diesel's `2024-01-01-000000_init`).
 */
export function migrationNames(set: MigrationSet, m: MigrationFile): string[] {
  const parts = relative(set.dir, m.path).split(/[\\/]/);
  // Every Prisma migration is a migration.sql, every diesel one an up.sql: the folder is the name.
  if (parts.length === 2 && (m.layout === 'prisma' || m.layout === 'diesel')) return [m.version, parts[0]];
  const file = basename(m.path);
  return [m.version, file, file.replace(/(\.(up|down|postgres))*\.sql$/i, '')];
}

/** How many migrations of the set are applied when `name` is the last applied one; undefined when none has that name. */
export function appliedCount(set: MigrationSet, name: string): number | undefined {
  let last: number | undefined;
  set.migrations.forEach((m, i) => {
    if (migrationNames(set, m).includes(name)) last = i + 1;
  });
  return last;
}
