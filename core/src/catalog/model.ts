/**
 * The schema as it stands after replaying a migration history: what the schema-design rules look at.
 * Names are stored exactly as PostgreSQL stores them (the parser has already folded unquoted identifiers).
 * Types are written the way `format_type` prints them, so they compare equal to `pg_catalog`.
 */

/** The statement that created (or last re-created) an object. Offsets are UTF-16 offsets into `file`. */
export interface Origin {
  file: string;
  start: number;
  end: number;
}

export interface Catalog {
  schemas: Map<string, Schema>;
  /** Schemas searched for unqualified names, from `SET search_path` when it is a plain list. */
  searchPath: string[];
  /** Statements the replay could not apply (unknown table, unsupported form …), for diagnostics and tests. */
  notes: CatalogNote[];
  /**
   * The role the migrations run as, when known (`SET ROLE`, or the caller's option): it owns what they create, and
   * `ALTER DEFAULT PRIVILEGES FOR ROLE` it applies to its objects. Undefined: an unnamed role, `current_user`.
   */
  role?: string;
  /** `CREATE EXTENSION`s by extension name (extension names are database-wide). Replaced whole, never changed in place. */
  extensions: Map<string, Extension>;
  /** `ALTER DEFAULT PRIVILEGES` entries, as pg_default_acl holds them. Replaced whole, never changed in place. */
  defaultPrivileges: DefaultPrivileges[];
}

export interface CatalogNote {
  origin: Origin;
  message: string;
}

export interface Schema {
  name: string;
  origin: Origin;
  /** `ALTER SCHEMA … OWNER TO`; undefined: the role that ran the migrations. */
  owner?: string;
  /** Undefined: PostgreSQL's default ACL (see privileges.ts). */
  acl?: AclItem[];
  comment?: string;
  tables: Map<string, Table>;
  views: Map<string, View>;
  enums: Map<string, EnumType>;
  /** Sequences, including those owned by serial and identity columns (they take relation names too). */
  sequences: Map<string, Sequence>;
  /** Other named types (domains, composite types, extension types) only as names, for type printing. */
  otherTypes: Map<string, Origin>;
  /** Functions and procedures by name (each overload once): for the security rules, and the types of query columns that call them. */
  functions: Map<string, FunctionSignature[]>;
}

export type FunctionKind = 'function' | 'procedure';
export type Volatility = 'immutable' | 'stable' | 'volatile';

/** A function or procedure the history creates (pg_proc). Replaced whole, never changed in place. */
export interface FunctionSignature {
  schema: string;
  name: string;
  kind: FunctionKind;
  /**
   * Types of the input arguments as pg_proc.proargtypes lists them (IN, INOUT, VARIADIC; not OUT, for procedures
   * neither), printed by format_type without typmods (`anyelement` for a polymorphic one).
   */
  args: string[];
  /** How many of the last arguments have a DEFAULT (a call may leave them out). */
  defaults: number;
  /** The result type; undefined when it is a row or nothing a column can have (record, TABLE (…), void, trigger), and for procedures. */
  returns?: string;
  /** `trigger` when it RETURNS trigger (only those can back a CREATE TRIGGER). */
  returnsTrigger?: true;
  /** SECURITY DEFINER: runs with its owner's privileges (prosecdef). */
  securityDefiner: boolean;
  /** `SET` options as pg_proc.proconfig holds them: `search_path=""`, `search_path=public, pg_temp`, `work_mem=64MB`. */
  config: string[];
  volatility: Volatility;
  /** Lower-case language name (`plpgsql`, `sql`, `c`). */
  language: string;
  /** `ALTER FUNCTION … OWNER TO`; undefined: the role that ran the migrations. */
  owner?: string;
  /** Undefined: PostgreSQL's default ACL, EXECUTE for PUBLIC and the owner (see privileges.ts). */
  acl?: AclItem[];
  comment?: string;
  origin: Origin;
}

/**
 * A privilege as aclexplode() names it. Table: SELECT INSERT UPDATE DELETE TRUNCATE REFERENCES TRIGGER (MAINTAIN from
 * PostgreSQL 17); column: SELECT INSERT UPDATE REFERENCES; sequence: USAGE SELECT UPDATE; function: EXECUTE; schema: USAGE CREATE.
 */
export type Privilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE' | 'TRUNCATE' | 'REFERENCES' | 'TRIGGER' | 'MAINTAIN' | 'EXECUTE' | 'USAGE' | 'CREATE';

/** One row of aclexplode(): `grantee` is a role name, or `public` for PUBLIC. The grantor is not kept (it is the owner). */
export interface AclItem {
  grantee: string;
  privilege: Privilege;
  /** WITH GRANT OPTION. */
  grantable: boolean;
}

