import type { Catalog, Column, Extension, ForeignKey, FunctionSignature, Index, Origin, Policy, Table } from '../catalog/model';
import type { ObjectIdentity } from './types';

/** Identities of catalog objects, for schema rules' reports (see `CatalogReport.object`). */
export const tableObject = (t: Table, aspect?: string): ObjectIdentity => ({ kind: 'table', schema: t.schema, table: t.name, ...(aspect ? { aspect } : {}) });

export const columnObject = (t: Table, column: Column | string, aspect?: string): ObjectIdentity =>
  ({ kind: 'column', schema: t.schema, table: t.name, name: typeof column === 'string' ? column : column.name, ...(aspect ? { aspect } : {}) });

export const indexObject = (t: Table, i: Index): ObjectIdentity => ({ kind: 'index', schema: t.schema, table: t.name, name: i.name });

/**
 * A foreign key by its columns and the table it references, not its name: a Prisma schema and the migrations
 * may name it differently (`map:`), and a rename of the constraint does not change the problem.
 */
export const fkObject = (t: Table, fk: ForeignKey): ObjectIdentity =>
  ({ kind: 'fk', schema: t.schema, table: t.name, name: `${fk.references.schema}.${fk.references.name}`, columns: fk.columns });

export const policyObject = (t: Table, p: Policy, aspect?: string): ObjectIdentity =>
  ({ kind: 'policy', schema: t.schema, table: t.name, name: p.name, ...(aspect ? { aspect } : {}) });

/** A short, stable text for review: `fk public.orders(customer_id) → public.customers`. */
export const functionObject = (f: FunctionSignature, aspect?: string): ObjectIdentity =>
  ({ kind: 'function', schema: f.schema, table: f.name, name: f.args.join(', '), ...(aspect ? { aspect } : {}) });
export const extensionObject = (e: Extension): ObjectIdentity => ({ kind: 'extension', schema: e.schema, table: e.name });

export function objectLabel(o: ObjectIdentity): string {
  const table = `${o.schema}.${o.table}`;
  const aspect = o.aspect ? ` [${o.aspect}]` : '';
  switch (o.kind) {
    case 'table': return `table ${table}${aspect}`;
    case 'function': return `function ${table}(${o.name ?? ''})${aspect}`;
    case 'extension': return `extension ${o.table} in ${o.schema}${aspect}`;
    case 'fk': return `fk ${table}(${(o.columns ?? []).join(', ')}) → ${o.name ?? '?'}${aspect}`;
    default: return `${o.kind} ${table}.${o.name ?? ''}${o.columns ? `(${o.columns.join(', ')})` : ''}${aspect}`;
  }
}

/**
 * The object whose origin is exactly `origin` (a rule that reports on an index or a foreign key at its origin
 * and names no object): tables first, then foreign keys, indexes, policies and columns.
 */
export function objectAt(catalog: Catalog, origin: Origin): ObjectIdentity | undefined {
  return objectLookup(catalog)(origin);
}

/**
 * `objectAt` for many origins of one catalog (that does not change meanwhile): the catalog is walked once, in
 * objectAt's order, the first object per origin kept. Walking it per report made 8,000 findings quadratic.
 */
export function objectLookup(catalog: Catalog): (origin: Origin) => ObjectIdentity | undefined {
  const byOrigin = new Map<string, ObjectIdentity>();
  const key = (o: Origin) => `${o.start}\0${o.end}\0${o.file}`;
  const add = (o: Origin, object: () => ObjectIdentity) => {
    const k = key(o);
    if (!byOrigin.has(k)) byOrigin.set(k, object());
  };
  for (const schema of catalog.schemas.values()) {
    for (const t of schema.tables.values()) {
      add(t.origin, () => tableObject(t));
      for (const fk of t.foreignKeys) add(fk.origin, () => fkObject(t, fk));
      for (const i of t.indexes) add(i.origin, () => indexObject(t, i));
      for (const p of t.policies) add(p.origin, () => policyObject(t, p));
      for (const c of t.columns) add(c.origin, () => columnObject(t, c));
    }
  }
  return (origin) => byOrigin.get(key(origin));
}

/**
 * Where `catalog` has the object, e.g. the migration that created it, and what was created there: the object, or
 * its table when the object itself is not in `catalog` (an index the schema declares and no migration creates).
 */
export function originOfObject(catalog: Catalog, o: ObjectIdentity): (Origin & { created: string }) | undefined {
  const t = catalog.schemas.get(o.schema)?.tables.get(o.table);
  if (!t) return undefined;
  const sameColumns = (a: readonly string[]) => o.columns !== undefined && a.join('\0') === o.columns.join('\0');
  const own = (() => {
    switch (o.kind) {
      case 'column': return t.columns.find((c) => c.name === o.name);
      case 'index': return t.indexes.find((i) => i.name === o.name);
      case 'policy': return t.policies.find((p) => p.name === o.name);
      case 'fk': return t.foreignKeys.find((f) => sameColumns(f.columns));
      default: return t;
    }
  })();
  return own ? { ...own.origin, created: 'it' } : { ...t.origin, created: `table "${t.name}"` };
}

/** Whether a rule's findings are problems of the current schema (one per object), not of one migration. */
export function isSchemaProblemRule(rule: { meta: { category: string }; checkCatalog?: unknown }): boolean {
  return rule.checkCatalog !== undefined && (rule.meta.category === 'schema' || rule.meta.category === 'normalisation');
}
