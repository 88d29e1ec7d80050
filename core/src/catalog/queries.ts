import { stmtOf } from '../parse/sql/ast';
import { isTableRef } from '../parse/sql/nodes';
import type { HistoryFile } from './history-file';
import { allTables, TEMP_SCHEMA, type Catalog, type Column, type ForeignKey, type FunctionSignature, type Origin, type Policy, type Table, type View } from './model';

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
  /** On because pgvet.json (or the rule's options) says so, not guessed from the schema. */
  explicit: boolean;
  /** Why the tenant rules apply, for messages. */
  reason?: string;
  column: string;
  /** The tenants table, when the catalog has one. */
  tenantsTable?: Table;
  setting: string;
  exclude: string[];
}

/**
 * The tenants table: the configured name; else the table most tenant columns reference; else a table whose name
 * is the configured one in another case or number (`Tenant` for `tenants`, as Prisma models are named).
 */
function findTenantsTable(catalog: Catalog, configured: string, column: string): Table | undefined {
  const exact = findTable(catalog, configured);
  if (exact) return exact;
  const votes = new Map<Table, number>();
  for (const t of applicationTables(catalog)) {
    for (const fk of t.foreignKeys) {
      if (fk.columns.length !== 1 || !columnNameMatches(fk.columns[0], column)) continue;
      const target = findTable(catalog, fk.references);
      if (target) votes.set(target, (votes.get(target) ?? 0) + 1);
    }
  }
  const best = [...votes.entries()].sort((a, b) => b[1] - a[1])[0];
  if (best) return best[0];
  const base = configured.toLowerCase().replace(/s$/, '');
  return applicationTables(catalog).find((t) => [base, `${base}s`].includes(t.name.toLowerCase()));
}

/** pgvet.json's `tenant` block (config/schema.ts `tenantOptions`), by its shape: the catalog sits below config. */
export interface TenantSettings {
  column: string;
  table: string;
  mode: 'auto' | 'on' | 'off';
  setting: string;
  exclude: string[];
}

/** Multi-tenancy as pgvet.json's `tenant` block (possibly overridden by rule options) and the catalog say. */
export function tenancy(catalog: Catalog, project: { tenant: TenantSettings }, overrides: { column?: string; mode?: 'auto' | 'on' | 'off'; exclude?: string[] } = {}): Tenancy {
  const column = overrides.column ?? project.tenant.column;
  const mode = overrides.mode ?? project.tenant.mode;
  const base = { column, setting: project.tenant.setting, exclude: overrides.exclude ?? project.tenant.exclude, explicit: mode === 'on' };
  if (mode === 'off') return { ...base, on: false };
  const tenantsTable = findTenantsTable(catalog, project.tenant.table, column);
  if (mode === 'on') return { ...base, tenantsTable, on: true, reason: 'multi-tenancy is on in pgvet.json' };
  const withColumn = applicationTables(catalog).filter((t) => findColumn(t, column));
  if (withColumn.length > 0) return { ...base, tenantsTable, on: true, reason: `${withColumn.length} table${withColumn.length === 1 ? ' has' : 's have'} a "${column}" column` };
  if (tenantsTable) return { ...base, tenantsTable, on: true, reason: `a "${tenantsTable.name}" table exists` };
  return { ...base, on: false };
}

/** Whether `table` is the tenants table itself. */
export function isTenantsTable(t: Tenancy, table: Table): boolean {
  return t.tenantsTable === table;
}

/** Whether rows of `table` belong to a tenant through a foreign key to a table that has the tenant column (or to the tenants table). */
export function scopedThroughParent(catalog: Catalog, t: Tenancy, table: Table): boolean {
  return table.foreignKeys.some((fk) => {
    const parent = findTable(catalog, fk.references);
    return parent !== undefined && parent !== table && (parent === t.tenantsTable || findColumn(parent, t.column) !== undefined);
  });
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
  /** Where a fix inserts statements: names are checked as they stand right after the statement at `start` of `file`. */
  file: string;
  start: number;
  schema: string;
  table: string;
  columns?: string[];
}

/** A rename in the history: of a table (`column` absent), of a column, or a move to another schema. */
interface RenameEvent {
  rank: number;
  schema?: string;
  table: string;
  column?: string;
  newName?: string;
  newSchema?: string;
}

const renameCache = new WeakMap<ReadonlyMap<string, HistoryFile>, RenameEvent[]>();

/** Every RENAME and SET SCHEMA of tables and columns in the history, in order (built once per history). */
function renameEvents(files: ReadonlyMap<string, HistoryFile>): RenameEvent[] {
  const cached = renameCache.get(files);
  if (cached) return cached;
  const order = originOrder(files);
  const events: RenameEvent[] = [];
  for (const f of files.values()) {
    for (const s of f.parsed.statements) {
      const rename = stmtOf(s, 'RenameStmt');
      const rank = order({ file: f.path, start: s.start, end: s.end });
      if (rename && isTableRef(rename.relation)) {
        const rel = rename.relation;
        if (rename.renameType === 'OBJECT_TABLE') events.push({ rank, schema: rel.schemaname, table: rel.relname, newName: rename.newname });
        else if (rename.renameType === 'OBJECT_COLUMN') events.push({ rank, schema: rel.schemaname, table: rel.relname, column: rename.subname, newName: rename.newname });
      }
      const move = stmtOf(s, 'AlterObjectSchemaStmt');
      if (move?.objectType === 'OBJECT_TABLE' && isTableRef(move.relation)) events.push({ rank, schema: move.relation.schemaname, table: move.relation.relname, newSchema: move.newschema });
    }
  }
  renameCache.set(files, events);
  return events;
}

