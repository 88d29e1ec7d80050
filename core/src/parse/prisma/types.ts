/**
 * Prisma scalar and `@db.*` native types → the PostgreSQL type as `format_type` prints it, so a
 * column from the schema compares equal to the same column replayed from migration SQL.
 */

/** What Prisma Migrate creates for a scalar without `@db.*` on PostgreSQL. */
const SCALAR_DEFAULTS: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
  Boolean: 'boolean',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
};

export function isScalarType(name: string): boolean {
  return name in SCALAR_DEFAULTS;
}

export function scalarPostgresType(name: string): string | undefined {
  return SCALAR_DEFAULTS[name];
}

type NativeMapper = (args: string[]) => string;

const withLength = (base: string, fallback?: string): NativeMapper =>
  (args) => (args.length ? `${base}(${args[0]})` : fallback ?? base);

const withPrecision = (before: string, after: string): NativeMapper =>
  (args) => (args.length ? `${before}(${args[0]})${after}` : `${before}${after}`);

const NATIVE_TYPES: Record<string, NativeMapper> = {
  Text: () => 'text',
  Char: withLength('character', 'character(1)'),
  VarChar: withLength('character varying'),
  Bit: withLength('bit', 'bit(1)'),
  VarBit: withLength('bit varying'),
  Uuid: () => 'uuid',
  Xml: () => 'xml',
  Inet: () => 'inet',
  Citext: () => 'citext',
  Boolean: () => 'boolean',
  Integer: () => 'integer',
  SmallInt: () => 'smallint',
  BigInt: () => 'bigint',
  Oid: () => 'oid',
  DoublePrecision: () => 'double precision',
  Real: () => 'real',
  Decimal: (args) => (args.length === 0 ? 'numeric' : `numeric(${args[0]},${args[1] ?? '0'})`),
  Money: () => 'money',
  Timestamp: withPrecision('timestamp', ' without time zone'),
  Timestamptz: withPrecision('timestamp', ' with time zone'),
  Date: () => 'date',
  Time: withPrecision('time', ' without time zone'),
  Timetz: withPrecision('time', ' with time zone'),
  Json: () => 'json',
  JsonB: () => 'jsonb',
  ByteA: () => 'bytea',
};

/** `@db.VarChar(255)` → `character varying(255)`; unknown names (other providers) fall back to the lower-cased name. */
export function nativePostgresType(name: string, args: string[]): string {
  const mapper = NATIVE_TYPES[name];
  if (mapper) return mapper(args);
  return args.length ? `${name.toLowerCase()}(${args.join(',')})` : name.toLowerCase();
}
