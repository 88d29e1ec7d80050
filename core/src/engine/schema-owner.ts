import { dirname, join, resolve } from 'node:path';
import type { DirectoryView } from '../catalog/layouts';
import type { ResolvedConfig } from './resolve-config';
import { objectKey } from './fingerprint';
import { prismaSchemaPaths, prismaSiblings } from './prisma-files';
import { lintPrisma } from './prisma-lint';
import type { Finding } from '../rule-kit/types';
import { indexedHistories, type WorkspaceIndex } from './workspace';

/**
 * Each schema problem once. A Prisma Migrate history is described by the schema.prisma beside it: the schema is
 * the current state, so a problem of an object (an unindexed foreign key, a table without RLS) is reported on
 * the model, and the same problem found again on the migration that created the object is left out there. What
 * only the migrations show (a policy, which Prisma cannot express) stays on the migration.
 */

/** The .prisma files that may declare the schema of the migrations folder `dir`: beside it, or one folder down (prisma/schema/). */
function candidateSchemaFiles(dir: string, files: DirectoryView): string[] {
  const parent = dirname(resolve(dir));
  const out: string[] = [];
  for (const e of files.list(parent)) {
    if (!e.isDirectory && e.name.endsWith('.prisma')) out.push(join(parent, e.name));
  }
  for (const e of files.list(parent)) {
    if (!e.isDirectory || e.name === 'migrations' || e.name === 'node_modules') continue;
    for (const f of files.list(join(parent, e.name))) if (!f.isDirectory && f.name.endsWith('.prisma')) out.push(join(parent, e.name, f.name));
  }
  return out.sort((a, b) => Number(b.endsWith('schema.prisma')) - Number(a.endsWith('schema.prisma')) || a.localeCompare(b));
}

/** The files of the Prisma schema checked against the migrations folder `dir`, or none. */
export function describingPrismaSchema(index: WorkspaceIndex, dir: string, config: ResolvedConfig): string[] {
  return owned(index, dir, config)?.files ?? [];
}

interface Owned {
  files: string[];
  /** `ruleId\0objectKey` of every schema problem the schema reports on its models. */
  problems: Set<string>;
}

const cache = new Map<string, { catalogKey: object; config: ResolvedConfig; schema: string[]; texts: (string | undefined)[]; result: Owned | undefined }>();

/** The schema's files are read through the index's files (open ones with their editor text). */
function owned(index: WorkspaceIndex, dir: string, config: ResolvedConfig): Owned | undefined {
  const files = index.files;
  const textOf = (path: string) => files.readFile(path);
  const set = index.migrationSets().find((s) => resolve(s.dir) === resolve(dir));
  if (!set || set.layout !== 'prisma' || set.migrations.length === 0) return undefined;
  const catalog = index.catalogFor(set.migrations[0].path);
  if (!catalog) return undefined;
  const hit = cache.get(resolve(dir));
  // The same history and settings: only the schema's texts can have changed (its file list is kept with the catalog).
  if (hit && hit.catalogKey === catalog && hit.config === config && hit.schema.every((p, i) => textOf(p) === hit.texts[i])) return hit.result;
  const candidates = candidateSchemaFiles(dir, files);
  const schema = candidates.length ? prismaSchemaPaths(candidates[0], files) : [];
  const texts = schema.map((p) => textOf(p));
  let result: Owned | undefined;
  const histories = indexedHistories(index);
  for (const [i, path] of schema.entries()) {
    const text = texts[i];
    if (text === undefined) continue;
    const linted = lintPrisma({ path, text, config, siblings: prismaSiblings(path, files), histories, fs: files });
    if (!linted.migrationsDir || resolve(linted.migrationsDir) !== resolve(dir)) break;
    result ??= { files: schema, problems: new Set() };
    // Before ignore comments: a problem ignored on the model is not to come back on the migration.
    for (const f of linted.catalogFindings) if (f.object) result.problems.add(`${f.ruleId}\0${objectKey(f.object)}`);
  }
  cache.set(resolve(dir), { catalogKey: catalog, config, schema, texts, result });
  return result;
}

/**
 * The schema-rule findings of migration `path` (see `WorkspaceIndex.catalogFindings`), less the problems that the
 * Prisma schema describing its history reports on a model.
 */
export function schemaFindings(index: WorkspaceIndex, path: string, config: ResolvedConfig, focus = true): Finding[] {
  const findings = index.catalogFindings(path, config, focus);
  const set = index.setOf(path);
  if (!set || set.layout !== 'prisma' || !findings.some((f) => f.object)) return findings;
  const problems = owned(index, set.dir, config)?.problems;
  if (!problems) return findings;
  return findings.filter((f) => !f.object || !problems.has(`${f.ruleId}\0${objectKey(f.object)}`));
}
