import type { SqlStatement } from '../../parse/sql/parser';
import { stringOf } from '../../parse/sql/nodes';
import { allTables, newSchema, TEMP_SCHEMA, type Catalog, type Index, type Origin, type Schema, type Table, type View } from '../model';
import { writableTable, writableView } from '../snapshot';
import { cachedNames } from './name-cache';

/** What every statement handler gets: the catalog to change and where the statement came from. */
export interface ReplayContext {
  catalog: Catalog;
  origin: Origin;
  /** The whole file's text; AST locations map into it through `stmt.toFileOffset`. */
  text: string;
  stmt: SqlStatement;
}

/** A RangeVar, or a name list turned into one. `relname` is optional as in the generated types: no table is named ''. */
export interface RangeVarLike {
  schemaname?: string;
  relname?: string;
}

export function note(ctx: ReplayContext, message: string): void {
  ctx.catalog.notes.push({ origin: ctx.origin, message });
}

/** The schema that unqualified CREATEs go to: the first schema of the search path that exists (public when none does). */
export function creationSchema(ctx: ReplayContext, explicit?: string, relpersistence?: string): string {
  if (relpersistence === 't') return TEMP_SCHEMA;
  if (explicit) return explicit === 'pg_temp' ? TEMP_SCHEMA : explicit;
  return ctx.catalog.searchPath.find((s) => ctx.catalog.schemas.has(s)) ?? ctx.catalog.searchPath[0] ?? 'public';
}

/** Gets a schema, creating it (with a note) when the history uses one it never created, e.g. inside a DO block. */
export function ensureSchema(ctx: ReplayContext, name: string): Schema {
  let schema = ctx.catalog.schemas.get(name);
  if (!schema) {
    schema = newSchema(name, ctx.origin);
    ctx.catalog.schemas.set(name, schema);
    if (name !== 'public' && name !== TEMP_SCHEMA) note(ctx, `schema "${name}" used before any CREATE SCHEMA the catalog saw; assumed to exist`);
  }
  return schema;
}

/** A schema a statement names; `public`, which every database has, is made when the catalog has no object in it yet. */
export function existingSchema(ctx: ReplayContext, name: string): Schema | undefined {
  return name === 'public' ? ensureSchema(ctx, name) : ctx.catalog.schemas.get(name);
}

/** Schemas an unqualified name is looked up in, in order (temporary tables first, as in PostgreSQL). */
export function lookupSchemas(ctx: ReplayContext, explicit?: string): Schema[] {
  const names = explicit ? [explicit] : [TEMP_SCHEMA, ...ctx.catalog.searchPath];
  return names.map((n) => ctx.catalog.schemas.get(n)).filter((s): s is Schema => s !== undefined);
}

/** A table to read, not change (the source of LIKE, a parent's columns, a foreign key's target). */
export function lookupTable(ctx: ReplayContext, rel: RangeVarLike | undefined): Table | undefined {
  if (!rel) return undefined;
  for (const schema of lookupSchemas(ctx, rel.schemaname)) {
    const table = schema.tables.get(rel.relname ?? '');
    if (table) return table;
  }
  return undefined;
}

/** A table the handler is going to change: a copy of its own when the catalog shares it with a snapshot. */
export function findTable(ctx: ReplayContext, rel: RangeVarLike | undefined): Table | undefined {
  const table = lookupTable(ctx, rel);
  return table && writableTable(ctx.catalog, table);
}

export function findView(ctx: ReplayContext, rel: RangeVarLike | undefined): View | undefined {
  if (!rel) return undefined;
  for (const schema of lookupSchemas(ctx, rel.schemaname)) {
    const view = schema.views.get(rel.relname ?? '');
    if (view) return writableView(ctx.catalog, view);
  }
  return undefined;
}

/** The tables matching `test`, each made writable: for loops that change only some tables of the catalog. */
export function tablesToChange(ctx: ReplayContext, test: (t: Table) => boolean): Table[] {
  return [...allTables(ctx.catalog)].filter(test).map((t) => writableTable(ctx.catalog, t));
}

/** A table, or a note that it is unknown; handlers return early on undefined. */
export function requireTable(ctx: ReplayContext, rel: RangeVarLike | undefined, what: string): Table | undefined {
  const table = findTable(ctx, rel);
  if (!table && rel) note(ctx, `${what}: table "${rel.schemaname ? rel.schemaname + '.' : ''}${rel.relname}" is not in the catalog`);
  return table;
}

export interface IndexHit {
  owner: Table | View;
  index: Index;
  schema: Schema;
}

/** An index by (possibly qualified) name, in a writable owner; indexes live in their table's schema. */
export function findIndex(ctx: ReplayContext, rel: RangeVarLike | undefined): IndexHit | undefined {
  if (!rel) return undefined;
  for (const schema of lookupSchemas(ctx, rel.schemaname)) {
    for (const shared of [...schema.tables.values(), ...schema.views.values()]) {
      if (!shared.indexes.some((i) => i.name === rel.relname)) continue;
      const owner = 'materialized' in shared ? writableView(ctx.catalog, shared) : writableTable(ctx.catalog, shared);
      return { owner, index: owner.indexes.find((i) => i.name === rel.relname)!, schema };
    }
  }
  return undefined;
}

/**
 * The relation a CREATE names. The grammar always names it; the generated types leave every field optional, and a
 * missing one throws like reading it did before the AST was typed (the replay notes the statement as not applied).
 */
export function namedRelation<R extends RangeVarLike>(rel: R | undefined): R & { relname: string } {
  if (rel?.relname === undefined) throw new TypeError('the statement names no relation');
  return rel as R & { relname: string };
}

/** `['s', 't']` or `['t']` (a DROP's object name list) as a range var. */
export function nameListToRangeVar(items: string[]): RangeVarLike & { relname: string } {
  return items.length > 1 ? { schemaname: items[items.length - 2], relname: items[items.length - 1] } : { relname: items[0] };
}

/** The strings of a `[{ String: { sval } }]` list. */
export function strings(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((n) => stringOf(n)).filter((s): s is string => typeof s === 'string');
}

/** Relation names taken in a schema (tables, views, indexes, sequences, composite types): index and sequence names avoid them. */
export function relationNameTaken(schema: Schema, name: string): boolean {
  if (schema.tables.has(name) || schema.views.has(name) || schema.sequences.has(name) || schema.otherTypes.has(name)) return true;
  const cached = cachedNames(schema);
  if (cached) return cached.indexes.has(name);
  for (const owner of [...schema.tables.values(), ...schema.views.values()]) if (owner.indexes.some((i) => i.name === name)) return true;
  return false;
}

/** Constraint names taken in a schema: PostgreSQL picks constraint names unique per schema, not per table. */
export function constraintNameTaken(schema: Schema, name: string): boolean {
  const cached = cachedNames(schema);
  if (cached) return cached.constraints.has(name);
  for (const t of schema.tables.values()) {
    if (t.primaryKey?.name === name) return true;
    if (t.uniqueConstraints.some((c) => c.name === name)) return true;
    if (t.foreignKeys.some((c) => c.name === name)) return true;
    if (t.checks.some((c) => c.name === name)) return true;
    if (t.indexes.some((i) => i.backs === 'exclusion' && i.name === name)) return true;
  }
  return false;
}
