/**
 * What a Prisma schema creates in the database, as Prisma Migrate would create it: tables,
 * columns with PostgreSQL types, keys, indexes, foreign keys and enums with their default
 * names. Self-contained (no dependency on the SQL catalog) so rules can compare the two.
 *
 * Every item keeps `source`, the schema range it came from, so a finding lands on the model,
 * field or attribute that caused it.
 */
import type { PrismaSchema } from './ast';

export interface SourceRef {
  file: string;
  start: number;
  end: number;
}

export type ReferentialAction = 'CASCADE' | 'RESTRICT' | 'NO ACTION' | 'SET NULL' | 'SET DEFAULT';

export interface PrismaDatabaseModel {
  /** `provider` of the datasource as written (`postgresql`, `postgres`, `mysql`, `sqlite`, `cockroachdb`…), undefined without a datasource. */
  provider?: string;
  /** True for `postgresql`/`postgres`: rules that are PostgreSQL-specific only run then. */
  isPostgres: boolean;
  /** `foreignKeys` (the default) or `prisma` (relations emulated by Prisma Client, no FK constraints in the database). */
  relationMode: 'foreignKeys' | 'prisma';
  /** `schemas = [...]` of the datasource (multiSchema). */
  schemas: string[];
  /** PostgreSQL extensions declared with `extensions = [...]` (postgresqlExtensions preview feature). */
  extensions: string[];
  datasource?: SourceRef;
  tables: PrismaTable[];
  enums: PrismaEnum[];
}

export interface PrismaTable {
  /** The Prisma model name, or the relation name for an implicit many-to-many join table. */
  model: string;
  /** Database name: `@@map` or the model name. */
  name: string;
  /** From `@@schema`, undefined means the default schema. */
  schema?: string;
  kind: 'model' | 'view' | 'implicit-join';
  /** `@@ignore`: Prisma Client skips it, but the table exists and Migrate manages it. */
  ignored: boolean;
  columns: PrismaColumn[];
  primaryKey?: PrismaPrimaryKey;
  /** Unique constraints from `@unique` / `@@unique` (Prisma creates them as unique indexes). */
  uniques: PrismaIndex[];
  /** Non-unique indexes from `@@index`. */
  indexes: PrismaIndex[];
  foreignKeys: PrismaForeignKey[];
  /** The whole model block. */
  source: SourceRef;
  /** The `@@map` attribute, or the model name when there is none. */
  nameSource: SourceRef;
  documentation?: string;
}

export interface PrismaColumn {
  /** The Prisma field name. */
  field: string;
  /** Database name: `@map` or the field name. */
  name: string;
  /** The type as PostgreSQL's `format_type` prints it: `text`, `character varying(255)`, `timestamp(3) without time zone`, `"Role"[]`. */
  type: string;
  /** Prisma scalar type, enum name, or `Unsupported`. */
  prismaType: string;
  /** `@db.X(args)` when present. */
  nativeType?: { name: string; args: string[]; source: SourceRef };
  /** Database name of the enum when the field's type is an enum. */
  enum?: string;
  isList: boolean;
  nullable: boolean;
  default?: PrismaColumnDefault;
  /** `@updatedAt`: set by Prisma Client, not by the database. */
  updatedAt: boolean;
  /** The field declaration. */
  source: SourceRef;
  /** The `@db.*` attribute or the type name: where a type finding belongs. */
  typeSource: SourceRef;
  documentation?: string;
}

export interface PrismaColumnDefault {
  /**
   * `literal`/`now`/`dbgenerated`: a database default (`sql` holds it).
   * `autoincrement`/`sequence`: a serial column (the sequence default is created by PostgreSQL).
   * `client`: computed by Prisma Client (`uuid()`, `cuid()`, `nanoid()`, `ulid()`, `auto()`), nothing in the database.
   */
  kind: 'literal' | 'now' | 'dbgenerated' | 'autoincrement' | 'sequence' | 'client';
  /** The argument of `@default(…)` as written. */
  prisma: string;
  /** The DEFAULT expression Prisma Migrate writes, when the database has one. */
  sql?: string;
  source: SourceRef;
}

export interface PrismaPrimaryKey {
  /** `map:` or Prisma's default `<table>_pkey`. */
  name: string;
  nameIsDefault: boolean;
  columns: string[];
  /** `@id` field or `@@id` attribute. */
  source: SourceRef;
}

export interface PrismaIndexColumn {
  name: string;
  sort?: 'Asc' | 'Desc';
  /** Operator class from `ops:` (`JsonbPathOps`, `raw("gin_trgm_ops")` → `gin_trgm_ops`). */
  ops?: string;
  /** MySQL prefix `length:`. */
  length?: number;
}

export interface PrismaIndex {
  /** `map:` or Prisma's default `<table>_<columns>_key` / `_idx`, truncated to 63 bytes as Prisma does. */
  name: string;
  nameIsDefault: boolean;
  /** Prisma Client name of a compound unique/index (`name:`), if given. */
  clientName?: string;
  unique: boolean;
  columns: PrismaIndexColumn[];
  /** Access method in lower case (`btree`, `hash`, `gin`, `gist`, `spgist`, `brin`); `btree` unless `type:` says otherwise. */
  method: string;
  /** `@unique` on a field or `@@unique`/`@@index` on the model. */
  source: SourceRef;
}

export interface PrismaForeignKey {
  /** `map:` or Prisma's default `<table>_<columns>_fkey`. */
  name: string;
  nameIsDefault: boolean;
  columns: string[];
  referencedModel: string;
  referencedTable: string;
  referencedSchema?: string;
  referencedColumns: string[];
  onDelete: ReferentialAction;
  onUpdate: ReferentialAction;
  /** Whether `onDelete:` / `onUpdate:` were written or are Prisma's defaults. */
  onDeleteIsDefault: boolean;
  onUpdateIsDefault: boolean;
  /** Under `relationMode = "prisma"` the constraint does not exist in the database. */
  emulated: boolean;
  /** The relation field (`author User @relation(…)`). */
  relationField: string;
  relationName?: string;
  /** The `@relation` attribute (or the field, for implicit many-to-many tables). */
  source: SourceRef;
}

export interface PrismaEnum {
  name: string;
  /** `@@map` or the enum name. */
  dbName: string;
  schema?: string;
  values: { name: string; dbName: string; source: SourceRef }[];
  source: SourceRef;
}

/** The parsed schema and what it creates in the database, as the schema rules see them for a .prisma origin. */
export interface PrismaSource {
  schema: PrismaSchema;
  model: PrismaDatabaseModel;
}
