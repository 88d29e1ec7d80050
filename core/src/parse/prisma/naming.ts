/**
 * Prisma's default constraint and index names (psl-core `ConstraintNames`): always built from
 * database names (after `@@map`/`@map`) and cut to the provider's identifier limit in bytes,
 * at a character boundary, before the suffix is added.
 */

const IDENTIFIER_LIMIT: Record<string, number> = {
  postgresql: 63, postgres: 63, cockroachdb: 63, mysql: 64, sqlserver: 128, sqlite: 10000, mongodb: 127,
};

export function identifierLimit(provider: string | undefined): number {
  return (provider && IDENTIFIER_LIMIT[provider]) || 63;
}

export function primaryKeyName(table: string, limit: number): string {
  return truncateIfAtLeast(table, limit - 5) + '_pkey';
}

export function uniqueIndexName(table: string, columns: string[], limit: number): string {
  return truncateIfAtLeast(`${table}_${columns.join('_')}`, limit - 4) + '_key';
}

export function indexName(table: string, columns: string[], limit: number): string {
  return truncateIfAtLeast(`${table}_${columns.join('_')}`, limit - 4) + '_idx';
}

export function foreignKeyName(table: string, columns: string[], limit: number): string {
  return truncateIfAtLeast(`${table}_${columns.join('_')}`, limit - 5) + '_fkey';
}

/** Prisma cuts when the length reaches the limit (`>=`), which for an exact fit changes nothing. */
function truncateIfAtLeast(s: string, maxBytes: number): string {
  if (utf8Length(s) < maxBytes) return s;
  let bytes = 0;
  let k = 0;
  while (k < s.length) {
    const cp = s.codePointAt(k)!;
    const w = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes + w > maxBytes) break;
    bytes += w;
    k += cp >= 0x10000 ? 2 : 1;
  }
  return s.slice(0, k);
}

/** Length in UTF-8 bytes (PostgreSQL's identifier limit and the Prisma formatter's column widths both count bytes). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { n += 4; k++; }
    else n += 3;
  }
  return n;
}

// Keywords that PostgreSQL's quote_ident (and so format_type) quotes: every keyword category but
// the unreserved one. Enum names are the only identifiers format_type prints here.
const QUOTED_KEYWORDS = new Set((
  'all analyse analyze and any array as asc asymmetric authorization between bigint binary bit boolean both case cast char ' +
  'character check coalesce collate collation column concurrently constraint create cross current_catalog current_date ' +
  'current_role current_schema current_time current_timestamp current_user dec decimal default deferrable desc distinct do ' +
  'else end except exists extract false fetch float for foreign freeze from full grant greatest group grouping having ilike ' +
  'in initially inner inout int integer intersect interval into is isnull join json json_array json_arrayagg json_exists ' +
  'json_object json_objectagg json_query json_scalar json_serialize json_table json_value lateral leading least left like ' +
  'limit localtime localtimestamp merge_action national natural nchar none normalize not notnull null nullif numeric offset ' +
  'on only or order out outer overlaps overlay placing position precision primary real references returning right row ' +
  'select session_user setof similar smallint some substring symmetric system_user table tablesample then time timestamp ' +
  'to trailing treat trim true union unique user using values varchar variadic verbose when where window with xmlattributes ' +
  'xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable'
).split(' '));

/** An identifier as PostgreSQL prints it: bare when it can be, double-quoted otherwise. */
export function quoteIdentifier(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !QUOTED_KEYWORDS.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}
