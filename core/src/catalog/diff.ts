import type {
  Catalog, CheckConstraint, Column, EnumType, ForeignKey, Index, KeyConstraint, Origin, Policy, QualifiedName, Schema, Sequence, Table, View,
} from './model';
import { newSchema, TEMP_SCHEMA, UNKNOWN_TYPE } from './model';

/**
 * The structural difference between two catalogs, object by object, origins ignored: what reverting a
 * migration must undo, and what a down migration failed to undo. Objects inside an added or removed
 * table (or schema) are not listed again.
 */
export type CatalogDifference =
  | Change<'schema', Schema>
  | Change<'table', Table>
  | Change<'view', View>
  | Change<'sequence', Sequence>
  | Change<'type', QualifiedName & { origin: Origin }>
  | Change<'enum', EnumType>
  | Owned<'column', Column>
  | Owned<'index', Index>
  | Owned<'primary key', KeyConstraint>
  | Owned<'unique', KeyConstraint>
  | Owned<'foreign key', ForeignKey>
  | Owned<'check', CheckConstraint>
  | Owned<'policy', Policy>
  | Owned<'rls', Table['rls']>;

export type DifferenceKind = CatalogDifference['kind'];

interface Change<K extends string, T> {
  kind: K;
  change: 'added' | 'removed' | 'changed';
  schema: string;
  name: string;
  before?: T;
  after?: T;
}

interface Owned<K extends string, T> extends Change<K, T> {
  /** The table (or materialized view, for its indexes) the object belongs to. */
  table: QualifiedName;
}

/**
 * Keys left out of comparisons: where an object was written, and what the diff does not follow yet (comments,
 * owners, privileges, triggers), so a down migration is still judged on structure only.
 */
const IGNORED = new Set(['origin', 'comment', 'owner', 'acl', 'triggers']);

/** JSON of an object without its origin, so equal definitions compare equal wherever they were written. */
function shape(value: unknown): string {
  return JSON.stringify(value, (key, v) => (IGNORED.has(key) ? undefined : v));
}

/**
 * Structural equality ignoring `origin`, the same test as comparing `shape()`s but without building strings:
 * catalog diffs run once per migration of a history, over every table, so this is a hot path.
 */
function sameShape(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameShape(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !sameShape(v, b.get(k))) return false;
    return true;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  // Keys whose value is undefined are absent in JSON: compare the defined ones only.
  const keys = (r: Record<string, unknown>) => Object.keys(r).filter((k) => !IGNORED.has(k) && r[k] !== undefined);
  const ka = keys(ra);
  const kb = keys(rb);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!sameShape(ra[k], rb[k])) return false;
  return true;
}

function diffNamed<T extends { name: string }>(before: readonly T[], after: readonly T[], emit: (change: 'added' | 'removed' | 'changed', b?: T, a?: T) => void): void {
  const a = new Map(after.map((x) => [x.name, x]));
  const b = new Map(before.map((x) => [x.name, x]));
  for (const [name, x] of b) {
    const y = a.get(name);
    if (!y) emit('removed', x, undefined);
    else if (!sameShape(x, y)) emit('changed', x, y);
  }
  for (const [name, y] of a) if (!b.has(name)) emit('added', undefined, y);
}

function diffMap<T>(before: ReadonlyMap<string, T>, after: ReadonlyMap<string, T>, emit: (change: 'added' | 'removed' | 'changed', name: string, b?: T, a?: T) => void): void {
  for (const [name, x] of before) {
    const y = after.get(name);
    if (y === undefined) emit('removed', name, x, undefined);
    else if (!sameShape(x, y)) emit('changed', name, x, y);
  }
  for (const [name, y] of after) if (!before.has(name)) emit('added', name, undefined, y);
}

/** A column whose type the catalog could not derive (CREATE TABLE … AS) is not a type change against any type. */
function withUnknownTypesAligned(before: Column[], after: Column[]): [Column[], Column[]] {
  const align = (c: Column, other?: Column) => (other && (c.typeUnknown || other.typeUnknown) ? { ...c, type: UNKNOWN_TYPE, typeUnknown: true } : c);
  return [before.map((c) => align(c, after.find((x) => x.name === c.name))), after.map((c) => align(c, before.find((x) => x.name === c.name)))];
}

function diffTable(before: Table, after: Table, out: CatalogDifference[]): void {
  const table = { schema: after.schema, name: after.name };
  const owned = <K extends string, T extends { name: string }>(kind: K, b: readonly T[], a: readonly T[]) =>
    diffNamed(b, a, (change, x, y) => out.push({ kind, change, schema: table.schema, name: (x ?? y)!.name, table, before: x, after: y } as unknown as CatalogDifference));
  if (before.kind !== after.kind || shape(before.partitionOf) !== shape(after.partitionOf) || before.partitionBy !== after.partitionBy) {
    out.push({ kind: 'table', change: 'changed', schema: table.schema, name: table.name, before, after });
  }
  owned('column', ...withUnknownTypesAligned(before.columns, after.columns));
  owned('primary key', before.primaryKey ? [before.primaryKey] : [], after.primaryKey ? [after.primaryKey] : []);
  owned('unique', before.uniqueConstraints, after.uniqueConstraints);
  owned('foreign key', before.foreignKeys, after.foreignKeys);
  owned('check', before.checks, after.checks);
  owned('index', before.indexes, after.indexes);
  owned('policy', before.policies, after.policies);
  if (before.rls.enabled !== after.rls.enabled || before.rls.forced !== after.rls.forced) {
    out.push({ kind: 'rls', change: 'changed', schema: table.schema, name: table.name, table, before: before.rls, after: after.rls });
  }
}

