import type { SqlSession } from './worker-db';
import { allTables, type Catalog } from '../catalog/model';
import { quoteIdent } from './shadow-db';
import { generatorFor, hashString, limitsFromCheck, seededRandom, type ColumnLimits, type Generator, type TypeShape } from './sample-values';
import { introspect, type LiveColumn, type LiveForeignKey, type LiveTable } from './introspect';

export interface SampleRowsOptions {
  /** Rows generated per table (default 1,000). */
  rowsPerTable?: number;
  /** Seed of the generator: the same seed, schema and N give the same rows, so plans are reproducible. */
  seed?: number;
  /** Rows per INSERT statement before falling back to one row at a time. */
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?(progress: { done: number; total: number; table?: string }): void;
}

export interface TableSampleReport {
  /** `schema.table`. */
  table: string;
  /** Rows the table holds afterwards (including rows from migrations and from triggers of other tables' inserts). */
  rows: number;
  /** Rows it held before its turn: only `rowsPerTable` minus these are generated. */
  preexisting: number;
  inserted: number;
  skipped: number;
  /** Why rows (or the whole table) were skipped, most frequent first. */
  reasons: { reason: string; rows: number }[];
  /** FK columns filled after the insert (self-references and broken cycles). */
  deferred?: string[];
}

export interface SampleRowsReport {
  rowsPerTable: number;
  seed: number;
  tables: TableSampleReport[];
  /** Tables holding at least `rowsPerTable` rows afterwards. */
  filled: number;
  /** Tables holding fewer (see their reasons). */
  incomplete: number;
  /** Tables of the catalog that the shadow database lacks (their migration failed). */
  missing: string[];
  ms: number;
}

const DEFAULT_ROWS = 1_000;
const MAX_PARAMS = 30_000;
/** Share of NULLs in nullable columns that no key needs. */
const NULL_SHARE = 0.1;

/** How one column gets its values. */
type ColumnPlan =
  | { kind: 'omit' }
  | { kind: 'null' }
  | { kind: 'fk'; fk: number; position: number }
  | { kind: 'value'; generate: Generator; distinct: boolean; offset: number; limits: ColumnLimits; nullable: boolean };

/**
 * Fills every table of the shadow database with `rowsPerTable` generated rows: type-aware, respecting NOT NULL,
 * unique keys, simple CHECKs (others: the failing rows are skipped), identity/serial/defaults, and foreign keys
 * (parents first, child values drawn from the parent's rows, cycles and self-references filled by an UPDATE
 * afterwards). Then ANALYZE.
 *
 * The column types and constraints are read from the shadow database itself, which is what the rows go into;
 * `catalog` (the replayed migrations) says which tables the workspace defines, so a table whose migration
 * failed in PGlite is reported as missing instead of silently absent.
 */
export async function loadSampleRows(db: SqlSession, catalog: Catalog, options: SampleRowsOptions = {}): Promise<SampleRowsReport> {
  const started = Date.now();
  const rowsPerTable = Math.max(0, Math.floor(options.rowsPerTable ?? DEFAULT_ROWS));
  const seed = options.seed ?? 1;
  const live = await introspect(db);
  const byName = new Map(live.map((t) => [t.qualified, t]));
  const missing = [...allTables(catalog)]
    .filter((t) => !t.partitionOf && !byName.has(`${t.schema}.${t.name}`))
    .map((t) => `${t.schema}.${t.name}`);

  const { order, deferred } = insertionOrder(live);
  const reports = new Map<string, TableSampleReport>();
  for (let k = 0; k < order.length; k++) {
    if (options.signal?.aborted) throw Object.assign(new Error('Loading sample rows was cancelled.'), { name: 'AbortError' });
    const table = order[k];
    options.onProgress?.({ done: k, total: order.length, table: table.qualified });
    reports.set(table.qualified, await fillTable(db, table, byName, deferred, { rowsPerTable, seed, batchSize: options.batchSize }));
  }
  for (const edge of deferred) {
    const report = reports.get(edge.table.qualified);
    if (report && report.inserted > 0) await fillDeferred(db, edge, byName, report);
  }
  options.onProgress?.({ done: order.length, total: order.length });
  await db.exec('ANALYZE');

  const tables = [...reports.values()].sort((a, b) => a.table.localeCompare(b.table));
  for (const t of tables) t.rows = await countRows(db, byName.get(t.table)!);
  const partitions: TableSampleReport[] = live.filter((t) => t.partitionOf).map((t) => ({
    table: t.qualified, rows: 0, preexisting: 0, inserted: 0, skipped: 0, reasons: [{ reason: `partition of ${t.partitionOf}: filled through it`, rows: 0 }],
  }));
  for (const p of partitions) p.rows = await countRows(db, byName.get(p.table)!);
  return {
    rowsPerTable, seed, tables: [...tables, ...partitions],
    filled: tables.filter((t) => t.rows >= rowsPerTable).length,
    incomplete: tables.filter((t) => t.rows < rowsPerTable).length,
    missing, ms: Date.now() - started,
  };
}