/** The kinds of objects ALTER DEFAULT PRIVILEGES sets privileges for (pg_default_acl.defaclobjtype). */
export type DefaultPrivilegeObjects = 'tables' | 'sequences' | 'functions' | 'types' | 'schemas';

/** One pg_default_acl row: what objects `role` creates later (in `schema`, when set) are granted. */
export interface DefaultPrivileges {
  /** FOR ROLE, or else the role that ran the statement (`current_user` when unknown, see privileges.ts). */
  role: string;
  /** IN SCHEMA; undefined: everywhere (then `acl` replaces the built-in default, as in PostgreSQL). */
  schema?: string;
  objects: DefaultPrivilegeObjects;
  acl: AclItem[];
}

/** An installed extension (pg_extension). */
export interface Extension {
  name: string;
  /** The schema its objects went to. */
  schema: string;
  comment?: string;
  origin: Origin;
}

export type TriggerTiming = 'before' | 'after' | 'instead of';
export type TriggerEvent = 'insert' | 'update' | 'delete' | 'truncate';
/** pg_trigger.tgenabled: fires in `origin` and `local` replication roles (the default), never, only in replica, always. */
export type TriggerEnabled = 'origin' | 'disabled' | 'replica' | 'always';

export interface Trigger {
  name: string;
  timing: TriggerTiming;
  events: TriggerEvent[];
  /** `UPDATE OF a, b`. */
  columns?: string[];
  level: 'row' | 'statement';
  /** The function it executes; `schema` undefined when the catalog does not have it (a built-in or an extension's). */
  function: { schema?: string; name: string };
  /** Source text of the WHEN condition, without its parentheses. */
  when?: string;
  enabled: TriggerEnabled;
  /** CREATE CONSTRAINT TRIGGER. */
  constraint?: true;
  comment?: string;
  origin: Origin;
}

/** Storage options of a view as pg_class.reloptions lists them (`security_invoker` → `true`, as written otherwise). */
export type ViewOptions = Record<string, string>;

export type TableKind = 'table' | 'partitioned';

export interface Table {
  schema: string;
  name: string;
  kind: TableKind;
  origin: Origin;
  columns: Column[];
  primaryKey?: KeyConstraint;
  uniqueConstraints: KeyConstraint[];
  /** Every index on the table, including the ones behind the primary key and UNIQUE constraints. */
  indexes: Index[];
  foreignKeys: ForeignKey[];
  checks: CheckConstraint[];
  rls: { enabled: boolean; forced: boolean; origin?: Origin };
  policies: Policy[];
  /** Set for `CREATE TABLE … PARTITION OF parent`. */
  partitionOf?: QualifiedName;
  /** `PARTITION BY` strategy and key text, for partitioned tables. */
  partitionBy?: string;
  /** Created by CREATE TABLE … AS with a `*` over a relation the catalog has no columns for: `columns` is incomplete. */
  columnsUnknown?: boolean;
  triggers: Trigger[];
  /** `ALTER TABLE … OWNER TO`; undefined: the role that ran the migrations. */
  owner?: string;
  /** Undefined: PostgreSQL's default ACL, everything for the owner only (see privileges.ts). */
  acl?: AclItem[];
  comment?: string;
}

export interface QualifiedName {
  schema: string;
  name: string;
}

export interface Column {
  name: string;
  /** As `format_type` prints it: `integer`, `character varying(255)`, `timestamp(3) without time zone`, `text[]`, `"Role"`. */
  type: string;
  /**
   * The catalog could not derive the type (a CREATE TABLE … AS column computed by a function it does not know):
   * `type` is then UNKNOWN_TYPE, and rules must not compare it or write it into SQL.
   */
  typeUnknown?: boolean;
  notNull: boolean;
  /** Source text of the default expression (serial columns get `nextval('<seq>'::regclass)`). */
  default?: string;
  identity?: 'always' | 'by default';
  generated?: string;
  /** Column privileges (pg_attribute.attacl); undefined: none beyond the table's. */
  acl?: AclItem[];
  comment?: string;
  origin: Origin;
}

/** The `type` of a column whose type the catalog could not derive (never a name PostgreSQL prints). */
export const UNKNOWN_TYPE = '(unknown type)';

/** `DEFERRABLE [INITIALLY IMMEDIATE]` or `DEFERRABLE INITIALLY DEFERRED`; absent when not deferrable. */
export type Deferrable = 'immediate' | 'deferred';

export interface KeyConstraint {
  name: string;
  columns: string[];
  deferrable?: Deferrable;
  comment?: string;
  origin: Origin;
}