function diffSchema(before: Schema, after: Schema, out: CatalogDifference[]): void {
  const s = after.name;
  diffMap(before.tables, after.tables, (change, name, b, a) => {
    if (change === 'changed') diffTable(b!, a!, out);
    else out.push({ kind: 'table', change, schema: s, name, before: b, after: a });
  });
  diffMap(before.views, after.views, (change, name, b, a) => {
    if (change === 'changed' && b!.materialized === a!.materialized) {
      const table = { schema: s, name };
      diffNamed(b!.indexes, a!.indexes, (c, x, y) => out.push({ kind: 'index', change: c, schema: s, name: (x ?? y)!.name, table, before: x, after: y }));
    } else out.push({ kind: 'view', change, schema: s, name, before: b, after: a });
  });
  // Sequences owned by a column come and go with it.
  const owner = (q?: Sequence) => q?.ownedBy !== undefined;
  diffMap(before.sequences, after.sequences, (change, name, b, a) => {
    if (change !== 'changed' && owner(b ?? a)) return;
    out.push({ kind: 'sequence', change, schema: s, name, before: b, after: a });
  });
  diffMap(before.enums, after.enums, (change, name, b, a) => out.push({ kind: 'enum', change, schema: s, name, before: b, after: a }));
  diffMap(before.otherTypes, after.otherTypes, (change, name, b, a) => {
    if (change !== 'changed') out.push({ kind: 'type', change, schema: s, name, before: b && { schema: s, name, origin: b }, after: a && { schema: s, name, origin: a } });
  });
}

/** Every object that differs between `before` and `after` (temporary objects left out). */
export function diffCatalogs(before: Catalog, after: Catalog): CatalogDifference[] {
  const out: CatalogDifference[] = [];
  // `public` exists in every database: an empty catalog has it too.
  const real = (c: Catalog) => {
    const m = new Map([...c.schemas].filter(([n]) => n !== TEMP_SCHEMA));
    if (!m.has('public')) m.set('public', newSchema('public', { file: '', start: 0, end: 0 }));
    return m;
  };
  const b = real(before);
  const a = real(after);
  for (const [name, x] of b) {
    const y = a.get(name);
    if (!y) out.push({ kind: 'schema', change: 'removed', schema: name, name, before: x });
    else diffSchema(x, y, out);
  }
  for (const [name, y] of a) {
    if (b.has(name)) continue;
    out.push({ kind: 'schema', change: 'added', schema: name, name, after: y });
  }
  return out;
}

const q = (s: string) => `"${s}"`;

/** `column "public"."users"."email"`, naming the object the way messages do. */
export function differenceLabel(d: CatalogDifference): string {
  if (d.kind === 'schema') return `schema ${q(d.name)}`;
  if ('table' in d) {
    const t = `${q(d.table.schema)}.${q(d.table.name)}`;
    if (d.kind === 'rls') return `row level security of ${t}`;
    if (d.kind === 'column') return `column ${t}.${q(d.name)}`;
    return `${d.kind === 'unique' || d.kind === 'check' ? `${d.kind} constraint` : d.kind} ${q(d.name)} on ${t}`;
  }
  return `${d.kind} ${q(d.schema)}.${q(d.name)}`;
}

/** What differs about a changed object: `type character varying(50), was text`. */
function changedFields(d: CatalogDifference): string {
  if (d.kind === 'rls') {
    const flags = (r: Table['rls']) => (r.enabled ? (r.forced ? 'enabled and forced' : 'enabled') : 'disabled');
    return `${flags(d.after!)}, was ${flags(d.before!)}`;
  }
  if (d.kind === 'column') {
    const b = d.before!;
    const a = d.after!;
    const parts: string[] = [];
    if (b.type !== a.type) parts.push(`type ${a.type}, was ${b.type}`);
    if (b.notNull !== a.notNull) parts.push(a.notNull ? 'NOT NULL, was nullable' : 'nullable, was NOT NULL');
    if (b.default !== a.default) parts.push(`default ${a.default ?? 'none'}, was ${b.default ?? 'none'}`);
    if (b.identity !== a.identity || b.generated !== a.generated) parts.push('identity or generation changed');
    return parts.join('; ');
  }
  if (d.kind === 'enum') return `values (${d.after!.values.join(', ')}), were (${d.before!.values.join(', ')})`;
  return 'definition differs';
}

/** One line per difference: `column "public"."users"."email" is missing` (with after = the catalog being checked). */
export function describeDifference(d: CatalogDifference): string {
  const label = differenceLabel(d);
  if (d.change === 'added') return `${label} is left over`;
  if (d.change === 'removed') return `${label} is missing`;
  return `${label} differs: ${changedFields(d)}`;
}
