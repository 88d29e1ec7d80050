import type { Client } from 'pg';
import { allTables, type Catalog, type Index, type Table } from '../../../server/src/catalog/model';

/**
 * One line per fact, the same shape from both sides, so that comparing two schemas is comparing two sets of lines.
 * Partitions are left out on both sides: hatchet creates them at run time from PL/pgSQL functions.
 */
export type Snapshot = Map<string, string[]>;

const KINDS = ['table', 'column', 'pk', 'unique', 'fk', 'check', 'index', 'rls', 'policy', 'enum', 'unindexed-fk'] as const;
export type FactKind = (typeof KINDS)[number];

function emptySnapshot(): Snapshot {
  return new Map(KINDS.map((k) => [k, []]));
}

const q = (s: string) => JSON.stringify(s);
const list = (xs: string[]) => `(${xs.map(q).join(',')})`;

function indexLine(schema: string, table: string, name: string, method: string, unique: boolean, keys: string[], include: string[], partial: boolean): string {
  return `${q(schema)}.${q(table)} ${q(name)} ${method}${unique ? ' unique' : ''} ${list(keys)}${include.length ? ` include ${list(include)}` : ''}${partial ? ' partial' : ''}`;
}

/** Whether some complete (non-partial, no-expression) index has exactly the FK columns as its leading columns. */
function fkIsIndexed(fkColumns: string[], indexes: { keys: (string | undefined)[]; usable: boolean }[]): boolean {
  const want = [...fkColumns].sort().join('\0');
  return indexes.some((i) => i.usable && i.keys.length >= fkColumns.length && i.keys.slice(0, fkColumns.length).map(String).sort().join('\0') === want);
}

export function catalogSnapshot(catalog: Catalog): Snapshot {
  const snap = emptySnapshot();
  const add = (kind: FactKind, line: string) => snap.get(kind)!.push(line);
  const isPartition = (t: Table) => t.partitionOf !== undefined;
  for (const t of allTables(catalog)) {
    if (isPartition(t)) continue;
    const rel = `${q(t.schema)}.${q(t.name)}`;
    add('table', `${rel} ${t.kind}`);
    for (const c of t.columns) add('column', `${rel}.${q(c.name)} ${c.type}${c.notNull ? ' not null' : ''}`);
    if (t.primaryKey) add('pk', `${rel} ${q(t.primaryKey.name)} ${list(t.primaryKey.columns)}`);
    for (const u of t.uniqueConstraints) add('unique', `${rel} ${q(u.name)} ${list(u.columns)}`);
    for (const fk of t.foreignKeys) {
      add('fk', `${rel} ${q(fk.name)} ${list(fk.columns)} -> ${q(fk.references.schema)}.${q(fk.references.name)} ${list(fk.referencedColumns)} on delete ${fk.onDelete} on update ${fk.onUpdate}`);
    }
    for (const c of t.checks) add('check', `${rel} ${q(c.name)}`);
    for (const i of t.indexes) add('index', indexLine(t.schema, t.name, i.name, i.method, i.unique, i.keys.map((k) => k.column ?? '<expr>'), i.include, i.predicate !== undefined));
    add('rls', `${rel}${t.rls.enabled ? ' enabled' : ''}${t.rls.forced ? ' forced' : ''}`);
    for (const p of t.policies) {
      add('policy', `${rel} ${q(p.name)} ${p.command} ${p.permissive ? 'permissive' : 'restrictive'} ${list([...p.roles].sort())}${p.using !== undefined ? ' using' : ''}${p.withCheck !== undefined ? ' check' : ''}`);
    }
    const usable = t.indexes.map((i: Index) => ({ keys: i.keys.map((k) => k.column), usable: i.predicate === undefined && i.keys.every((k) => k.column !== undefined) }));
    for (const fk of t.foreignKeys) if (!fkIsIndexed(fk.columns, usable)) add('unindexed-fk', `${rel} ${q(fk.name)}`);
  }
  for (const schema of catalog.schemas.values()) {
    for (const e of schema.enums.values()) add('enum', `${q(e.schema)}.${q(e.name)} ${list(e.values)}`);
  }
  for (const lines of snap.values()) lines.sort();
  return snap;
}

const USER_RELATIONS = `
  c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')`;

