/**
 * Finds the files that make up a Prisma schema on disk: a single `schema.prisma`, or a folder of `.prisma`
 * files read recursively (multi-file schemas: the `prismaSchemaFolder` layout `prisma/schema/*.prisma`, and
 * the layout of Prisma 6.7+ with `schema.prisma` holding the datasource at the top of `prisma/` and the models
 * in files beside or below it, the folder named by `schema` in `prisma.config.ts` or package.json).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePrismaSchema } from './schema';
import type { PrismaSchema } from './ast';

/** Folders never part of a schema even when they sit inside the schema folder. */
const SKIPPED_DIRS = new Set(['node_modules', 'migrations', '.git']);

const CONFIG_FILES = ['prisma.config.ts', 'prisma.config.mts', 'prisma.config.cts', 'prisma.config.js', 'prisma.config.mjs', 'prisma.config.cjs'];

/** How far up from a .prisma file the schema folder is looked for (`prisma/models/blog/post.prisma` → `prisma/`). */
const MAX_LEVELS = 6;

const DATASOURCE = /^[ \t]*datasource[ \t]+\w+[ \t]*\{/m;

/**
 * `target` is a `.prisma` file or a folder. A file that belongs to a multi-file schema stands for the
 * whole schema, so linting one file of a split schema still sees the models of the others.
 */
export function findPrismaSchemaFiles(target: string): string[] {
  const stat = fs.statSync(target);
  if (stat.isDirectory()) return listPrismaFiles(target);
  const folder = schemaFolderOf(path.resolve(target));
  if (folder) {
    const files = listPrismaFiles(folder);
    if (files.length > 1 && files.includes(path.resolve(target)) && datasourceCount(files) <= 1) return files;
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

const isInside = (file: string, dir: string) => !path.relative(dir, file).startsWith('..') && !path.isAbsolute(path.relative(dir, file));

/**
 * The folder of the multi-file schema `file` belongs to, if any. First the folder the project configures (the
 * nearest `prisma.config.*` or package.json `prisma.schema`, when it names a folder that holds the file); else,
 * going up from the file but not into the folder of a package.json, a folder named `schema`
 * (prismaSchemaFolder) or one whose own .prisma file declares the datasource (Prisma 6.7+: the models
 * live beside or below it).
 */
function schemaFolderOf(file: string): string | undefined {
  const configured = configuredSchemaPath(file);
  if (configured !== undefined) {
    return isDirectory(configured) && isInside(file, configured) ? configured : undefined;
  }
  let dir = path.dirname(file);
  for (let level = 0; level < MAX_LEVELS; level++) {
    if (exists(path.join(dir, 'package.json'))) return undefined;
    if (path.basename(dir) === 'schema') return dir;
    if (hasDatasourceFile(dir)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

/** The `schema` path of the nearest Prisma config or package.json above `file`, resolved; undefined when none says. */
function configuredSchemaPath(file: string): string | undefined {
  let dir = path.dirname(file);
  for (;;) {
    for (const name of CONFIG_FILES) {
      const text = read(path.join(dir, name));
      // `schema: "prisma/"` as a plain string; a computed path (path.join(…)) is left to the folder search.
      const value = text && /\bschema\s*:\s*(['"`])([^'"`$]+)\1/.exec(text)?.[2];
      if (value) return path.resolve(dir, value);
    }
    const pkg = read(path.join(dir, 'package.json'));
    if (pkg !== undefined) {
      try {
        const schema = (JSON.parse(pkg) as { prisma?: { schema?: unknown } }).prisma?.schema;
        return typeof schema === 'string' ? path.resolve(dir, schema) : undefined;
      } catch {
        return undefined;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function hasDatasourceFile(dir: string): boolean {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  return entries.some((e) => e.isFile() && e.name.endsWith('.prisma') && DATASOURCE.test(read(path.join(dir, e.name)) ?? ''));
}

/** Two datasources mean two schemas that happen to share a folder, not one schema. */
function datasourceCount(files: string[]): number {
  return files.filter((f) => DATASOURCE.test(read(f) ?? '')).length;
}

function read(p: string): string | undefined {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

function exists(p: string): boolean {
  return fs.existsSync(p);
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