interface DeferredEdge {
  table: LiveTable;
  fk: LiveForeignKey;
}

/** Parents before children (Kahn's algorithm); each cycle is broken at a foreign key whose columns are all nullable. */
function insertionOrder(tables: LiveTable[]): { order: LiveTable[]; deferred: DeferredEdge[] } {
  const fillable = tables.filter((t) => !t.partitionOf);
  const deferred: DeferredEdge[] = [];
  for (const t of fillable) for (const fk of t.foreignKeys) if (fk.parent === t.qualified && nullableColumns(t, fk.columns)) deferred.push({ table: t, fk });
  const isDeferred = (t: LiveTable, fk: LiveForeignKey) => deferred.some((d) => d.table === t && d.fk === fk);
  const pending = new Set(fillable);
  const order: LiveTable[] = [];
  while (pending.size) {
    const ready = [...pending].filter((t) => t.foreignKeys.every((fk) => fk.parent === t.qualified || isDeferred(t, fk) || ![...pending].some((p) => p.qualified === fk.parent)));
    if (ready.length) {
      for (const t of ready.sort((a, b) => a.qualified.localeCompare(b.qualified))) {
        order.push(t);
        pending.delete(t);
      }
      continue;
    }
    // Every pending table waits on another: a cycle. Defer the first nullable edge into the pending set.
    const candidates = [...pending].sort((a, b) => a.qualified.localeCompare(b.qualified));
    let broke = false;
    for (const t of candidates) {
      const fk = t.foreignKeys.find((f) => !isDeferred(t, f) && f.parent !== t.qualified && [...pending].some((p) => p.qualified === f.parent) && nullableColumns(t, f.columns));
      if (fk) {
        deferred.push({ table: t, fk });
        broke = true;
        break;
      }
    }
    if (!broke) {
      // A cycle of NOT NULL foreign keys: insert in name order; the rows that cannot reference anything are skipped.
      const t = candidates[0];
      order.push(t);
      pending.delete(t);
    }
  }
  return { order, deferred };
}

function nullableColumns(table: LiveTable, columns: string[]): boolean {
  return columns.every((c) => !table.columns.find((col) => col.name === c)?.notNull);
}

interface FillOptions {
  rowsPerTable: number;
  seed: number;
  batchSize?: number;
}

