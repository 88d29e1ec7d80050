import type { PgvetJson } from '../config/schema';
import type { HistoryFile } from '../engine/types';
import { applyFile } from './replay';
import { allTables, emptyCatalog, type Catalog, type Column, type ForeignKey, type Origin, type Policy, type Table } from './model';

/**
 * Questions the schema rules ask of a catalog. Plain functions of the model, no rule or editor imports,
 * so the agreement test and the rules can share them.
 */

/** An index whose leading key columns can serve an FK lookup: complete (no predicate) and made of plain columns up to that point. */
function leadingColumns(table: Table, count: number): Set<string>[] {
  const out: Set<string>[] = [];
  for (const index of table.indexes) {
    if (index.predicate !== undefined || index.keys.length < count) continue;
    const lead = index.keys.slice(0, count);
    if (lead.some((k) => k.column === undefined)) continue;
    out.push(new Set(lead.map((k) => k.column!)));
  }
  return out;
}

/**
 * Whether some index of `table` has the FK's columns as its leading columns, in any order (a lookup
 * `WHERE a = $1 AND b = $2` uses an index on (b, a, …) as well). PRIMARY KEY, UNIQUE and plain indexes
 * count; partial and expression indexes do not, since the FK check's lookup cannot use them.
 */
export function isForeignKeyCovered(table: Table, fk: ForeignKey): boolean {
  const want = new Set(fk.columns);
  if (want.size === 0) return true;
  return leadingColumns(table, want.size).some((lead) => lead.size === want.size && [...want].every((c) => lead.has(c)));
}

/** Every FK of the catalog with no index to serve it. Partitions are left out: their FKs and indexes come from the parent. */
export function unindexedForeignKeys(catalog: Catalog): { table: Table; fk: ForeignKey }[] {
  const out: { table: Table; fk: ForeignKey }[] = [];
  for (const table of allTables(catalog)) {
    if (table.partitionOf) continue;
    for (const fk of table.foreignKeys) if (!isForeignKeyCovered(table, fk)) out.push({ table, fk });
  }
  return out;
}

/** The table a qualified or bare name refers to (bare names through the search path, then `public`). */
export function findTable(catalog: Catalog, name: string | { schema: string; name: string }): Table | undefined {
  if (typeof name !== 'string') return catalog.schemas.get(name.schema)?.tables.get(name.name);
  const dot = name.indexOf('.');
  if (dot > 0) return catalog.schemas.get(name.slice(0, dot))?.tables.get(name.slice(dot + 1));
  for (const schema of [...catalog.searchPath, 'public']) {
    const t = catalog.schemas.get(schema)?.tables.get(name);
    if (t) return t;
  }
  return undefined;
}

/** `tenant_id` also matches Prisma's `tenantId` (a field without @map keeps its camelCase name as the column). */
export function columnNameMatches(actual: string, wanted: string): boolean {
  if (actual === wanted) return true;
  const camel = wanted.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return actual === camel;
}

export function findColumn(table: Table, name: string): Column | undefined {
  return table.columns.find((c) => columnNameMatches(c.name, name));
}

/** Tables a rule about application data should look at: no partitions (they follow their parent), no temp tables. */
export function applicationTables(catalog: Catalog, schemas?: readonly string[]): Table[] {
  const out: Table[] = [];
  for (const t of allTables(catalog)) {
    if (t.partitionOf) continue;
    if (schemas && !schemas.includes(t.schema)) continue;
    out.push(t);
  }
  return out;
}

export interface Tenancy {
  /** Whether the tenant rules apply. */
  on: boolean;
  /** Why auto mode switched them on, for messages. */
  reason?: string;
  column: string;
  /** The tenants table, when it exists in the catalog. */
  tenantsTable?: Table;
  setting: string;
  exclude: string[];
}

