/**
 * Reads a live database's schema into the same `Catalog` a migration history replays into, so that the schema rules
 * run on it unchanged. Every query runs in ONE read-only transaction (`BEGIN READ ONLY`, a statement timeout), rolled
 * back at the end: the reader never writes, and sees one consistent snapshot. Names and types are read under
 * `search_path = public`, the replay's default, so `format_type` prints them as the replay does.
 * The client is anything with node-postgres's `query` (core loads no driver for this room).
 */
import type { AclItem, Catalog, Column, DefaultPrivilegeObjects, FkAction, FunctionSignature, Index, Origin, Schema, Table, Trigger, TriggerEvent, View } from '../catalog/model';
import { emptyCatalog, newSchema, newTable } from '../catalog/model';
import * as Q from './queries';

export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, any>[] }>;
}

export interface ReadCatalogOptions {
  /** The schemas to read; default every non-system schema. */
  schemas?: readonly string[];
  /** Per statement; default 30 s. */
  statementTimeoutMs?: number;
  /** What every object's `origin.file` says (there is no migration file): a label of the database, without a password. */
  source?: string;
}

/** The reader failed: `message` says what to change (a privilege, the timeout); `code` is PostgreSQL's SQLSTATE when it answered. */
export class LiveCatalogError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
    this.name = 'LiveCatalogError';
  }
}

type Row = Record<string, any>;
const FK_ACTION: Record<string, FkAction> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };
const VOLATILITY = { i: 'immutable', s: 'stable', v: 'volatile' } as const;
const ENABLED = { O: 'origin', D: 'disabled', R: 'replica', A: 'always' } as const;
const POLICY_COMMAND = { '*': 'all', r: 'select', a: 'insert', w: 'update', d: 'delete' } as const;
const DEFAULT_OBJECTS: Record<string, DefaultPrivilegeObjects> = { r: 'tables', S: 'sequences', f: 'functions', T: 'types', n: 'schemas' };
/** Result types no column can have: FunctionSignature.returns stays undefined for them (as in the replay). */
const NOT_A_COLUMN_TYPE = new Set(['record', 'void', 'trigger', 'event_trigger', 'internal', 'cstring']);

export async function readLiveCatalog(client: Queryable, options: ReadCatalogOptions = {}): Promise<Catalog> {
  const timeout = Math.max(1, Math.round(options.statementTimeoutMs ?? 30_000));
  await run(client, 'BEGIN READ ONLY');
  try {
    await run(client, `SET LOCAL statement_timeout = ${timeout}`);
    await run(client, 'SET LOCAL search_path = public');
    const schemas = options.schemas ? [...options.schemas] : (await run(client, Q.SCHEMA_NAMES)).map((r) => r.nspname as string);
    const read = async (sql: string) => run(client, sql, [schemas]);
    const rows = {
      schemas: await read(Q.SCHEMAS), relations: await read(Q.RELATIONS), columns: await read(Q.COLUMNS), constraints: await read(Q.CONSTRAINTS),
      indexes: await read(Q.INDEXES), policies: await read(Q.POLICIES), triggers: await read(Q.TRIGGERS), sequences: await read(Q.SEQUENCES),
      enums: await read(Q.ENUMS), otherTypes: await read(Q.OTHER_TYPES), functions: await read(Q.FUNCTIONS), viewDependencies: await read(Q.VIEW_DEPENDENCIES),
      extensions: await run(client, Q.EXTENSIONS), defaultPrivileges: await run(client, Q.DEFAULT_PRIVILEGES),
    };
    return assemble(rows, options.source ?? 'database');
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
  }
}

async function run(client: Queryable, sql: string, values?: unknown[]): Promise<Row[]> {
  try {
    return (await client.query(sql, values)).rows;
  } catch (e) {
    throw explain(e);
  }
}

/** A failed catalog query, said as what to change. */
function explain(e: unknown): Error {
  const code = (e as { code?: string } | null)?.code;
  const message = e instanceof Error ? e.message : String(e);
  if (code === '42501') return new LiveCatalogError(`reading the catalog was refused: ${message}. Connect as a role that may read pg_catalog (any role can by default; someone revoked it here).`, code);
  if (code === '57014') return new LiveCatalogError(`reading the catalog took longer than the statement timeout: ${message}. Raise the timeout or read fewer schemas.`, code);
  if (code === undefined) return new LiveCatalogError(`the connection failed while reading the catalog: ${message}`);
  return new LiveCatalogError(`reading the catalog failed (${code}): ${message}`, code);
}

const aclOf = (json: unknown): AclItem[] | undefined => (Array.isArray(json) ? json.map((i) => ({ grantee: i.grantee, privilege: i.privilege, grantable: i.grantable })) : undefined);
const opt = <K extends string, V>(key: K, value: V | null | undefined): { [k in K]?: V } => (value === null || value === undefined ? {} : ({ [key]: value } as { [k in K]?: V }));
const deferrable = (r: Row) => (r.condeferrable ? { deferrable: r.condeferred ? 'deferred' as const : 'immediate' as const } : {});