export interface IndexKey {
  /** The column name, or undefined for an expression. */
  column?: string;
  /** Source text of an expression key, without the parentheses that wrap it in the key list. */
  expression?: string;
  /** Operator class as written (`text_pattern_ops`, `public.gin_trgm_ops`). */
  opclass?: string;
  /** Collation as SQL names it after COLLATE (`"C"`). */
  collation?: string;
  descending?: true;
  /** NULLS FIRST / NULLS LAST when written. */
  nulls?: 'first' | 'last';
  /** The operator of an EXCLUDE constraint's element (`&&`, `=`). */
  operator?: string;
}

export interface Index {
  name: string;
  keys: IndexKey[];
  /** Columns of an INCLUDE clause (not key columns). */
  include: string[];
  method: string;
  unique: boolean;
  /** Storage parameters as pg_get_indexdef prints them (`fillfactor='90'`), from `WITH (…)`. */
  options?: string[];
  /** Source text of the WHERE clause of a partial index. */
  predicate?: string;
  /** The index backs this table's primary key, a UNIQUE or an EXCLUDE constraint of the same name. */
  backs?: 'primary' | 'unique' | 'exclusion';
  comment?: string;
  origin: Origin;
}

export type FkAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default';

export interface ForeignKey {
  name: string;
  columns: string[];
  references: QualifiedName;
  referencedColumns: string[];
  onDelete: FkAction;
  onUpdate: FkAction;
  /** Added NOT VALID and not validated since. */
  notValid?: true;
  deferrable?: Deferrable;
  comment?: string;
  origin: Origin;
}

export interface CheckConstraint {
  name: string;
  expression: string;
  /** Added NOT VALID and not validated since: PostgreSQL has not proven it holds for the existing rows. */
  notValid?: true;
  comment?: string;
  origin: Origin;
}

export type PolicyCommand = 'all' | 'select' | 'insert' | 'update' | 'delete';

export interface Policy {
  name: string;
  command: PolicyCommand;
  /** Role names; `public` when the policy applies to everyone. */
  roles: string[];
  permissive: boolean;
  using?: string;
  withCheck?: string;
  comment?: string;
  origin: Origin;
}

export interface EnumType {
  schema: string;
  name: string;
  values: string[];
  comment?: string;
  origin: Origin;
}

export interface View {
  schema: string;
  name: string;
  materialized: boolean;
  /** Output columns derived from the query; undefined when unknown (a `*` over a relation the catalog lacks). */
  columns?: Column[];
  /** Tables and views its query reads: DROP … CASCADE of any of them drops the view too. */
  dependsOn?: QualifiedName[];
  /** Indexes on a materialized view. */
  indexes: Index[];
  /** `WITH (…)` / `ALTER VIEW … SET (…)`: `security_invoker`, `security_barrier`, `check_option`; absent when none. */
  options?: ViewOptions;
  /** INSTEAD OF triggers (and statement triggers) on a view. */
  triggers?: Trigger[];
  /** `ALTER VIEW … OWNER TO`; undefined: the role that ran the migrations. A view reads its tables as its owner unless security_invoker. */
  owner?: string;
  /** Undefined: PostgreSQL's default ACL, everything for the owner only. */
  acl?: AclItem[];
  comment?: string;
  origin: Origin;
}

export interface Sequence {
  schema: string;
  name: string;
  /** `table.column` for serial and identity sequences. */
  ownedBy?: string;
  owner?: string;
  /** Undefined: PostgreSQL's default ACL, everything for the owner only. */
  acl?: AclItem[];
  comment?: string;
  origin: Origin;
}

export function emptyCatalog(): Catalog {
  return { schemas: new Map(), searchPath: ['public'], notes: [], extensions: new Map(), defaultPrivileges: [] };
}

export function newSchema(name: string, origin: Origin): Schema {
  return { name, origin, tables: new Map(), views: new Map(), enums: new Map(), sequences: new Map(), otherTypes: new Map(), functions: new Map() };
}

export function newTable(schema: string, name: string, origin: Origin): Table {
  return {
    schema, name, kind: 'table', origin, columns: [], uniqueConstraints: [], indexes: [], foreignKeys: [], checks: [],
    rls: { enabled: false, forced: false }, policies: [], triggers: [],
  };
}

/** Session-local schema for temporary tables; emptied when a migration file ends. */
export const TEMP_SCHEMA = 'pg_temp';

/** Every table of the catalog, schema by schema (temporary tables left out). */
export function* allTables(catalog: Catalog): Iterable<Table> {
  for (const schema of catalog.schemas.values()) if (schema.name !== TEMP_SCHEMA) yield* schema.tables.values();
}
