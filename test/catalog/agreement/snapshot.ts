import type { Client } from 'pg';
import { DEFAULT_TEXT, INDEX_TEXT, POLICY_TEXT } from './pg-text';

/**
 * One line per fact, the same shape from both sides, so that comparing two schemas is comparing two sets of lines.
 * Expressions are in each line as PostgreSQL prints them: read from pg_catalog on the database side, and on pgvet's
 * side obtained by putting pgvet's texts through PostgreSQL (catalog-snapshot.ts, normalise.ts).
 * Partitions are compared like any table (with the keys, foreign keys and indexes they get from their parent), and
 * partitioning itself: each partitioned table's key (pg_partitioned_table through pg_get_partkeydef), each partition's
 * parent and bound (pg_inherits, pg_get_expr(relpartbound)), and which partitioned index each partition's index is attached to.
 */
export type Snapshot = Map<string, string[]>;

/** Functions, privileges, view options, extensions, triggers, comments: read and rendered by security-snapshot.ts. */
export const SECURITY_KINDS = ['function', 'acl', 'column-acl', 'default-acl', 'trigger', 'view-option', 'extension', 'comment'] as const;
export const KINDS = ['table', 'column', 'pk', 'unique', 'fk', 'check', 'exclude', 'index', 'rls', 'policy', 'enum', 'view', 'view-column', 'sequence', 'unindexed-fk', 'partition', 'index-partition', ...SECURITY_KINDS] as const;
export type FactKind = (typeof KINDS)[number];

export function emptySnapshot(): Snapshot {
  return new Map(KINDS.map((k) => [k, []]));
}

export const q = (s: string) => JSON.stringify(s);
export const list = (xs: string[]) => `(${xs.map(q).join(',')})`;
export const relName = (schema: string, name: string) => `${q(schema)}.${q(name)}`;

export function columnLine(rel: string, name: string, type: string, notNull: boolean, identity: string | undefined, generated: string | undefined, def: string | undefined): string {
  return `${rel}.${q(name)} ${type}${notNull ? ' not null' : ''}${identity ? ` identity ${identity}` : ''}${generated !== undefined ? ` generated ${generated}` : ''}${def !== undefined ? ` default ${def}` : ''}`;
}

/** Whether some complete (non-partial, no-expression) index has exactly the FK columns as its leading columns. */
export function fkIsIndexed(fkColumns: string[], indexes: { keys: (string | undefined)[]; usable: boolean }[]): boolean {
  const want = [...fkColumns].sort().join('\0');
  return indexes.some((i) => i.usable && i.keys.length >= fkColumns.length && i.keys.slice(0, fkColumns.length).map(String).sort().join('\0') === want);
}

const NOT_SYSTEM = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')`;
const USER_RELATIONS = `c.relkind IN ('r', 'p') AND ${NOT_SYSTEM}`;