/**
 * Whether each table (and its columns) already had today's name right after a given statement, so a statement
 * inserted there may use today's names. Walks the later RENAMEs backwards from today's names (unqualified names
 * in a RENAME are taken to mean the table's schema); a file outside the history answers false.
 */
export function namesHoldAt(files: ReadonlyMap<string, HistoryFile>, checks: NamesCheck[]): boolean[] {
  if (checks.length === 0) return [];
  const events = renameEvents(files);
  const order = originOrder(files);
  return checks.map((c) => {
    if (!files.has(c.file)) return false;
    const after = order({ file: c.file, start: c.start, end: c.start });
    let schema = c.schema;
    let table = c.table;
    const columns = [...(c.columns ?? [])];
    for (let k = events.length - 1; k >= 0 && events[k].rank > after; k--) {
      const e = events[k];
      if (e.schema !== undefined && e.newSchema === undefined && e.schema !== schema) continue;
      if (e.newSchema !== undefined) {
        if (e.newSchema === schema && e.table === table) schema = e.schema ?? 'public';
      } else if (e.column === undefined) {
        if (e.newName === table) table = e.table;
      } else if (e.table === table) {
        const i = columns.indexOf(e.newName!);
        if (i >= 0) columns[i] = e.column;
      }
    }
    return schema === c.schema && table === c.table && columns.every((col, i) => col === (c.columns ?? [])[i]);
  });
}

/** How messages name a table: `orders`, or `billing.orders` outside public. */
export function tableLabel(table: { schema: string; name: string }): string {
  return table.schema === 'public' ? table.name : `${table.schema}.${table.name}`;
}

/* Naming helpers for the normalisation hints: names are compared as lower-case words (`customerEmail` = `customer_email`). */

/** Lower-case words of a snake_case or camelCase name. */
export function nameWords(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/[_\s]+/).filter(Boolean);
}

export function singular(word: string): string {
  if (/ies$/.test(word)) return word.slice(0, -3) + 'y';
  if (/(ss|us|is)$/.test(word)) return word;
  if (/(ch|sh|x|ses|zes)$/.test(word) && word.endsWith('es')) return word.slice(0, -2);
  return word.endsWith('s') ? word.slice(0, -1) : word;
}

export function plural(word: string): string {
  if (/[^aeiou]y$/.test(word)) return word.slice(0, -1) + 'ies';
  if (/(s|x|z|ch|sh)$/.test(word)) return word + 'es';
  return word + 's';
}

/** The entity a single-column FK names: `customer_id` and `customerId` give `customer`; undefined when the name does not end in id. */
export function foreignKeyStem(column: string): string | undefined {
  const w = nameWords(column);
  return w.length >= 2 && w[w.length - 1] === 'id' ? w.slice(0, -1).join('_') : undefined;
}

/** Columns every table has for bookkeeping; the normalisation hints never count them. */
export const BOOKKEEPING_COLUMNS: ReadonlySet<string> = new Set([
  'id', 'created_at', 'updated_at', 'deleted_at', 'archived_at', 'modified_at', 'inserted_at', 'created_by', 'updated_by', 'deleted_by',
  'created', 'updated', 'modified', 'version', 'lock_version', 'tenant_id', 'metadata', 'meta', 'data', 'name', 'title', 'description',
  'status', 'state', 'type', 'kind', 'slug', 'key', 'value', 'enabled', 'active', 'is_active', 'position', 'sort_order', 'order', 'notes',
  'note', 'label', 'color', 'icon', 'url', 'config', 'settings', 'options', 'tags', 'payload', 'comment', 'expires_at', 'started_at', 'finished_at',
  'completed_at', 'error', 'message', 'priority', 'hash', 'checksum',
]);

export function normalisedName(column: string): string {
  return nameWords(column).join('_');
}

/** Every function and procedure of the catalog, schema by schema. */
export function* allFunctions(catalog: Catalog): Iterable<FunctionSignature> {
  for (const schema of catalog.schemas.values()) if (schema.name !== TEMP_SCHEMA) for (const list of schema.functions.values()) yield* list;
}

/** Every view and materialized view of the catalog. */
export function* allViews(catalog: Catalog): Iterable<View> {
  for (const schema of catalog.schemas.values()) if (schema.name !== TEMP_SCHEMA) yield* schema.views.values();
}

/** A boolean view option as PostgreSQL reads it (`on`, `true`, `yes`, `1` …); false when not set. */
export function viewOption(view: View, name: 'security_invoker' | 'security_barrier'): boolean {
  const v = view.options?.[name]?.toLowerCase();
  return v !== undefined && ['true', 'on', 'yes', '1', 't', 'y', 'tr', 'tru', 'ye'].includes(v);
}

/**
 * The search_path a function fixes with `SET search_path`, as the list of schemas it names (`[]` for `''`), or
 * undefined when it sets none (it then runs with the caller's). A quoted single string such as
 * `SET search_path = 'a, b'` stays the one schema named `a, b`, as PostgreSQL takes it.
 */
export function functionSearchPath(f: FunctionSignature): string[] | undefined {
  const entry = f.config.find((c) => c.startsWith('search_path='));
  if (entry === undefined) return undefined;
  const out: string[] = [];
  const text = entry.slice('search_path='.length);
  for (const m of text.matchAll(/\s*(?:"((?:[^"]|"")*)"|([^,\s]+))\s*(?:,|$)/g)) {
    if (m[0] === '') break;
    out.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]);
  }
  return out.filter((s) => s !== '');
}
