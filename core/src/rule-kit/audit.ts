import { z } from 'zod';
import { applicationTables, matchesTableGlob } from '../catalog/queries';
import type { Catalog, Origin, Table, Trigger } from '../catalog/model';
import type { HistoryFile } from '../catalog/history-file';

/** The table selection both audit rules take: `include` (empty: every table) and `exclude`, as `name` or `schema.name` globs. */
export const tableSelection = {
  include: z.array(z.string().min(1)).default([]),
  exclude: z.array(z.string().min(1)).default([]),
};

/** The application tables of the exposed schemas the options select (Prisma's implicit join tables are Prisma's, not the team's). */
export function selectedTables(catalog: Catalog, schemas: readonly string[], o: { include: string[]; exclude: string[] }): Table[] {
  return applicationTables(catalog, schemas).filter((t) =>
    !t.columnsUnknown && (o.include.length === 0 || matchesTableGlob(t, o.include)) && !matchesTableGlob(t, o.exclude));
}

/** Whether a trigger calls the function named `name` (`fn` or `schema.fn`, as a user writes it in pgvet.json). */
export function callsFunction(trigger: Trigger, name: string): boolean {
  const dot = name.lastIndexOf('.');
  const wanted = dot < 0 ? { name } : { schema: name.slice(0, dot), name: name.slice(dot + 1) };
  if (trigger.function.name !== wanted.name) return false;
  return wanted.schema === undefined || (trigger.function.schema ?? wanted.schema) === wanted.schema;
}

/** A trigger that fires (not DISABLE TRIGGER'd). */
export const fires = (t: Trigger) => t.enabled !== 'disabled';

/** `fn` or `schema.fn` as SQL names it in EXECUTE FUNCTION. */
export function functionNameSql(name: string, quote: (s: string) => string): string {
  return name.split('.').map(quote).join('.');
}

/** A free trigger name on the table: `base`, else `base_2` … */
export function freeTriggerName(table: Table, base: string): string {
  const taken = new Set(table.triggers.map((t) => t.name));
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  return name;
}

const TYPE_ALIASES: Record<string, string> = {
  timestamptz: 'timestamp with time zone',
  timestamp: 'timestamp without time zone',
  timetz: 'time with time zone',
  time: 'time without time zone',
  int: 'integer', int4: 'integer', int8: 'bigint', int2: 'smallint',
  bool: 'boolean', varchar: 'character varying', float8: 'double precision', float4: 'real',
};

/** A type as format_type prints it, without its typmod, so `timestamptz` matches `timestamp(3) with time zone`. */
export function baseType(type: string): string {
  const t = type.trim().toLowerCase().replace(/\s*\(\s*\d+(\s*,\s*\d+)?\s*\)/g, '').replace(/\s+/g, ' ');
  return TYPE_ALIASES[t] ?? t;
}

/**
 * Where a fix that creates a trigger on `table` calling `fn` may go: after the table's statement, or after the
 * function's when the history creates the function later in the same file (a trigger cannot name a function that does
 * not exist yet). A function from a later file: only a new migration (`inPlace: false`), as a fix edits its own file.
 */
export function triggerFixAnchor(catalog: Catalog, files: ReadonlyMap<string, HistoryFile>, table: Table, fn: string): { after: Origin; inPlace?: false } {
  const dot = fn.lastIndexOf('.');
  const schemas = dot < 0 ? catalog.searchPath.length ? catalog.searchPath : ['public'] : [fn.slice(0, dot)];
  const name = dot < 0 ? fn : fn.slice(dot + 1);
  const f = schemas.map((s) => catalog.schemas.get(s)?.functions.get(name)?.[0]).find((x) => x !== undefined);
  if (!f) return { after: table.origin };
  const order = [...files.keys()];
  const key = (o: Origin) => [order.indexOf(o.file), o.start] as const;
  const [tf, ts] = key(table.origin);
  const [ff, fs] = key(f.origin);
  if (ff > tf) return { after: table.origin, inPlace: false };
  return { after: ff === tf && fs > ts ? f.origin : table.origin };
}

/**
 * A Prisma implicit many-to-many table (`_Relation ("A", "B")`): Prisma alone names and writes it. In either column
 * order: Prisma Migrate re-creates a column when its type changes (hatchet's `_ActionToWorker` has B, A).
 */
export function isPrismaJoinTable(table: Table): boolean {
  return table.name.startsWith('_') && table.columns.length === 2 && table.columns.map((c) => c.name).sort().join() === 'A,B';
}
