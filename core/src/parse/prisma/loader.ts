/**
 * Finds the files that make up a Prisma schema, read through a DirectoryView (the workspace's: open files with
 * the editor's text, so a datasource typed but not saved counts): a single `schema.prisma`, or a folder of `.prisma`
 * files read recursively (multi-file schemas: the `prismaSchemaFolder` layout `prisma/schema/*.prisma`, and
 * the layout of Prisma 6.7+ with `schema.prisma` holding the datasource at the top of `prisma/` and the models
 * in files beside or below it, the folder named by `schema` in `prisma.config.ts` or package.json).
 */
import * as path from 'node:path';
import type { DirectoryView } from '../../fs/view';
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
export function findPrismaSchemaFiles(target: string, fs: DirectoryView): string[] {
  if (isDirectory(fs, target)) return listPrismaFiles(target, fs);
  if (fs.readFile(target) === undefined) throw new Error(`no such Prisma schema: ${target}`);
  const folder = schemaFolderOf(path.resolve(target), fs);
  if (folder) {
    const files = listPrismaFiles(folder, fs);
    if (files.length > 1 && files.includes(path.resolve(target)) && datasourceCount(files, fs) <= 1) return files;
  }
  return [target];
}

export function loadPrismaSchema(target: string, fs: DirectoryView): PrismaSchema {
  const files = findPrismaSchemaFiles(target, fs);
  return parsePrismaSchema(files.map((p) => ({ path: p, text: fs.readFile(p) ?? '' })));
}

/** All `.prisma` files under `dir`, recursively (Prisma reads nested folders too), sorted. */
export function listPrismaFiles(dir: string, fs: DirectoryView): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of fs.list(d)) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(full);
      } else if (entry.name.endsWith('.prisma')) {
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
function schemaFolderOf(file: string, fs: DirectoryView): string | undefined {
  const configured = configuredSchemaPath(file, fs);
  if (configured !== undefined) {
    return isDirectory(fs, configured) && isInside(file, configured) ? configured : undefined;
  }
  let dir = path.dirname(file);
  for (let level = 0; level < MAX_LEVELS; level++) {
    if (fs.readFile(path.join(dir, 'package.json')) !== undefined) return undefined;
    if (path.basename(dir) === 'schema') return dir;
    if (hasDatasourceFile(dir, fs)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

/** The `schema` path of the nearest Prisma config or package.json above `file`, resolved; undefined when none says. */
function configuredSchemaPath(file: string, fs: DirectoryView): string | undefined {
  let dir = path.dirname(file);
  for (;;) {
    for (const name of CONFIG_FILES) {
      const text = fs.readFile(path.join(dir, name));
      // `schema: "prisma/"` as a plain string; a computed path (path.join(…)) is left to the folder search.
      const value = text && /\bschema\s*:\s*(['"`])([^'"`$]+)\1/.exec(text)?.[2];
      if (value) return path.resolve(dir, value);
    }
    const pkg = fs.readFile(path.join(dir, 'package.json'));
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

function hasDatasourceFile(dir: string, fs: DirectoryView): boolean {
  return fs.list(dir).some((e) => !e.isDirectory && e.name.endsWith('.prisma') && DATASOURCE.test(fs.readFile(path.join(dir, e.name)) ?? ''));
}

/** Two datasources mean two schemas that happen to share a folder, not one schema. */
function datasourceCount(files: string[], fs: DirectoryView): number {
  return files.filter((f) => DATASOURCE.test(fs.readFile(f) ?? '')).length;
}

/** A view lists folders but has no stat: a folder is an entry of its parent's listing marked so. */
function isDirectory(fs: DirectoryView, p: string): boolean {
  const full = path.resolve(p);
  return fs.list(path.dirname(full)).some((e) => e.isDirectory && e.name === path.basename(full));
}