/** Multi-tenancy as pgvet.json's `tenant` block (possibly overridden by rule options) and the catalog say. */
export function tenancy(catalog: Catalog, project: PgvetJson, overrides: { column?: string; mode?: 'auto' | 'on' | 'off'; exclude?: string[] } = {}): Tenancy {
  const column = overrides.column ?? project.tenant.column;
  const mode = overrides.mode ?? project.tenant.mode;
  const tenantsTable = findTable(catalog, project.tenant.table);
  const base = { column, tenantsTable, setting: project.tenant.setting, exclude: overrides.exclude ?? project.tenant.exclude };
  if (mode === 'off') return { ...base, on: false };
  if (mode === 'on') return { ...base, on: true, reason: 'multi-tenancy is on in pgvet.json' };
  const withColumn = applicationTables(catalog).filter((t) => findColumn(t, column));
  if (withColumn.length > 0) return { ...base, on: true, reason: `${withColumn.length} table${withColumn.length === 1 ? ' has' : 's have'} a "${column}" column` };
  if (tenantsTable) return { ...base, on: true, reason: `a "${tenantsTable.name}" table exists` };
  return { ...base, on: false };
}

/** Whether `table` is the tenants table itself. */
export function isTenantsTable(t: Tenancy, table: Table): boolean {
  return t.tenantsTable === table;
}

/** Glob match of a table name (`audit_*`, `public.log_*`) against `name` or `schema.name`. */
export function matchesTableGlob(table: Table, globs: readonly string[]): boolean {
  return globs.some((g) => {
    const re = new RegExp(`^${g.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    return re.test(table.name) || re.test(`${table.schema}.${table.name}`);
  });
}

/** Whether a policy expression mentions a column (as a bare or quoted identifier, possibly qualified). */
export function mentionsColumn(expression: string | undefined, column: string): boolean {
  if (!expression) return false;
  const names = new Set([column, column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())]);
  for (const n of names) {
    const escaped = n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`(^|[^A-Za-z0-9_$"])("${escaped}"|${escaped})(?![A-Za-z0-9_$])`, n === n.toLowerCase() ? 'i' : '').test(expression)) return true;
  }
  return false;
}

export function policyMentions(policy: Policy, column: string): boolean {
  return mentionsColumn(policy.using, column) || mentionsColumn(policy.withCheck, column);
}

/** Whether any table of the history enables row level security. */
export function rlsInUse(catalog: Catalog): boolean {
  for (const t of allTables(catalog)) if (t.rls.enabled || t.rls.origin) return true;
  return false;
}

/** Position of an origin in history order (file order, then offset), for "which came later". */
export function originOrder(files: ReadonlyMap<string, HistoryFile>): (o: Origin) => number {
  const rank = new Map<string, number>();
  let k = 0;
  for (const path of files.keys()) rank.set(path, k++);
  return (o) => (rank.get(o.file) ?? k) * 1e9 + o.start;
}

export interface NamesCheck {
  /** The file the fix edits: names are checked as they stand at the end of this file. */
  file: string;
  schema: string;
  table: string;
  columns?: string[];
}

/**
 * Whether each table (and its columns) still has the same name at the end of the given file as in the final
 * catalog, so a statement inserted in that file may use today's names. A later RENAME makes the answer false.
 * One replay of the history answers all the questions; the results are cached per history.
 */
export function namesHoldAt(files: ReadonlyMap<string, HistoryFile>, checks: NamesCheck[]): boolean[] {
  const answers: boolean[] = checks.map(() => false);
  if (checks.length === 0) return answers;
  const byFile = new Map<string, number[]>();
  checks.forEach((c, i) => byFile.set(c.file, [...(byFile.get(c.file) ?? []), i]));
  const catalog = emptyCatalog();
  for (const f of files.values()) {
    applyFile(catalog, f.path, f.parsed);
    for (const i of byFile.get(f.path) ?? []) {
      const c = checks[i];
      const table = catalog.schemas.get(c.schema)?.tables.get(c.table);
      answers[i] = table !== undefined && (c.columns ?? []).every((col) => table.columns.some((x) => x.name === col));
    }
    byFile.delete(f.path);
    if (byFile.size === 0) break;
  }
  return answers;
}

/** How messages name a table: `orders`, or `billing.orders` outside public. */
export function tableLabel(table: { schema: string; name: string }): string {
  return table.schema === 'public' ? table.name : `${table.schema}.${table.name}`;
}
