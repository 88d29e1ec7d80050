import type { PrismaDatabaseModel, PrismaTable, ReferentialAction } from '../parse/prisma/schema-model';
import type { Catalog, FkAction, Index, Origin, Schema, Table } from './model';

const ACTION: Record<ReferentialAction, FkAction> = {
  CASCADE: 'cascade',
  RESTRICT: 'restrict',
  'NO ACTION': 'no action',
  'SET NULL': 'set null',
  'SET DEFAULT': 'set default',
};

function emptySchema(name: string, origin: Origin): Schema {
  return { name, origin, tables: new Map(), views: new Map(), enums: new Map(), sequences: new Map(), otherTypes: new Map(), functions: new Map() };
}

function toTable(t: PrismaTable, schema: string, includeEmulated: boolean): Table {
  const origin: Origin = t.source;
  const indexes: Index[] = [];
  if (t.primaryKey) {
    indexes.push({ name: t.primaryKey.name, keys: t.primaryKey.columns.map((column) => ({ column })), include: [], method: 'btree', unique: true, backs: 'primary', origin: t.primaryKey.source });
  }
  for (const u of t.uniques) {
    // Prisma Migrate creates @unique as a unique index, not as a constraint.
    indexes.push({ name: u.name, keys: u.columns.map((c) => ({ column: c.name })), include: [], method: u.method, unique: true, origin: u.source });
  }
  for (const i of t.indexes) {
    indexes.push({ name: i.name, keys: i.columns.map((c) => ({ column: c.name })), include: [], method: i.method, unique: false, origin: i.source });
  }
  return {
    schema,
    name: t.name,
    kind: 'table',
    origin,
    triggers: [],
    // Prisma Migrate creates scalar lists without NOT NULL, though the field is not optional.
    columns: t.columns.map((c) => ({ name: c.name, type: c.type, notNull: !c.nullable && !c.isList, default: c.default?.sql, origin: c.source })),
    primaryKey: t.primaryKey && { name: t.primaryKey.name, columns: t.primaryKey.columns, origin: t.primaryKey.source },
    uniqueConstraints: [],
    indexes,
    foreignKeys: t.foreignKeys
      .filter((f) => includeEmulated || !f.emulated)
      .map((f) => ({
          name: f.name,
          columns: f.columns,
          references: { schema: f.referencedSchema ?? schema, name: f.referencedTable },
          referencedColumns: f.referencedColumns,
          onDelete: ACTION[f.onDelete],
          onUpdate: ACTION[f.onUpdate],
          origin: f.source,
        })),
    checks: [],
    rls: { enabled: false, forced: false },
    policies: [],
  };
}

/**
 * The catalog a Prisma schema describes, in the same model the migration replay builds, so the
 * schema rules run on both. Origins point into the .prisma files. Views are left out (Prisma Migrate
 * does not create them); FKs emulated under relationMode = "prisma" are kept only when asked, since
 * rules such as unindexed-foreign-key still care about their columns.
 */
export function catalogFromPrisma(model: PrismaDatabaseModel, options: { includeEmulatedForeignKeys?: boolean } = {}): Catalog {
  const schemas = new Map<string, Schema>();
  const schemaOf = (name: string, origin: Origin) => {
    let s = schemas.get(name);
    if (!s) schemas.set(name, (s = emptySchema(name, origin)));
    return s;
  };
  for (const t of model.tables) {
    if (t.kind === 'view') continue;
    const schema = t.schema ?? 'public';
    const table = toTable(t, schema, options.includeEmulatedForeignKeys ?? false);
    schemaOf(schema, t.source).tables.set(t.name, table);
  }
  for (const e of model.enums) {
    const schema = e.schema ?? 'public';
    schemaOf(schema, e.source).enums.set(e.dbName, { schema, name: e.dbName, values: e.values.map((v) => v.dbName), origin: e.source });
  }
  return { schemas, searchPath: ['public'], notes: [], extensions: new Map(), defaultPrivileges: [] };
}