/** The same facts read from a live database's pg_catalog. */
export async function databaseSnapshot(client: Client): Promise<Snapshot> {
  const snap = emptySnapshot();
  const add = (kind: FactKind, line: string) => snap.get(kind)!.push(line);
  const rel = (r: { nspname: string; relname: string }) => `${q(r.nspname)}.${q(r.relname)}`;

  const tables = await client.query(`SELECT c.oid, n.nspname, c.relname, c.relkind, c.relrowsecurity, c.relforcerowsecurity
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_RELATIONS}`);
  for (const t of tables.rows) {
    add('table', `${rel(t)} ${t.relkind === 'p' ? 'partitioned' : 'table'}`);
    add('rls', `${rel(t)}${t.relrowsecurity ? ' enabled' : ''}${t.relforcerowsecurity ? ' forced' : ''}`);
  }
  const columns = await client.query(`SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE a.attnum > 0 AND NOT a.attisdropped AND ${USER_RELATIONS}`);
  for (const c of columns.rows) add('column', `${rel(c)}.${q(c.attname)} ${c.type}${c.attnotnull ? ' not null' : ''}`);

  const colNames = `(SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(%s) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = %s AND a.attnum = k.attnum)`;
  const constraints = await client.query(`SELECT n.nspname, c.relname, con.conname, con.contype, con.confdeltype, con.confupdtype,
      ${colNames.replace('%s', 'con.conkey').replace('%s', 'con.conrelid')} AS cols,
      ${colNames.replace('%s', 'con.confkey').replace('%s', 'con.confrelid')} AS refcols,
      fn.nspname AS ref_schema, fc.relname AS ref_table
    FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_class fc ON fc.oid = con.confrelid LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
    WHERE con.contype IN ('p', 'u', 'f', 'c') AND con.conparentid = 0 AND NOT (con.contype = 'c' AND con.coninhcount > 0) AND ${USER_RELATIONS}`);
  const action: Record<string, string> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };
  const fks: { rel: string; name: string; cols: string[]; conrelid?: number }[] = [];
  for (const c of constraints.rows) {
    const cols: string[] = c.cols ?? [];
    if (c.contype === 'p') add('pk', `${rel(c)} ${q(c.conname)} ${list(cols)}`);
    else if (c.contype === 'u') add('unique', `${rel(c)} ${q(c.conname)} ${list(cols)}`);
    else if (c.contype === 'c') add('check', `${rel(c)} ${q(c.conname)}`);
    else {
      add('fk', `${rel(c)} ${q(c.conname)} ${list(cols)} -> ${q(c.ref_schema)}.${q(c.ref_table)} ${list(c.refcols ?? [])} on delete ${action[c.confdeltype]} on update ${action[c.confupdtype]}`);
      fks.push({ rel: rel(c), name: c.conname, cols });
    }
  }

  const indexes = await client.query(`SELECT n.nspname, c.relname, ic.relname AS index_name, am.amname, x.indisunique, x.indpred IS NOT NULL AS partial,
      x.indexprs IS NOT NULL AS has_exprs, x.indnkeyatts,
      (SELECT array_agg(coalesce(a.attname::text, '<expr>') ORDER BY k.ord) FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
         LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum AND k.attnum > 0) AS cols
    FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am am ON am.oid = ic.relam
    WHERE ${USER_RELATIONS}`);
  const usable = new Map<string, { keys: (string | undefined)[]; usable: boolean }[]>();
  for (const i of indexes.rows) {
    const all: string[] = i.cols ?? [];
    const keys = all.slice(0, i.indnkeyatts);
    add('index', indexLine(i.nspname, i.relname, i.index_name, i.amname, i.indisunique, keys, all.slice(i.indnkeyatts), i.partial));
    const list = usable.get(rel(i)) ?? [];
    list.push({ keys, usable: !i.partial && !i.has_exprs });
    usable.set(rel(i), list);
  }
  for (const fk of fks) if (!fkIsIndexed(fk.cols, usable.get(fk.rel) ?? [])) add('unindexed-fk', `${fk.rel} ${q(fk.name)}`);

  const policies = await client.query(`SELECT n.nspname, c.relname, p.polname, p.polcmd, p.polpermissive, p.polqual IS NOT NULL AS has_using,
      p.polwithcheck IS NOT NULL AS has_check,
      ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r)::text END FROM unnest(p.polroles) r ORDER BY 1) AS roles
    FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_RELATIONS}`);
  const cmd: Record<string, string> = { '*': 'all', r: 'select', a: 'insert', w: 'update', d: 'delete' };
  for (const p of policies.rows) {
    add('policy', `${rel(p)} ${q(p.polname)} ${cmd[p.polcmd]} ${p.polpermissive ? 'permissive' : 'restrictive'} ${list(p.roles)}${p.has_using ? ' using' : ''}${p.has_check ? ' check' : ''}`);
  }

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
