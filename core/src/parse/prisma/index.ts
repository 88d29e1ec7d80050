/** Prisma schema parsing and its mapping to database objects; no editor or LSP imports. */
export * from './ast';
export { lexPrisma } from './lexer';
export { parsePrismaFile } from './parser';
export { parsePrismaSchema, type SchemaSource } from './schema';
export { findPrismaSchemaFiles, listPrismaFiles, loadPrismaSchema } from './loader';
export { buildPrismaDatabaseModel, findAttribute, expressionText } from './catalog';
export * from './schema-model';
