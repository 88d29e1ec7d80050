import type { SqlSession } from './worker-db';
import type { TypeShape } from './sample-values';

/** A table of the shadow database as sample rows need it, read from pg_catalog. */
export interface LiveTable {
  oid: number;
  schema: string;
  name: string;
  /** `schema.name`, unquoted (the key other tables' foreign keys use). */
  qualified: string;
  /** Quoted for SQL. */
  sqlName: string;
  columns: LiveColumn[];
  /** Column sets of the primary key, UNIQUE constraints and unique indexes (expression keys: the columns they mention). */
  uniqueKeys: string[][];
  foreignKeys: LiveForeignKey[];
  checks: { name: string; def: string; columns: string[] }[];
  /** `schema.name` of the partitioned parent, for partitions (filled through the parent). */
  partitionOf?: string;
}

export interface LiveColumn {
  name: string;
  /** format_type, usable as a cast target. */
  type: string;
  shape: TypeShape;
  notNull: boolean;
  hasDefault: boolean;
  default?: string;
  /** `a` (ALWAYS), `d` (BY DEFAULT), or undefined. */
  identity?: 'a' | 'd';
  generated: boolean;
}

export interface LiveForeignKey {
  name: string;
  columns: string[];
  /** `schema.name` of the referenced table. */
  parent: string;
  referenced: string[];
}

interface TypeRow { oid: number; typname: string; typtype: string; typelem: number; typbasetype: number; typtypmod: number; typcategory: string }

const USER_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'`;

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Reads the user tables (not those of extensions) with their columns, keys and checks. */
export async function introspect(db: SqlSession): Promise<LiveTable[]> {
  const tables = (await db.query<{ oid: number; schema: string; name: string; parent: string | null }>(`
    SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name,
           (SELECT pn.nspname || '.' || pc.relname FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent
              JOIN pg_namespace pn ON pn.oid = pc.relnamespace WHERE i.inhrelid = c.oid AND c.relispartition) AS parent
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND ${USER_SCHEMAS}
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
    ORDER BY 2, 3`)).rows;
  if (!tables.length) return [];
  const oids = tables.map((t) => t.oid);

  const types = new Map<number, TypeRow>();
  for (const t of (await db.query<TypeRow>('SELECT oid::int AS oid, typname, typtype, typelem::int AS typelem, typbasetype::int AS typbasetype, typtypmod, typcategory FROM pg_type')).rows) types.set(t.oid, t);
  const labels = new Map<number, string[]>();
  for (const e of (await db.query<{ t: number; label: string }>('SELECT enumtypid::int AS t, enumlabel AS label FROM pg_enum ORDER BY enumtypid, enumsortorder')).rows) {
    labels.set(e.t, [...(labels.get(e.t) ?? []), e.label]);
  }
  const shapeOf = (oid: number, typmod: number, depth = 0): TypeShape => {
    const t = types.get(oid);
    if (!t || depth > 8) return { base: 'unknown', typmod };
    if (t.typtype === 'd') return shapeOf(t.typbasetype, t.typtypmod, depth + 1);
    if (t.typtype === 'e') return { base: t.typname, typmod, labels: labels.get(oid) ?? [] };
    if (t.typcategory === 'A' && t.typelem) return { base: 'array', typmod: -1, element: shapeOf(t.typelem, typmod, depth + 1) };
    return { base: t.typname, typmod };
  };

  const columns = (await db.query<{ rel: number; name: string; type: string; typid: number; typmod: number; notnull: boolean; hasdef: boolean; def: string | null; identity: string; generated: string }>(`
    SELECT a.attrelid::int AS rel, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.atttypid::int AS typid,
           a.atttypmod AS typmod, a.attnotnull AS notnull, a.atthasdef AS hasdef, pg_get_expr(d.adbin, d.adrelid) AS def,
           a.attidentity::text AS identity, a.attgenerated::text AS generated
    FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY a.attrelid, a.attnum`, [oids])).rows;

  const constraints = (await db.query<{ rel: number; name: string; type: string; cols: string[] | null; parent: string | null; refcols: string[] | null; def: string }>(`
    SELECT con.conrelid::int AS rel, con.conname AS name, con.contype::text AS type,
           (SELECT array_agg(a.attname ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
              JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num) AS cols,
           (SELECT pn.nspname || '.' || pc.relname FROM pg_class pc JOIN pg_namespace pn ON pn.oid = pc.relnamespace WHERE pc.oid = con.confrelid) AS parent,
           (SELECT array_agg(a.attname ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
              JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num) AS refcols,
           pg_get_constraintdef(con.oid) AS def
    FROM pg_constraint con
    WHERE con.conrelid = ANY($1::oid[]) AND con.contype IN ('f', 'c') AND con.conparentid = 0
    ORDER BY con.conrelid, con.conname`, [oids])).rows;

  const uniques = (await db.query<{ rel: number; cols: string[] | null; expr: string | null }>(`
    SELECT i.indrelid::int AS rel,
           (SELECT array_agg(a.attname ORDER BY k.ord) FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(num, ord)
              JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.num WHERE k.ord <= i.indnkeyatts) AS cols,
           pg_get_expr(i.indexprs, i.indrelid) AS expr
    FROM pg_index i WHERE i.indrelid = ANY($1::oid[]) AND i.indisunique`, [oids])).rows;

  const byOid = new Map<number, LiveTable>();
  const out = tables.map((t): LiveTable => {
    const table: LiveTable = {
      oid: t.oid, schema: t.schema, name: t.name, qualified: `${t.schema}.${t.name}`, sqlName: `${quote(t.schema)}.${quote(t.name)}`,
      columns: [], uniqueKeys: [], foreignKeys: [], checks: [],
      ...(t.parent ? { partitionOf: t.parent } : {}),
    };
    byOid.set(t.oid, table);
    return table;
  });
  for (const c of columns) {
    byOid.get(c.rel)?.columns.push({
      name: c.name, type: c.type, shape: shapeOf(c.typid, c.typmod), notNull: c.notnull, hasDefault: c.hasdef,
      ...(c.def ? { default: c.def } : {}),
      ...(c.identity === 'a' || c.identity === 'd' ? { identity: c.identity } : {}),
      generated: c.generated !== '',
    });
  }
  for (const c of constraints) {
    const table = byOid.get(c.rel);
    if (!table) continue;
    if (c.type === 'f' && c.parent && c.cols && c.refcols) table.foreignKeys.push({ name: c.name, columns: c.cols, parent: c.parent, referenced: c.refcols });
    else if (c.type === 'c') table.checks.push({ name: c.name, def: c.def, columns: table.columns.filter((col) => mentions(c.def, col.name)).map((col) => col.name) });
  }
  for (const u of uniques) {
    const table = byOid.get(u.rel);
    if (!table) continue;
    const key = [...(u.cols ?? []), ...(u.expr ? table.columns.filter((col) => mentions(u.expr!, col.name)).map((col) => col.name) : [])];
    if (key.length && !table.uniqueKeys.some((k) => k.length === key.length && k.every((c, n) => c === key[n]))) table.uniqueKeys.push(key);
  }
  return out;
}

function mentions(expression: string, column: string): boolean {
  const escaped = column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w"])("${escaped}"|${escaped})(?![\\w"])`).test(expression);
}
