import type { CreateTableAsStmt, IntoClause, Node, RangeVar, SelectStmt } from '@pgsql/types';
import { nodeOf } from '../../parse/sql/nodes';
import { newTable, UNKNOWN_TYPE, type Column } from '../model';
import { creationSchema, ensureSchema, namedRelation, note, strings, type ReplayContext } from './context';
import { queryColumns, renamed } from './query-columns';
import { queryDependencies } from './view-dependencies';

/** Columns of a query's result as a new relation has them: nullable, no defaults; undefined when the list itself is unknown. */
function derivedColumns(ctx: ReplayContext, query: Node | undefined, names: string[]): Column[] | undefined {
  const select = nodeOf(query, 'SelectStmt');
  const columns = select ? queryColumns(ctx, select) : undefined;
  if (!columns) return undefined;
  return renamed(columns, names).map((c) => ({
    name: c.name, type: c.type ?? UNKNOWN_TYPE, ...(c.type === undefined ? { typeUnknown: true } : {}), notNull: false, origin: ctx.origin,
  }));
}

/** CREATE [OR REPLACE] VIEW and CREATE MATERIALIZED VIEW, with the columns of their query. */
export function createView(ctx: ReplayContext, view: RangeVar | undefined, query: Node | undefined, names: string[], materialized: boolean, replaceOrIfNotExists: boolean): void {
  const rel = namedRelation(view);
  const schema = ensureSchema(ctx, creationSchema(ctx, rel.schemaname, rel.relpersistence));
  const existing = schema.views.get(rel.relname);
  if (existing) {
    if (!replaceOrIfNotExists) note(ctx, `view "${rel.relname}" already exists`);
    // CREATE OR REPLACE VIEW keeps the view (and what refers to it) but takes the new query's columns.
    else if (!materialized) schema.views.set(rel.relname, { ...existing, columns: derivedColumns(ctx, query, names), dependsOn: queryDependencies(ctx, query) });
    return;
  }
  schema.views.set(rel.relname, {
    schema: schema.name, name: rel.relname, materialized, columns: derivedColumns(ctx, query, names), dependsOn: queryDependencies(ctx, query), indexes: [], origin: ctx.origin,
  });
}

/** CREATE TABLE … AS and SELECT … INTO: a table with the query's columns (a `*` over an unknown relation leaves them unknown). */
function createTableFromQuery(ctx: ReplayContext, into: IntoClause, query: Node | undefined, ifNotExists: boolean): void {
  const rel = namedRelation(into.rel);
  const schema = ensureSchema(ctx, creationSchema(ctx, rel.schemaname, rel.relpersistence));
  if (schema.tables.has(rel.relname) || schema.views.has(rel.relname)) {
    if (!ifNotExists) note(ctx, `table "${rel.relname}" already exists`);
    return;
  }
  const table = newTable(schema.name, rel.relname, ctx.origin);
  schema.tables.set(rel.relname, table);
  const columns = derivedColumns(ctx, query, strings(into.colNames));
  if (columns) table.columns = columns;
  else {
    table.columnsUnknown = true;
    if (schema.name !== 'pg_temp') note(ctx, `CREATE TABLE ${rel.relname} AS: a * over a relation the catalog has no columns for; columns not modelled`);
  }
}

export function createTableAs(ctx: ReplayContext, n: CreateTableAsStmt): void {
  const rel = n.into?.rel;
  if (!n.into || !rel) return;
  if (n.objtype === 'OBJECT_MATVIEW') return createView(ctx, rel, n.query, strings(n.into.colNames), true, !!n.if_not_exists);
  createTableFromQuery(ctx, n.into, n.query, !!n.if_not_exists);
}

/** `SELECT … INTO t FROM …` creates t like CREATE TABLE t AS. */
export function selectInto(ctx: ReplayContext, n: SelectStmt): void {
  if (!n.intoClause?.rel) return;
  const { intoClause, ...query } = n;
  createTableFromQuery(ctx, intoClause, { SelectStmt: query }, false);
}
