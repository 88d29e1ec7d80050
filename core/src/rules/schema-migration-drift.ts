import { columnObject, indexObject, tableObject } from '../rule-kit/object-identity';
import type { Catalog, Column, Index, Origin, Table } from '../catalog/model';
import { tableLabel } from '../catalog/queries';
import { defineRule } from '../rule-kit/define-rule';
import type { CatalogRuleContext } from '../rule-kit/types';

/** The migration file that made an object, as a short label for messages (`20240101_init/migration.sql`). */
function where(origin: Origin): string {
  return origin.file.split('/').slice(-2).join('/');
}

const nullability = (c: Column) => (c.notNull ? 'NOT NULL' : 'nullable');

/** From this many columns of one table differing the same way, one finding names them all. */
const GROUP_FROM = 3;

/** PostgreSQL stores timestamps and times with 6 fractional digits when none are given; Prisma writes that as `(6)`. */
function sameType(a: string, b: string): boolean {
  const norm = (t: string) => t.replace(/^(timestamp|time)\(6\)/, '$1');
  return norm(a) === norm(b);
}

/** Index identity across the two sides: names differ legitimately (hand-written SQL), shape does not. */
function indexKey(i: Index): string | undefined {
  if (i.predicate !== undefined || i.keys.some((k) => k.column === undefined)) return undefined;
  return `${i.unique ? 'unique' : 'index'} ${i.method} (${i.keys.map((k) => k.column).join(', ')})`;
}

function describeIndex(i: Index): string {
  return `${i.unique ? 'a unique index' : 'an index'} on (${i.keys.map((k) => k.column).join(', ')})${i.method !== 'btree' ? ` using ${i.method}` : ''}`;
}

/** The schemas the Prisma schema manages: `schemas = [...]` of the datasource, else the default one. */
function managedSchemas(ctx: CatalogRuleContext<unknown>): string[] {
  const declared = ctx.prisma?.model.schemas ?? [];
  return declared.length ? declared : ['public'];
}

function tablesOf(catalog: Catalog, schemas: string[]): Map<string, Table> {
  const out = new Map<string, Table>();
  for (const name of schemas) for (const t of catalog.schemas.get(name)?.tables.values() ?? []) if (!t.partitionOf) out.set(`${t.schema}.${t.name}`, t);
  return out;
}