/** The same facts read from a live database's pg_catalog (under the session's search_path, which prints names). */
export async function databaseSnapshot(client: Client): Promise<Snapshot> {
  const snap = emptySnapshot();
  const add = (kind: FactKind, line: string) => snap.get(kind)!.push(line);
  const rel = (r: { nspname: string; relname: string }) => relName(r.nspname, r.relname);

  const tables = await client.query(`SELECT n.nspname, c.relname, c.relkind, c.relrowsecurity, c.relforcerowsecurity
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_RELATIONS}`);
  for (const t of tables.rows) {
    add('table', `${rel(t)} ${t.relkind === 'p' ? 'partitioned' : 'table'}`);
    add('rls', `${rel(t)}${t.relrowsecurity ? ' enabled' : ''}${t.relforcerowsecurity ? ' forced' : ''}`);
  }
  const views = await client.query(`SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('v', 'm') AND ${NOT_SYSTEM}`);
  for (const v of views.rows) add('view', `${rel(v)} ${v.relkind === 'm' ? 'materialized' : 'view'}`);
  const sequences = await client.query(`SELECT n.nspname, c.relname, o.relname AS owner, a.attname AS column
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
    LEFT JOIN pg_class o ON o.oid = d.refobjid LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
    WHERE c.relkind = 'S' AND ${NOT_SYSTEM} AND NOT coalesce(o.relispartition, false)`);
  for (const r of sequences.rows) add('sequence', `${rel(r)}${r.owner ? ` owned by ${q(r.owner)}.${q(r.column)}` : ''}`);
  const viewColumns = await client.query(`SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod) AS type
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('v', 'm') AND ${NOT_SYSTEM}`);
  for (const c of viewColumns.rows) add('view-column', `${rel(c)}.${q(c.attname)} ${c.type}`);

  const columns = await client.query(`SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull,
      a.attidentity, a.attgenerated, ${DEFAULT_TEXT} AS expr
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.attnum > 0 AND NOT a.attisdropped AND ${USER_RELATIONS}`);
  const identity: Record<string, string> = { a: 'always', d: 'by default' };
  for (const c of columns.rows) {
    const generated = c.attgenerated ? c.expr : undefined;
    add('column', columnLine(rel(c), c.attname, c.type, c.attnotnull, identity[c.attidentity], generated, c.attgenerated ? undefined : c.expr ?? undefined));
  }

  // A foreign key to a partitioned table has internal clones on the same table, one per partition referenced
  // (`…_fkey1`, conparentid = the real one): PostgreSQL's bookkeeping, not a constraint anyone declared.
  const colNames = (keys: string, relid: string) =>
    `(SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(${keys}) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = ${relid} AND a.attnum = k.attnum)`;
  const constraints = await client.query(`SELECT n.nspname, c.relname, con.conname, con.contype, pg_get_constraintdef(con.oid) AS def,
      ${colNames('con.conkey', 'con.conrelid')} AS cols
    FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE con.contype IN ('p', 'u', 'f', 'c', 'x') AND NOT (con.contype = 'c' AND con.coninhcount > 0) AND ${USER_RELATIONS}
      AND NOT EXISTS (SELECT 1 FROM pg_constraint pc WHERE pc.oid = con.conparentid AND pc.conrelid = con.conrelid)`);
  const kindOf: Record<string, FactKind> = { p: 'pk', u: 'unique', f: 'fk', c: 'check', x: 'exclude' };
  const fks: { rel: string; name: string; cols: string[] }[] = [];
  for (const c of constraints.rows) {
    add(kindOf[c.contype], `${rel(c)} ${q(c.conname)} ${c.def}`);
    if (c.contype === 'f') fks.push({ rel: rel(c), name: c.conname, cols: c.cols ?? [] });
  }

  const indexes = await client.query(`SELECT n.nspname, c.relname, ic.relname AS index_name, ${INDEX_TEXT} AS def, c.relkind,
      x.indpred IS NOT NULL AS partial, x.indexprs IS NOT NULL AS has_exprs, x.indnkeyatts,
      (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
         LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum AND k.attnum > 0) AS cols
    FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE (${USER_RELATIONS} OR c.relkind = 'm' AND ${NOT_SYSTEM})`);
  const usable = new Map<string, { keys: (string | undefined)[]; usable: boolean }[]>();
  for (const i of indexes.rows) {
    add('index', `${rel(i)} ${q(i.index_name)} ${i.def}`);
    if (i.relkind === 'm') continue;
    const keys = (i.cols ?? []).slice(0, i.indnkeyatts);
    const list = usable.get(rel(i)) ?? [];
    list.push({ keys, usable: !i.partial && !i.has_exprs });
    usable.set(rel(i), list);
  }
  for (const fk of fks) if (!fkIsIndexed(fk.cols, usable.get(fk.rel) ?? [])) add('unindexed-fk', `${fk.rel} ${q(fk.name)}`);

  const policies = await client.query(`SELECT n.nspname, c.relname, p.polname, ${POLICY_TEXT} AS def
    FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_RELATIONS}`);
  for (const p of policies.rows) add('policy', `${rel(p)} ${q(p.polname)} ${p.def}`);

  const keys = await client.query(`SELECT n.nspname, c.relname, pg_get_partkeydef(c.oid) AS key
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_partitioned_table pt ON pt.partrelid = c.oid WHERE ${USER_RELATIONS}`);
  for (const k of keys.rows) add('partition', `${rel(k)} by ${k.key}`);
  const partitions = await client.query(`SELECT n.nspname, c.relname, pn.nspname AS parent_schema, p.relname AS parent, pg_get_expr(c.relpartbound, c.oid) AS bound
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_inherits i ON i.inhrelid = c.oid
    JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE c.relispartition AND ${USER_RELATIONS}`);
  for (const r of partitions.rows) add('partition', `${rel(r)} of ${relName(r.parent_schema, r.parent)} ${r.bound}`);
  const attachedIndexes = await client.query(`SELECT n.nspname, c.relname, ic.relname AS index_name, pn.nspname AS parent_schema, pic.relname AS parent_index
    FROM pg_inherits i JOIN pg_class ic ON ic.oid = i.inhrelid AND ic.relkind IN ('i', 'I') JOIN pg_index x ON x.indexrelid = ic.oid
    JOIN pg_class c ON c.oid = x.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_class pic ON pic.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = pic.relnamespace WHERE ${USER_RELATIONS}`);
  for (const r of attachedIndexes.rows) add('index-partition', `${rel(r)} ${q(r.index_name)} attached to ${relName(r.parent_schema, r.parent_index)}`);

  const enums = await client.query(`SELECT n.nspname, t.typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
    GROUP BY n.nspname, t.typname`);
  for (const e of enums.rows) add('enum', `${q(e.nspname)}.${q(e.typname)} ${list(e.labels)}`);
  for (const lines of snap.values()) lines.sort();
  return snap;
}

export interface SnapshotDiff {
  kind: FactKind;
  /** In PostgreSQL, not in pgvet's catalog. */
  missing: string[];
  /** In pgvet's catalog, not in PostgreSQL. */
  extra: string[];
}

export function diffSnapshots(database: Snapshot, catalog: Snapshot): SnapshotDiff[] {
  const out: SnapshotDiff[] = [];
  for (const kind of KINDS) {
    const a = new Set(database.get(kind));
    const b = new Set(catalog.get(kind));
    const missing = [...a].filter((x) => !b.has(x));
    const extra = [...b].filter((x) => !a.has(x));
    if (missing.length || extra.length) out.push({ kind, missing, extra });
  }
  return out;
}

export function countFacts(snapshot: Snapshot): Record<string, number> {
  return Object.fromEntries([...snapshot].map(([k, v]) => [k, v.length]));
}