interface Rows { [kind: string]: Row[] }

function assemble(rows: Rows, file: string): Catalog {
  const catalog = emptyCatalog();
  // Each object its own origin (offsets 0, 1, 2 … in no real file), so that a finding's origin names one object (objectLookup).
  let next = 0;
  const origin = (): Origin => ({ file, start: next, end: next++ });
  const schemaOf = (name: string): Schema => {
    let s = catalog.schemas.get(name);
    if (!s) catalog.schemas.set(name, (s = newSchema(name, origin())));
    return s;
  };
  for (const r of rows.schemas) Object.assign(schemaOf(r.nspname), { owner: r.owner, acl: aclOf(r.acl), ...opt('comment', r.comment) });

  const byOid = new Map<number, Table | View>();
  for (const r of rows.relations) {
    const schema = schemaOf(r.nspname);
    const common = { owner: r.owner, acl: aclOf(r.acl), ...opt('comment', r.comment) };
    if (r.relkind === 'v' || r.relkind === 'm') {
      const view: View = { schema: r.nspname, name: r.relname, materialized: r.relkind === 'm', columns: [], dependsOn: [], indexes: [], triggers: [], origin: origin(), ...common };
      if (r.reloptions?.length) view.options = Object.fromEntries((r.reloptions as string[]).map(splitOption));
      schema.views.set(r.relname, view);
      byOid.set(r.oid, view);
      continue;
    }
    const table: Table = Object.assign(newTable(r.nspname, r.relname, origin()), common);
    table.rls = { enabled: r.relrowsecurity, forced: r.relforcerowsecurity };
    if (r.relkind === 'p') {
      table.kind = 'partitioned';
      table.partitionBy = r.strategy;
      // pg_get_partkeydef prints `RANGE (created_at)`: the model keeps the list inside the parentheses.
      table.partitionKey = { columns: (r.partcols ?? []).map((c: string | null) => c ?? undefined), text: String(r.partkey).replace(/^\w+ \((.*)\)$/s, '$1') };
    }
    if (r.relispartition && r.parent) Object.assign(table, { partitionOf: { schema: r.parent_schema, name: r.parent }, partitionBound: r.bound });
    schema.tables.set(r.relname, table);
    byOid.set(r.oid, table);
  }

  for (const r of rows.columns) {
    const rel = byOid.get(r.relid);
    if (!rel) continue;
    const column: Column = { name: r.attname, type: r.type, notNull: r.attnotnull, origin: origin(), ...opt('comment', r.comment), ...opt('acl', aclOf(r.acl)) };
    if (r.attidentity) column.identity = r.attidentity === 'a' ? 'always' : 'by default';
    if (r.attgenerated) column.generated = r.expr;
    else if (r.expr !== null) column.default = r.expr;
    rel.columns!.push(column);
  }

  for (const r of rows.constraints) {
    const t = byOid.get(r.relid);
    if (!t || !('checks' in t)) continue;
    const base = () => ({ name: r.conname, origin: origin(), ...opt('comment', r.comment) });
    if (r.contype === 'p') t.primaryKey = { ...base(), columns: r.cols ?? [], ...deferrable(r) };
    else if (r.contype === 'u') t.uniqueConstraints.push({ ...base(), columns: r.cols ?? [], ...deferrable(r) });
    else if (r.contype === 'c') t.checks.push({ ...base(), expression: r.expr, ...(r.convalidated ? {} : { notValid: true as const }) });
    else if (r.contype === 'f') {
      t.foreignKeys.push({
        ...base(), columns: r.cols ?? [], references: { schema: r.ref_schema, name: r.ref_table }, referencedColumns: r.refcols ?? [],
        onDelete: FK_ACTION[r.confdeltype], onUpdate: FK_ACTION[r.confupdtype], ...deferrable(r), ...(r.convalidated ? {} : { notValid: true as const }),
      });
    }
    // 'x': an EXCLUDE constraint lives in the model as its index (backs: 'exclusion').
  }

  for (const r of rows.indexes) {
    const rel = byOid.get(r.relid);
    if (!rel) continue;
    const keys = (r.keys ?? []) as Row[];
    const index: Index = {
      name: r.name, method: r.method, unique: r.indisunique, origin: origin(),
      keys: keys.slice(0, r.indnkeyatts).map((k) => ({
        ...(k.column !== null ? { column: k.column } : { expression: k.text }),
        ...opt('opclass', k.opclass), ...opt('collation', k.collation), ...(k.desc ? { descending: true as const } : {}),
        // Written only where it is not the default for the direction (ASC → NULLS LAST, DESC → NULLS FIRST).
        ...(k.nullsFirst && !k.desc ? { nulls: 'first' as const } : !k.nullsFirst && k.desc ? { nulls: 'last' as const } : {}),
        ...opt('operator', k.operator),
      })),
      include: keys.slice(r.indnkeyatts).map((k) => k.column),
      ...opt('predicate', r.predicate), ...opt('comment', r.comment),
      ...(r.backs ? { backs: ({ p: 'primary', u: 'unique', x: 'exclusion' } as const)[r.backs as 'p' | 'u' | 'x'] } : {}),
      ...(r.parent_index ? { attachedTo: { schema: r.parent_schema, name: r.parent_index } } : {}),
    };
    // reloptions holds `fillfactor=90`; the model keeps them as pg_get_indexdef prints them, `fillfactor='90'`.
    if (r.reloptions?.length) index.options = (r.reloptions as string[]).map((o) => { const [k, v] = splitOption(o); return `${k}='${v.replace(/'/g, "''")}'`; });
    rel.indexes.push(index);
  }

  for (const r of rows.policies) {
    const t = byOid.get(r.relid);
    if (!t || !('policies' in t)) continue;
    t.policies.push({
      name: r.polname, command: POLICY_COMMAND[r.polcmd as keyof typeof POLICY_COMMAND], roles: r.roles, permissive: r.polpermissive, origin: origin(),
      ...opt('using', r.using), ...opt('withCheck', r.check), ...opt('comment', r.comment),
    });
  }

  for (const r of rows.triggers) {
    const rel = byOid.get(r.relid);
    if (!rel) continue;
    const type = Number(r.tgtype);
    const events = ([[4, 'insert'], [16, 'update'], [8, 'delete'], [32, 'truncate']] as const).filter(([bit]) => type & bit).map(([, e]) => e as TriggerEvent);
    const when = r.def ? /\sWHEN \((.*)\) EXECUTE (?:FUNCTION|PROCEDURE) /s.exec(r.def)?.[1] : undefined;
    const trigger: Trigger = {
      name: r.tgname, timing: type & 64 ? 'instead of' : type & 2 ? 'before' : 'after', events, level: type & 1 ? 'row' : 'statement',
      function: { schema: r.fschema, name: r.fname }, enabled: ENABLED[r.tgenabled as keyof typeof ENABLED], origin: origin(),
      ...opt('columns', r.cols), ...opt('when', when), ...(r.is_constraint ? { constraint: true as const } : {}), ...opt('comment', r.comment),
    };
    (rel.triggers ??= []).push(trigger);
  }

  for (const r of rows.viewDependencies) {
    const v = byOid.get(r.relid);
    if (v && 'materialized' in v) v.dependsOn!.push({ schema: r.nspname, name: r.relname });
  }

  for (const r of rows.sequences) {
    schemaOf(r.nspname).sequences.set(r.relname, {
      schema: r.nspname, name: r.relname, owner: r.owner, acl: aclOf(r.acl), origin: origin(),
      ...(r.owned_table ? { ownedBy: `${r.owned_table}.${r.owned_column}` } : {}), ...opt('comment', r.comment),
    });
  }
  for (const r of rows.enums) schemaOf(r.nspname).enums.set(r.typname, { schema: r.nspname, name: r.typname, values: r.labels, origin: origin(), ...opt('comment', r.comment) });
  for (const r of rows.otherTypes) schemaOf(r.nspname).otherTypes.set(r.typname, origin());

  for (const r of rows.functions) {
    const procedure = r.prokind === 'p';
    const f: FunctionSignature = {
      schema: r.nspname, name: r.proname, kind: procedure ? 'procedure' : 'function', args: r.args, defaults: r.pronargdefaults,
      ...(procedure || NOT_A_COLUMN_TYPE.has(r.returns) ? {} : { returns: r.returns }), ...(r.returns === 'trigger' ? { returnsTrigger: true as const } : {}),
      securityDefiner: r.prosecdef, config: r.proconfig ?? [], volatility: VOLATILITY[r.provolatile as keyof typeof VOLATILITY], language: r.lanname,
      owner: r.owner, acl: aclOf(r.acl), origin: origin(), ...opt('comment', r.comment),
    };
    const schema = schemaOf(r.nspname);
    schema.functions.set(r.proname, [...(schema.functions.get(r.proname) ?? []), f]);
  }

  for (const r of rows.extensions) catalog.extensions.set(r.extname, { name: r.extname, schema: r.nspname, origin: origin(), ...opt('comment', r.comment) });
  for (const r of rows.defaultPrivileges) {
    catalog.defaultPrivileges.push({ role: r.role, ...opt('schema', r.nspname), objects: DEFAULT_OBJECTS[r.defaclobjtype], acl: aclOf(r.acl) ?? [] });
  }
  return catalog;
}

/** `security_invoker=true` → `['security_invoker', 'true']` (a value may hold `=`). */
function splitOption(option: string): [string, string] {
  const at = option.indexOf('=');
  return at < 0 ? [option, 'true'] : [option.slice(0, at), option.slice(at + 1)];
}