function compareTables(ctx: CatalogRuleContext<unknown>, model: Table, built: Table): void {
  const label = tableLabel(model);
  const builtBy = where(built.origin);
  const differing = new Map<string, { column: Column; other: Column }[]>();
  for (const column of model.columns) {
    const other = built.columns.find((c) => c.name === column.name);
    if (!other) {
      // CREATE TABLE … AS SELECT from a view: the replay cannot know its columns.
      if (built.columnsUnknown) continue;
      ctx.report({ origin: column.origin, object: columnObject(model, column, 'drift: missing in migrations'), message: `The schema has column "${label}.${column.name}" (${column.type}), but the migrations never create it: the next \`prisma migrate dev\` generates a migration to add it, or the migrations are missing one.` });
      continue;
    }
    const differences: string[] = [];
    if (!other.typeUnknown && !sameType(other.type, column.type)) differences.push(`type ${column.type} in the schema, ${other.type} in the migrations`);
    // Prisma cannot say NOT NULL on a list: a hand-written NOT NULL on an array column is not drift it could fix.
    if (other.notNull !== column.notNull && !column.type.endsWith('[]')) differences.push(`${nullability(column)} in the schema, ${nullability(other)} in the migrations`);
    if (differences.length) {
      const what = differences.join('; ');
      const group = differing.get(what) ?? [];
      differing.set(what, group);
      group.push({ column, other });
    }
  }
  for (const [what, group] of differing) {
    if (group.length < GROUP_FROM) {
      for (const { column, other } of group) {
        ctx.report({ origin: column.origin, object: columnObject(model, column, 'drift: differs'), message: `Column "${label}.${column.name}" differs between the schema and the migrations (${where(other.origin)}): ${what}.` });
      }
      continue;
    }
    // One finding for many columns that differ the same way (a CREATE TABLE … AS whose ranks are bigint where the model says Int).
    const names = group.map((g) => `"${g.column.name}"`);
    const files = [...new Set(group.map((g) => where(g.other.origin)))];
    ctx.report({
      origin: model.origin,
      object: { ...tableObject(model, `drift: columns differ: ${what}`), columns: group.map((g) => g.column.name) },
      message: `${group.length} columns of "${label}" differ between the schema and the migrations (${files.join(', ')}) the same way — ${what}: ${names.length > 8 ? `${names.slice(0, 8).join(', ')} and ${names.length - 8} more` : names.join(', ')}.`,
    });
  }
  const modelColumns = new Set(model.columns.map((c) => c.name));
  const extra = built.columns.filter((c) => !modelColumns.has(c.name));
  if (extra.length && !built.columnsUnknown) {
    ctx.report({
      origin: model.origin,
      object: { ...tableObject(model, 'drift: columns not in model'), columns: extra.map((c) => c.name) },
      message: `The migrations give "${label}" ${extra.length === 1 ? 'a column' : 'columns'} the model does not have: ${extra.map((c) => `"${c.name}" ${c.type} (${where(c.origin)})`).join(', ')}. `
        + 'Add the field(s) to the model (Unsupported("…") if Prisma has no type for it), or the next `prisma migrate dev` drops them.',
    });
  }
  const builtIndexes = new Map<string, Index>();
  for (const i of built.indexes) {
    const key = i.backs === 'primary' ? undefined : indexKey(i);
    if (key) builtIndexes.set(key, i);
  }
  const modelKey = model.primaryKey?.columns.join(', ');
  const builtKey = built.primaryKey?.columns.join(', ');
  if (modelKey !== builtKey) {
    // Implicit many-to-many tables made before Prisma 5 have a unique index where Prisma 5 has a primary key: one finding, not two.
    const asUnique = modelKey && !builtKey ? [...builtIndexes].find(([, i]) => i.unique && i.keys.map((k) => k.column).join(', ') === modelKey) : undefined;
    if (asUnique) builtIndexes.delete(asUnique[0]);
    const theirs = builtKey ? `(${builtKey})` : asUnique ? `none (a unique index "${asUnique[1].name}" on the same columns instead)` : 'none';
    ctx.report({
      origin: model.primaryKey?.origin ?? model.origin,
      object: tableObject(model, 'drift: primary key'),
      message: `Primary key of "${label}": ${modelKey ? `(${modelKey})` : 'none'} in the schema, ${theirs} in the migrations (${builtBy}).`,
    });
  }
  const modelIndexes = new Set<string>();
  for (const i of model.indexes) {
    const key = i.backs === 'primary' ? undefined : indexKey(i);
    if (!key) continue;
    modelIndexes.add(key);
    if (!builtIndexes.has(key)) {
      const columns = i.keys.map((k) => k.column).join(', ');
      const partial = built.indexes.find((b) => b.predicate !== undefined && b.unique === i.unique && b.keys.map((k) => k.column).join(', ') === columns);
      const how = partial ? ` as declared: they create "${partial.name}" on the same columns as a partial index (WHERE ${partial.predicate}), which Prisma does not see as the same index` : '';
      ctx.report({ origin: i.origin, object: { ...indexObject(model, i), aspect: 'drift: missing in migrations' }, message: `The schema has ${describeIndex(i)} on "${label}" ("${i.name}") that the migrations never create${how}.` });
    }
  }
  // Partial and expression indexes are left out: Prisma cannot express them, so they live only in SQL on purpose.
  const missing = [...builtIndexes].filter(([key]) => !modelIndexes.has(key)).map(([, i]) => i);
  for (const i of missing) {
    ctx.report({
      origin: model.origin,
      object: { ...indexObject(model, i), aspect: 'drift: not in model' },
      message: `The migrations (${where(i.origin)}) create ${describeIndex(i)} on "${label}" ("${i.name}") that the model does not declare: add @@${i.unique ? 'unique' : 'index'}([…]) to the model, or the next \`prisma migrate dev\` drops it.`,
    });
  }
}

export const schemaMigrationDrift = defineRule({
  id: 'schema-migration-drift',
  meta: {
    description: 'A Prisma schema and the migrations/ folder beside it disagree: a model, field or index exists on one side only, or a column differs in type or nullability.',
    category: 'schema',
    defaultSeverity: 'warning',
    fix: 'none',
  },
  checkCatalog(ctx) {
    const built = ctx.migrationsCatalog;
    if (!built || !ctx.prisma) return;
    const schemas = managedSchemas(ctx);
    const models = tablesOf(ctx.catalog, schemas);
    const tables = tablesOf(built, schemas);
    for (const [key, model] of models) {
      const table = tables.get(key);
      if (table) compareTables(ctx, model, table);
      // A model over a view the migrations create by hand (a common way to read a materialized view through Prisma).
      else if (built.schemas.get(model.schema)?.views.has(model.name)) continue;
      else ctx.report({ origin: model.origin, object: tableObject(model, 'drift: missing in migrations'), message: `The schema has model table "${tableLabel(model)}", but the migrations never create it: run \`prisma migrate dev\` to add a migration for it.` });
    }
    const datasource = ctx.prisma.model.datasource;
    if (!datasource) return;
    for (const [key, table] of tables) {
      if (models.has(key) || table.name === '_prisma_migrations') continue;
      ctx.report({
        origin: datasource,
        object: tableObject(table, 'drift: no model'),
        message: `The migrations (${where(table.origin)}) create table "${tableLabel(table)}", but no model maps to it: add the model (\`prisma db pull\` writes it), or the next \`prisma migrate dev\` drops the table.`,
      });
    }
  },
});