async function fillTable(db: SqlSession, table: LiveTable, byName: Map<string, LiveTable>, deferred: DeferredEdge[], opts: FillOptions): Promise<TableSampleReport> {
  // Migrations may have seeded rows, and triggers on tables filled earlier may have added some.
  const preexisting = await countRows(db, table);
  const target = Math.max(0, opts.rowsPerTable - preexisting);
  const report: TableSampleReport = { table: table.qualified, rows: preexisting, preexisting, inserted: 0, skipped: 0, reasons: [] };
  const skipAll = (reason: string) => {
    report.skipped = target;
    report.reasons.push({ reason, rows: target });
    return report;
  };
  if (target === 0) return report;

  // Pools of parent key tuples (as text), in physical order, so picks are reproducible.
  const fks = table.foreignKeys.filter((fk) => !deferred.some((d) => d.table === table && d.fk === fk));
  const deferredHere = table.foreignKeys.filter((fk) => deferred.some((d) => d.table === table && d.fk === fk));
  const pools: (string[][] | undefined)[] = [];
  for (const fk of fks) {
    if (fk.parent === table.qualified) {
      pools.push(undefined);
      continue;
    }
    const parent = byName.get(fk.parent);
    // A 1:1 link (the FK alone is a unique key) already used by existing rows cannot be used again.
    const oneToOne = preexisting > 0 && table.uniqueKeys.some((k) => k.every((c) => fk.columns.includes(c)));
    pools.push(parent ? await keyPool(db, parent, fk.referenced, oneToOne ? { table, columns: fk.columns } : undefined) : []);
  }

  const plans = new Map<string, ColumnPlan>();
  const fkColumn = new Map<string, { fk: number; position: number }>();
  fks.forEach((fk, f) => fk.columns.forEach((c, position) => fkColumn.set(c, { fk: f, position })));
  const deferredColumns = new Set(deferredHere.flatMap((fk) => fk.columns));
  // Columns that must be distinct: per unique key, one column we generate freely (not an FK, not a default).
  const distinctColumns = new Set<string>();
  const fkCombinations: number[][] = [];
  for (const key of table.uniqueKeys) {
    const own = key.filter((c) => !fkColumn.has(c) && !deferredColumns.has(c));
    const columns = own.map((c) => table.columns.find((x) => x.name === c)!).filter(Boolean);
    if (columns.some((c) => omitted(c, key))) continue; // a default (serial, uuid) keeps the key distinct
    const best = columns.find((c) => !/^(bool|char)$/.test(c.shape.base) && !c.shape.labels) ?? columns[0];
    if (best) distinctColumns.add(best.name);
    else {
      const combination = [...new Set(key.map((c) => fkColumn.get(c)?.fk).filter((f): f is number => f !== undefined))];
      if (combination.length) fkCombinations.push(combination);
    }
  }

  for (const column of table.columns) {
    if (column.generated || column.identity === 'a') { plans.set(column.name, { kind: 'omit' }); continue; }
    if (deferredColumns.has(column.name)) { plans.set(column.name, { kind: 'null' }); continue; }
    const link = fkColumn.get(column.name);
    if (link) { plans.set(column.name, { kind: 'fk', ...link }); continue; }
    const inKey = table.uniqueKeys.find((k) => k.includes(column.name));
    if (column.identity || omitted(column, inKey)) { plans.set(column.name, { kind: 'omit' }); continue; }
    const generate = generatorFor(column.shape);
    const limits: ColumnLimits = {};
    for (const check of table.checks) if (check.columns.length === 1 && check.columns[0] === column.name) limitsFromCheck(check.def, column.name, limits);
    const checked = table.checks.some((c) => c.columns.includes(column.name));
    if (!generate || (column.hasDefault && checked && !limits.choices && limits.min === undefined && limits.max === undefined)) {
      if (column.hasDefault) plans.set(column.name, { kind: 'omit' });
      else if (!column.notNull) plans.set(column.name, { kind: 'null' });
      else return skipAll(`cannot generate values of type ${column.type} (column ${column.name})`);
      continue;
    }
    const distinct = distinctColumns.has(column.name);
    const offset = distinct && preexisting > 0 ? await existingOffset(db, table, column, preexisting) : 0;
    plans.set(column.name, { kind: 'value', generate, distinct, offset, limits, nullable: !column.notNull && !inKey });
  }
  for (let f = 0; f < fks.length; f++) {
    const pool = pools[f];
    if (pool && pool.length === 0 && !nullableColumns(table, fks[f].columns)) return skipAll(`parent table ${fks[f].parent} has no rows for ${fks[f].name}`);
  }

  const inserted = table.columns.filter((c) => plans.get(c.name)!.kind !== 'omit');
  const random = seededRandom(hashString(`${opts.seed}:${table.qualified}`));
  const generatedSelf = new Map<number, (string | null)[][]>(); // per self-referencing FK: referenced key values of the rows so far
  const selfFks = fks.map((fk, f) => ({ fk, f })).filter(({ fk }) => fk.parent === table.qualified);
  const rows: (string | null)[][] = [];
  // Reasons grouped by their text with numbers masked ("crate exists with name name-62"), the first kept as the example.
  const reasons = new Map<string, { reason: string; rows: number }>();
  const skip = (reason: string) => {
    const key = reason.replace(/\d+/g, '#');
    const seen = reasons.get(key);
    if (seen) seen.rows++;
    else reasons.set(key, { reason, rows: 1 });
  };

  rowLoop: for (let i = 0; i < target; i++) {
    // Parent picks: unique FK combinations enumerate parent tuples in mixed radix, the rest pick at random.
    const picks: (number | null)[] = fks.map((fk, f) => {
      const pool = pools[f];
      const size = pool ? pool.length : (generatedSelf.get(f)?.length ?? 0) + 1;
      if (!nullableColumns(table, fk.columns) || random() >= NULL_SHARE) return Math.floor(random() * size);
      return null;
    });
    for (const combination of fkCombinations) {
      let rest = i;
      for (const f of combination) {
        const size = pools[f]?.length ?? i + 1;
        picks[f] = rest % size;
        rest = Math.floor(rest / size);
      }
      if (rest > 0) { skip('not enough distinct parent combinations for a unique key'); continue rowLoop; }
    }
    const values = new Map<string, string | null>();
    for (const column of inserted) {
      const plan = plans.get(column.name)!;
      if (plan.kind === 'null') values.set(column.name, null);
      else if (plan.kind === 'value') {
        const v = plan.nullable && random() < NULL_SHARE ? null : plan.generate({ i, random, distinct: plan.distinct, offset: plan.offset, column: column.name, table: table.name, limits: plan.limits });
        if (v === undefined) { skip(`no more distinct values for ${column.name} (${column.type})`); continue rowLoop; }
        values.set(column.name, v);
      }
    }
    // Self-references point at an earlier generated row (or at this one, for the first).
    for (const { fk, f } of selfFks) {
      const pick = picks[f];
      if (pick === null) continue;
      const earlier = generatedSelf.get(f) ?? [];
      const target = pick >= earlier.length ? fk.referenced.map((c) => values.get(c)) : earlier[pick];
      if (target.some((v) => v === undefined || v === null)) { picks[f] = null; continue; }
      fk.columns.forEach((c, k) => values.set(c, target[k] as string));
    }
    for (const column of inserted) {
      const plan = plans.get(column.name)!;
      if (plan.kind !== 'fk' || pools[plan.fk] === undefined) continue;
      const pick = picks[plan.fk];
      values.set(column.name, pick === null ? null : pools[plan.fk]![pick][plan.position]);
    }
    for (const { fk, f } of selfFks) {
      if (!generatedSelf.has(f)) generatedSelf.set(f, []);
      generatedSelf.get(f)!.push(fk.referenced.map((c) => values.get(c) ?? null));
    }
    rows.push(inserted.map((c) => values.get(c.name) ?? null));
  }

  const batch = Math.max(1, Math.min(opts.batchSize ?? 500, Math.floor(MAX_PARAMS / Math.max(1, inserted.length))));
  const sqlHead = inserted.length
    ? `INSERT INTO ${table.sqlName} (${inserted.map((c) => quoteIdent(c.name)).join(', ')}) VALUES `
    : `INSERT INTO ${table.sqlName} DEFAULT VALUES`;
  // Every value travels as text and goes through the type's input function (`::text::type`): PGlite's own
  // parameter serializers want JS values for some types (a Uint8Array for bytea).
  const tuple = (offset: number) => `(${inserted.map((c, k) => `$${offset + k + 1}::text::${c.type}`).join(', ')})`;
  for (let at = 0; at < rows.length; at += batch) {
    const chunk = rows.slice(at, at + batch);
    if (!inserted.length) {
      for (const _ of chunk) await insertOne(db, sqlHead, [], report, skip);
      continue;
    }
    const sql = sqlHead + chunk.map((_, r) => tuple(r * inserted.length)).join(', ');
    try {
      await db.query(sql, chunk.flat());
      report.inserted += chunk.length;
    } catch {
      // One bad row fails the batch: find it (them) one row at a time.
      for (const row of chunk) await insertOne(db, sqlHead + tuple(0), row, report, skip);
    }
  }
  report.skipped = target - report.inserted;
  report.reasons = [...reasons.values()].sort((a, b) => b.rows - a.rows);
  if (deferredHere.length) report.deferred = deferredHere.map((fk) => fk.name);
  return report;
}

