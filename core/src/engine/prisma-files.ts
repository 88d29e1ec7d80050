import { findPrismaSchemaFiles } from '../parse/prisma/loader';
import type { SchemaSource } from '../parse/prisma/schema';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The other files of the schema `path` belongs to (multi-file `prisma/schema/` folders), with the
 * editor's text for the ones that are open. A single-file schema has none.
 */
export function prismaSiblings(path: string, openTexts: ReadonlyMap<string, string> = new Map()): SchemaSource[] {
  const out: SchemaSource[] = [];
  const self = resolve(path);
  for (const p of prismaSchemaPaths(path)) {
    if (resolve(p) === self) continue;
    const open = openTexts.get(p);
    if (open !== undefined) {
      out.push({ path: p, text: open });
      continue;
    }
    try {
      out.push({ path: p, text: readFileSync(p, 'utf8') });
    } catch {
      // Deleted meanwhile: the schema is linted without it.
    }
  }
  return out;
}

/** The files of the schema `path` belongs to on disk, itself included; none when it is gone. */
export function prismaSchemaPaths(path: string): string[] {
  try {
    return findPrismaSchemaFiles(path);
  } catch {
    return [];
  }
}
