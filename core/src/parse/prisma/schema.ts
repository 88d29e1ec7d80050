import { parsePrismaFile } from './parser';
import type { PrismaFile, PrismaSchema } from './ast';

export interface SchemaSource {
  path: string;
  text: string;
}

/**
 * Parses the files of one schema and merges them. Prisma treats the `.prisma` files of a
 * schema folder as one namespace, so a model in `user.prisma` may refer to an enum in
 * `enums.prisma`; the merged block list is what the catalog mapping needs.
 * Files are sorted by path so the result does not depend on directory listing order.
 */
export function parsePrismaSchema(sources: SchemaSource[]): PrismaSchema {
  const files: PrismaFile[] = [...sources]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((s) => parsePrismaFile(s.text, s.path));
  return {
    files,
    blocks: files.flatMap((f) => f.blocks),
    diagnostics: files.flatMap((f) => f.diagnostics),
  };
}