async function insertOne(db: SqlSession, sql: string, row: (string | null)[], report: TableSampleReport, skip: (reason: string) => void): Promise<void> {
  try {
    await db.query(sql, row);
    report.inserted++;
  } catch (e) {
    skip(`PostgreSQL: ${(e as Error).message}`);
  }
}

/** Defaults that give every row its own value. */
const DISTINCT_DEFAULT = /nextval\(|gen_random_uuid|uuid_generate_v[14]|gen_random_bytes|random\(/i;

/** A column left to its default: serial, or a key column whose default makes values distinct (uuid, sequence). */
function omitted(column: LiveColumn, key: string[] | undefined): boolean {
  if (!column.hasDefault) return false;
  return /nextval\(/i.test(column.default ?? '') || (key !== undefined && DISTINCT_DEFAULT.test(column.default ?? ''));
}

async function keyPool(db: SqlSession, parent: LiveTable, columns: string[], unusedBy?: { table: LiveTable; columns: string[] }): Promise<string[][]> {
  const list = columns.map((c) => `p.${quoteIdent(c)}::text`).join(', ');
  let where = columns.map((c) => `p.${quoteIdent(c)} IS NOT NULL`).join(' AND ');
  if (unusedBy) {
    const match = unusedBy.columns.map((c, k) => `u.${quoteIdent(c)} = p.${quoteIdent(columns[k])}`).join(' AND ');
    where += ` AND NOT EXISTS (SELECT 1 FROM ${unusedBy.table.sqlName} u WHERE ${match})`;
  }
  const res = await db.query<Record<string, string>>(`SELECT ${list} FROM ${parent.sqlName} p WHERE ${where} ORDER BY p.ctid LIMIT 100000`, [], { rowMode: 'array' });
  return res.rows as unknown as string[][];
}

async function countRows(db: SqlSession, table: LiveTable): Promise<number> {
  const res = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table.sqlName}`);
  return res.rows[0]?.n ?? 0;
}

async function existingOffset(db: SqlSession, table: LiveTable, column: LiveColumn, preexisting: number): Promise<number> {
  if (!/^(int[248]|numeric|oid)$/.test(column.shape.base)) return preexisting;
  const res = await db.query<{ m: string | null }>(`SELECT max(${quoteIdent(column.name)})::text AS m FROM ${table.sqlName}`);
  return Math.max(0, Math.ceil(Number(res.rows[0]?.m ?? 0)));
}

/** Fills a deferred FK with an UPDATE once both sides have rows: row n points at parent row 1 + (n·7919 mod parents) (a chain for self-references). */
async function fillDeferred(db: SqlSession, edge: DeferredEdge, byName: Map<string, LiveTable>, report: TableSampleReport): Promise<void> {
  const parent = byName.get(edge.fk.parent);
  if (!parent) return;
  const self = parent === edge.table;
  const unique = edge.table.uniqueKeys.some((k) => k.every((c) => edge.fk.columns.includes(c)));
  const ref = edge.fk.referenced.map(quoteIdent);
  const set = edge.fk.columns.map(quoteIdent);
  const match = self
    ? unique ? 'p.rn = c.rn - 1' : 'p.rn = 1 + (c.rn * 7919) % (c.rn - 1)'
    : unique ? 'p.rn = c.rn' : 'p.rn = 1 + (c.rn * 7919) % p.cnt';
  const sql = `WITH c AS (SELECT ctid AS tid, row_number() OVER (ORDER BY ctid) AS rn FROM ${edge.table.sqlName}),
p AS (SELECT ${ref.map((r, k) => `${r} AS k${k}`).join(', ')}, row_number() OVER (ORDER BY ctid) AS rn, count(*) OVER () AS cnt FROM ${parent.sqlName} WHERE ${ref.map((r) => `${r} IS NOT NULL`).join(' AND ')})
UPDATE ${edge.table.sqlName} AS t SET (${set.join(', ')}) = ROW(${ref.map((_, k) => `p.k${k}`).join(', ')})
FROM c JOIN p ON ${match}
WHERE t.ctid = c.tid${self ? ' AND c.rn % 10 <> 1' : ' AND c.rn % 10 <> 0'}`;
  try {
    await db.exec(sql);
  } catch (e) {
    report.reasons.push({ reason: `${edge.fk.name} left NULL: ${(e as Error).message}`, rows: 0 });
  }
}
