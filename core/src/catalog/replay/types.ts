import type { TypeName } from '@pgsql/types';
import { nodeOf } from '../../parse/sql/nodes';
import { lookupSchemas, strings, type ReplayContext } from './context';
import { quoteIdent } from './names';

/** Internal names (as the grammar emits them) to the words format_type prints. */
export const BUILTIN: Record<string, string> = {
  int2: 'smallint', int4: 'integer', int8: 'bigint', float4: 'real', float8: 'double precision', bool: 'boolean',
  varchar: 'character varying', bpchar: 'character', varbit: 'bit varying', numeric: 'numeric', bit: 'bit',
  timestamp: 'timestamp without time zone', timestamptz: 'timestamp with time zone',
  time: 'time without time zone', timetz: 'time with time zone', interval: 'interval',
  decimal: 'numeric', int: 'integer', integer: 'integer', smallint: 'smallint', bigint: 'bigint', boolean: 'boolean', real: 'real',
};

/** serial pseudo-types: the type they stand for. */
export const SERIAL: Record<string, string> = {
  serial: 'integer', serial4: 'integer', bigserial: 'bigint', serial8: 'bigint', smallserial: 'smallint', serial2: 'smallint',
};

function typmodValues(node: TypeName): number[] {
  return (node.typmods ?? []).map((m) => nodeOf(m, 'A_Const')?.ival?.ival ?? 0);
}

export function withTypmods(base: string, internal: string, mods: number[]): string {
  if (mods.length === 0) return base;
  switch (internal) {
    case 'timestamp': return `timestamp(${mods[0]}) without time zone`;
    case 'timestamptz': return `timestamp(${mods[0]}) with time zone`;
    case 'time': return `time(${mods[0]}) without time zone`;
    case 'timetz': return `time(${mods[0]}) with time zone`;
    case 'numeric': case 'decimal': return `numeric(${mods[0]},${mods[1] ?? 0})`;
    case 'interval': return mods.length > 1 ? `interval(${mods[1]})` : 'interval';
    default: return `${base}(${mods.join(',')})`;
  }
}

/** The type as `format_type(atttypid, atttypmod)` prints it under the default search path. */
export function formatType(ctx: ReplayContext, node: TypeName): { type: string; serial: boolean } {
  const names = strings(node.names);
  const array = (node.arrayBounds?.length ?? 0) > 0 ? '[]' : '';
  const last = names[names.length - 1] ?? '';
  const schemaName = names.length > 1 ? names[names.length - 2] : undefined;
  const mods = typmodValues(node);

  if (schemaName === undefined || schemaName === 'pg_catalog') {
    const user = schemaName === undefined ? findUserType(ctx, last) : undefined;
    if (user) return { type: printUserType(user.schema, last) + array, serial: false };
    if (schemaName === undefined && SERIAL[last]) return { type: SERIAL[last], serial: true };
    const builtin = BUILTIN[last];
    if (builtin) return { type: withTypmods(builtin, last, mods) + array, serial: false };
    // Built-in and extension types: keywords differ between PostgreSQL versions (json is one since 16), so only odd names are quoted.
    const base = /^[a-z_][a-z0-9_]*$/.test(last) && last !== 'char' ? last : quoteIdent(last);
    return { type: (mods.length ? `${base}(${mods.join(',')})` : base) + array, serial: false };
  }
  return { type: printUserType(schemaName, last) + array, serial: false };
}

function findUserType(ctx: ReplayContext, name: string): { schema: string } | undefined {
  for (const schema of lookupSchemas(ctx)) {
    if (schema.enums.has(name) || schema.otherTypes.has(name) || schema.tables.has(name) || schema.views.has(name)) return { schema: schema.name };
  }
  return undefined;
}

/** A user type is printed bare when visible through the default search path (public), qualified otherwise. */
export function printUserType(schema: string, name: string): string {
  return schema === 'public' ? quoteIdent(name) : `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** `timestamp(3) with time zone` → `timestamp with time zone`, `character varying(20)` → `character varying`; undefined when the bare form prints differently. */
export function withoutTypmod(type: string): string | undefined {
  if (/^character\(/.test(type) || /^bit\(/.test(type)) return undefined; // bpchar and bit print their own name without a typmod
  return type.replace(/\(\d+(,\d+)?\)/, '');
}
