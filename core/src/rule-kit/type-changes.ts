import type { TypeName } from '@pgsql/types';
import { BUILTIN, withTypmods } from '../catalog/replay/types';
import { nodeOf, stringOf } from '../parse/sql/nodes';

/**
 * What `ALTER COLUMN … TYPE` costs, judged from the old and new type as `format_type` prints them (the catalog's
 * spelling). Each answer was checked on PostgreSQL 15 by comparing pg_class.relfilenode of the table and of an
 * index on the column before and after the change (test/rules/changing-column-type.pg.test.ts).
 */

export interface ParsedType {
  /** `character varying`, `timestamp with time zone`, `numeric` … without the modifiers. */
  base: string;
  mods: number[];
  array: boolean;
}

export function parseType(type: string): ParsedType {
  const array = type.endsWith('[]');
  const t = type.replace(/(\[\])+$/, '');
  const m = /^([^(]*?)\s*(?:\(([\d,\s]+)\))?(\s+with(?:out)? time zone)?$/.exec(t);
  const base = `${m?.[1] ?? t}${m?.[3] ?? ''}`.trim();
  return { base, mods: m?.[2] ? m[2].split(',').map((x) => Number(x.trim())) : [], array };
}

/**
 * - `none`: binary-coercible or only a relaxed limit; neither the table nor its indexes are touched.
 * - `indexes`: the rows stay, the indexes on the column are rebuilt (bit → bit varying).
 * - `timezone`: timestamp ↔ timestamptz; PostgreSQL 12+ keeps the rows when the session TimeZone is UTC
 *   (the indexes are rebuilt all the same), and rewrites the table in any other zone.
 * - `rewrite`: the whole table and its indexes are rewritten.
 */
export type TypeChangeCost = 'none' | 'indexes' | 'timezone' | 'rewrite';

const UNLIMITED = Infinity;
/** Precision of a timestamp/time type without a modifier: microseconds. */
const MAX_SECONDS_PRECISION = 6;

export function typeChangeCost(from: string, to: string): TypeChangeCost {
  if (from === to) return 'none';
  const a = parseType(from);
  const b = parseType(to);
  // Arrays are coerced element by element: even varchar(20)[] → text[] rewrites.
  if (a.array || b.array) return 'rewrite';
  const limit = (x: ParsedType) => x.mods[0] ?? UNLIMITED;
  if ((a.base === 'character varying' || a.base === 'text') && b.base === 'text') return 'none';
  if ((a.base === 'character varying' || a.base === 'text') && b.base === 'character varying') {
    return limit(b) >= (a.base === 'text' ? UNLIMITED : limit(a)) ? 'none' : 'rewrite';
  }
  if (a.base === 'numeric' && b.base === 'numeric') {
    if (b.mods.length === 0) return 'none';
    return a.mods.length > 0 && b.mods[0] >= a.mods[0] && (b.mods[1] ?? 0) === (a.mods[1] ?? 0) ? 'none' : 'rewrite';
  }
  if (a.base === 'cidr' && b.base === 'inet') return 'none';
  if (a.base === 'bit varying' && b.base === 'bit varying') return limit(b) >= limit(a) ? 'none' : 'rewrite';
  if (a.base === 'bit' && b.base === 'bit varying') return limit(b) >= (a.mods[0] ?? 1) ? 'indexes' : 'rewrite';
  const seconds = (x: ParsedType) => x.mods[0] ?? MAX_SECONDS_PRECISION;
  const timestamps = /^timestamp with(out)? time zone$/;
  if (timestamps.test(a.base) && timestamps.test(b.base) && a.base !== b.base) {
    // Rounding to fewer than 6 digits runs even in UTC (timestamp(3) → timestamptz(3) rewrites).
    return seconds(b) >= MAX_SECONDS_PRECISION ? 'timezone' : 'rewrite';
  }
  if (/^(timestamp|time) with(out)? time zone$/.test(a.base) && a.base === b.base) return seconds(b) >= seconds(a) ? 'none' : 'rewrite';
  return 'rewrite';
}

/** A type node of the AST written the way format_type prints a built-in type (user types as written, unquoted). */
export function writtenType(typeName: TypeName): string {
  const names = (typeName.names ?? []).map((n) => stringOf(n) ?? '');
  const last = names.at(-1) ?? 'unknown';
  const mods = (typeName.typmods ?? []).map((m) => nodeOf(m, 'A_Const')?.ival?.ival ?? 0);
  const builtin = names.length === 1 || names[0] === 'pg_catalog' ? BUILTIN[last] : undefined;
  const base = builtin ? withTypmods(builtin, last, mods) : mods.length ? `${last}(${mods.join(',')})` : last;
  return base + ((typeName.arrayBounds ?? []).length ? '[]' : '');
}
