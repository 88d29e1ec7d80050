import type { SqlSession } from '../../core/src/shadow/worker-db';
import * as path from 'node:path';
import { findMigrationSets, type MigrationSet } from '../../core/src/catalog/history';
import { nodeDirectoryView } from '../../core/src/fs/disk';

export const REPO = path.resolve(__dirname, '../..');
export const EXAMPLES = path.join(REPO, 'examples');
/** The shared corpus is cloned next to the repository. */
export const CORPUS = path.resolve(__dirname, '../../../shared/corpus');

export function setsUnder(root: string, layout?: MigrationSet['layout']): MigrationSet[] {
  return findMigrationSets(root, nodeDirectoryView).filter((s) => !layout || s.layout === layout);
}

export interface FkViolation {
  constraint: string;
  table: string;
  orphans: number;
}

/** For every foreign key of the user tables: child rows whose (non-NULL) key has no parent row (an anti-join). */
export async function foreignKeyOrphans(db: SqlSession): Promise<{ checked: number; violations: FkViolation[] }> {
  const fks = (await db.query<{ name: string; child: string; parent: string; cols: string[]; refcols: string[] }>(`
    SELECT con.conname AS name, con.conrelid::regclass::text AS child, con.confrelid::regclass::text AS parent,
           (SELECT array_agg(quote_ident(a.attname) ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(n, ord)
              JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n) AS cols,
           (SELECT array_agg(quote_ident(a.attname) ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(n, ord)
              JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n) AS refcols
    FROM pg_constraint con WHERE con.contype = 'f' AND con.conparentid = 0`)).rows;
  const violations: FkViolation[] = [];
  for (const fk of fks) {
    const notNull = fk.cols.map((c) => `c.${c} IS NOT NULL`).join(' AND ');
    const match = fk.cols.map((c, k) => `p.${fk.refcols[k]} = c.${c}`).join(' AND ');
    const res = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${fk.child} c WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${fk.parent} p WHERE ${match})`);
    if (res.rows[0].n > 0) violations.push({ constraint: fk.name, table: fk.child, orphans: res.rows[0].n });
  }
  return { checked: fks.length, violations };
}

/** Row counts of the user tables (partitions left out: their rows count in the parent). */
export async function rowCounts(db: SqlSession): Promise<Map<string, number>> {
  const tables = (await db.query<{ t: string }>(`
    SELECT c.oid::regclass::text AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg_toast%'`)).rows;
  const out = new Map<string, number>();
  for (const { t } of tables) out.set(t, (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`)).rows[0].n);
  return out;
}
