import type { DirectoryView } from '../fs/view';
import { findPrismaSchemaFiles } from '../parse/prisma/loader';
import type { SchemaSource } from '../parse/prisma/schema';
import { resolve } from 'node:path';

/**
 * The other files of the schema `path` belongs to (multi-file `prisma/schema/` folders), read through `files`
 * (the workspace's: the editor's text for the open ones). A single-file schema has none.
 */
export function prismaSiblings(path: string, files: DirectoryView): SchemaSource[] {
  const out: SchemaSource[] = [];
  const self = resolve(path);
  for (const p of prismaSchemaPaths(path, files)) {
    if (resolve(p) === self) continue;
    const text = files.readFile(p);
    // Deleted meanwhile: the schema is linted without it.
    if (text !== undefined) out.push({ path: p, text });
  }
  return out;
}

/** The files of the schema `path` belongs to, itself included, as `files` lists them; none when it is gone. */
export function prismaSchemaPaths(path: string, files: DirectoryView): string[] {
  try {
    return findPrismaSchemaFiles(path, files);
  } catch {
    return [];
  }
}
