import type { Client } from 'pg';
import { databaseSnapshot, type Snapshot } from '../catalog/agreement/snapshot';

/**
 * The agreement test's pg_catalog snapshot plus the facts a down migration must also put back and that the
 * catalog model leaves out: column defaults, constraint and index definitions, functions, triggers, views,
 * sequences, extensions, other types and comments. One line per fact, so two snapshots compare as sets.
 */
const EXTRA: Record<string, string> = {
  'column default': `SELECT format('%I.%I.%I %s', n.nspname, c.relname, a.attname, pg_get_expr(d.adbin, d.adrelid)) AS line
    FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum JOIN pg_class c ON c.oid = d.adrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')`,
  'constraint def': `SELECT format('%I.%I %I %s', n.nspname, c.relname, con.conname, pg_get_constraintdef(con.oid)) AS line
    FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')`,
  'index def': `SELECT pg_get_indexdef(x.indexrelid) AS line FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`,
  function: `SELECT format('%I.%I(%s) %s', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), md5(pg_get_functiondef(p.oid))) AS line
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND p.prokind IN ('f', 'p')
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')`,
  trigger: `SELECT pg_get_triggerdef(t.oid) AS line FROM pg_trigger t WHERE NOT t.tgisinternal`,
  view: `SELECT format('%I.%I %s %s', n.nspname, c.relname, c.relkind, md5(pg_get_viewdef(c.oid))) AS line FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('v', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')`,
  sequence: `SELECT format('%I.%I', n.nspname, c.relname) AS line FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'S' AND n.nspname NOT IN ('pg_catalog', 'information_schema')`,
  extension: `SELECT extname AS line FROM pg_extension`,
  type: `SELECT format('%I.%I %s', n.nspname, t.typname, t.typtype) AS line FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE t.typtype IN ('c', 'd', 'r') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND (t.typtype <> 'c' OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')`,
  // The column's position (objsubid) is left out, as it is for columns: a re-added column comes last.
  comment: `SELECT format('%s %s', d.classoid::regclass, md5(d.description)) || ' ' || coalesce(pg_describe_object(d.classoid, d.objoid, d.objsubid), '') AS line
    FROM pg_description d WHERE d.objoid >= 16384`,
};

export async function fullSnapshot(client: Client): Promise<Snapshot> {
  const snap = await databaseSnapshot(client);
  for (const [kind, sql] of Object.entries(EXTRA)) {
    const rows = await client.query(sql);
    snap.set(kind, rows.rows.map((r) => String(r.line)).sort());
  }
  return snap;
}

/** Lines in one snapshot and not the other, by kind: `-` only before, `+` only after. */
export function snapshotChanges(before: Snapshot, after: Snapshot): string[] {
  const out: string[] = [];
  for (const kind of new Set([...before.keys(), ...after.keys()])) {
    const a = new Set(before.get(kind) ?? []);
    const b = new Set(after.get(kind) ?? []);
    for (const x of a) if (!b.has(x)) out.push(`- ${kind}: ${x}`);
    for (const x of b) if (!a.has(x)) out.push(`+ ${kind}: ${x}`);
  }
  return out;
}
