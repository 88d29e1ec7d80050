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
}

export interface CatalogNote {
  origin: Origin;
  message: string;
}

export interface Schema {
  name: string;
  origin: Origin;
  tables: Map<string, Table>;
  views: Map<string, View>;
  enums: Map<string, EnumType>;
  /** Sequences, including those owned by serial and identity columns (they take relation names too). */
  sequences: Map<string, Sequence>;
  /** Other named types (domains, composite types, extension types) only as names, for type printing. */
  otherTypes: Map<string, Origin>;
  /** Functions by name (each overload once), for the types of query columns that call them. */
  functions: Map<string, FunctionSignature[]>;
}

/** What a query needs to know of a function the history creates. Replaced whole, never changed in place. */
export interface FunctionSignature {
  schema: string;
  name: string;
  /** Types of the input arguments as format_type prints them (`anyelement` for a polymorphic one). */
  args: string[];
  /** How many of the last arguments have a DEFAULT (a call may leave them out). */
  defaults: number;
  /** The result type; undefined when it is a row or nothing a column can have (record, TABLE (…), void, trigger). */
  returns?: string;
  origin: Origin;
}

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
  /** `PARTITION BY` strategy (`range`, `list`, `hash`), for partitioned tables. */
  partitionBy?: string;
  /** The partition key of a partitioned table: its columns (undefined for an expression) and its text as written. */
  partitionKey?: PartitionKey;
  /** A partition's bound as written (`FOR VALUES FROM ('2024-01-01') TO ('2024-02-01')`, `DEFAULT`), set with `partitionOf`. */
  partitionBound?: string;
  /** Created by CREATE TABLE … AS with a `*` over a relation the catalog has no columns for: `columns` is incomplete. */
  columnsUnknown?: boolean;
}

export interface PartitionKey {
  /** One entry per key element: the column name, or undefined for an expression. */
  columns: (string | undefined)[];
  /** The key list inside `PARTITION BY RANGE (…)`, as written. */
  text: string;
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
  /** On a partition: the index of the partitioned parent this one is attached to (pg_inherits between indexes). */
  attachedTo?: QualifiedName;
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
  origin: Origin;
}

export interface CheckConstraint {
  name: string;
  expression: string;
  /** Added NOT VALID and not validated since: PostgreSQL has not proven it holds for the existing rows. */
  notValid?: true;
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
  origin: Origin;
}

export interface EnumType {
  schema: string;
  name: string;
  values: string[];
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
  origin: Origin;
}

export interface Sequence {
  schema: string;
  name: string;
  /** `table.column` for serial and identity sequences. */
  ownedBy?: string;
  origin: Origin;
}

export function emptyCatalog(): Catalog {
  return { schemas: new Map(), searchPath: ['public'], notes: [] };
}

export function newSchema(name: string, origin: Origin): Schema {
  return { name, origin, tables: new Map(), views: new Map(), enums: new Map(), sequences: new Map(), otherTypes: new Map(), functions: new Map() };
}

export function newTable(schema: string, name: string, origin: Origin): Table {
  return {
    schema, name, kind: 'table', origin, columns: [], uniqueConstraints: [], indexes: [], foreignKeys: [], checks: [],
    rls: { enabled: false, forced: false }, policies: [],
  };
}

/** Session-local schema for temporary tables; emptied when a migration file ends. */
export const TEMP_SCHEMA = 'pg_temp';

/** Every table of the catalog, schema by schema (temporary tables left out). */
export function* allTables(catalog: Catalog): Iterable<Table> {
  for (const schema of catalog.schemas.values()) if (schema.name !== TEMP_SCHEMA) yield* schema.tables.values();
}
