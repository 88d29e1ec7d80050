import type { Catalog, EnumType, Schema, Sequence, Table, View } from './model';

/**
 * Cheap catalog snapshots, for the rules that compare the schema before and after a migration or a
 * statement (reversibility, generated downs, narrowing type changes).
 *
 * A snapshot copies the containers (the catalog, its schemas and their maps) and shares the objects in them
 * (tables, views, enums, sequences), which it freezes. Replay then copies a frozen object before changing it
 * (`writableTable` and friends, called by the replay handlers), so neither catalog sees the other's changes,
 * and a diff of the two skips every object they still share. Forgetting to copy cannot corrupt a snapshot
 * silently: writing to a frozen object throws, and the replay turns that into a catalog note.
 */

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
}

/** A deep copy (origins, which never change, are shared): for replay code that copies an existing object. */
export function deepCopy<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(deepCopy) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = k === 'origin' ? v : deepCopy(v);
  return out as T;
}

/** A copy of `catalog` that shares its (now frozen) objects; changing either catalog afterwards leaves the other as it was. */
export function snapshotCatalog(catalog: Catalog): Catalog {
  const schemas = new Map<string, Schema>();
  for (const [name, s] of catalog.schemas) {
    for (const map of [s.tables, s.views, s.enums, s.sequences]) for (const o of map.values()) deepFreeze(o);
    schemas.set(name, {
      ...s,
      tables: new Map(s.tables),
      views: new Map(s.views),
      enums: new Map(s.enums),
      sequences: new Map(s.sequences),
      otherTypes: new Map(s.otherTypes),
      functions: new Map(s.functions), // signatures are replaced, never changed, so sharing them is safe
    });
  }
  // Extensions and default privileges are replaced, never changed, so sharing them is safe too.
  return {
    schemas, searchPath: [...catalog.searchPath], notes: [...catalog.notes], ...(catalog.role !== undefined ? { role: catalog.role } : {}),
    extensions: new Map(catalog.extensions), defaultPrivileges: [...catalog.defaultPrivileges],
  };
}

/** Replaces a shared object in its map by a private copy, unless it is already private. */
function writable<T extends { name: string; schema: string }>(catalog: Catalog, object: T, mapOf: (s: Schema) => Map<string, T>): T {
  if (!Object.isFrozen(object)) return object;
  const copy = deepCopy(object);
  const schema = catalog.schemas.get(object.schema);
  const map = schema && mapOf(schema);
  if (map?.get(object.name) === object) map.set(object.name, copy);
  return copy;
}

/** The table as `catalog` may change it (see the file comment). */
export function writableTable(catalog: Catalog, table: Table): Table {
  return writable(catalog, table, (s) => s.tables);
}

export function writableView(catalog: Catalog, view: View): View {
  return writable(catalog, view, (s) => s.views);
}

export function writableEnum(catalog: Catalog, e: EnumType): EnumType {
  return writable(catalog, e, (s) => s.enums);
}

export function writableSequence(catalog: Catalog, seq: Sequence): Sequence {
  return writable(catalog, seq, (s) => s.sequences);
}
