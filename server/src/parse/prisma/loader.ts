/**
 * Finds the files that make up a Prisma schema on disk: a single `schema.prisma`, or a folder
 * of `.prisma` files (the `prismaSchemaFolder` layout, `prisma/schema/*.prisma`, or any folder
 * that `"prisma": { "schema": "…" }` / `prisma.config.ts` points at).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePrismaSchema } from './schema';
import type { PrismaSchema } from './ast';

/** Folders never part of a schema even when they sit inside the schema folder. */
const SKIPPED_DIRS = new Set(['node_modules', 'migrations', '.git']);

/**
 * `target` is a `.prisma` file or a folder. A file that lives in a folder named `schema`
 * (Prisma's multi-file convention) together with other `.prisma` files stands for the whole
 * folder, so linting one file of a split schema still sees the models of its siblings.
 */
export function findPrismaSchemaFiles(target: string): string[] {
  const stat = fs.statSync(target);
  if (stat.isDirectory()) return listPrismaFiles(target);
  const dir = path.dirname(target);
  if (path.basename(dir) === 'schema') {
    const siblings = listPrismaFiles(dir);
    if (siblings.length > 1) return siblings;
  }
  return [target];
}

export function loadPrismaSchema(target: string): PrismaSchema {
  const files = findPrismaSchemaFiles(target);
  return parsePrismaSchema(files.map((p) => ({ path: p, text: fs.readFileSync(p, 'utf8') })));
}

/** All `.prisma` files under `dir`, recursively (Prisma reads nested folders too), sorted. */
export function listPrismaFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(full);
      } else if (entry.isFile() && entry.name.endsWith('.prisma')) {
        out.push(full);
      }
    }
  };
  walk(dir);
  return out.sort();
}
