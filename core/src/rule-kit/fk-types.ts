/**
 * How PostgreSQL compares a foreign key column with the column it references, from the two types as format_type
 * prints them. ATAddForeignKeyConstraint looks for an equality operator of the referenced index's operator family
 * between the two types (a cross-type operator: integer = bigint); failing that, for an implicit cast from the
 * referencing type to the referenced one (integer → numeric), using the referenced type's own operator on the cast
 * column; failing that, it rejects the constraint. Checked type pair by type pair on PostgreSQL in
 * test/rules/partitions.pg.test.ts (conpfeqop against conppeqop).
 */
export type FkTypeRelation = 'same' | 'cross-type' | 'cast' | 'rejected' | 'unknown';

/** btree operator families of the built-in types (types PostgreSQL compares without a cast in one family). */
const FAMILY: Record<string, string> = {
  smallint: 'integer', integer: 'integer', bigint: 'integer',
  real: 'float', 'double precision': 'float',
  numeric: 'numeric',
  // varchar has no operators of its own: it is binary-coercible to text and uses text's.
  text: 'text', 'character varying': 'text', name: 'text',
  character: 'bpchar',
  date: 'datetime', 'timestamp without time zone': 'datetime', 'timestamp with time zone': 'datetime',
  'time without time zone': 'time', 'time with time zone': 'timetz', interval: 'interval',
  uuid: 'uuid', boolean: 'boolean', bytea: 'bytea', jsonb: 'jsonb', inet: 'network', cidr: 'network', money: 'money', oid: 'oid',
};

/** Implicit casts between families (pg_cast castcontext 'i'), from the referencing family to the referenced one. */
const IMPLICIT: ReadonlySet<string> = new Set([
  'integer>float', 'integer>numeric', 'numeric>float', 'text>bpchar', 'bpchar>text',
]);

/** `character varying(36)` → `character varying`, `timestamp(3) without time zone` → `timestamp without time zone`. */
export function baseType(type: string): string {
  return type.replace(/\(\d+(,\d+)?\)/, '').replace(/\s+/g, ' ').trim();
}

export function fkTypeRelation(referencing: string, referenced: string): FkTypeRelation {
  const a = baseType(referencing);
  const b = baseType(referenced);
  if (a === b) return 'same';
  const fa = FAMILY[a];
  const fb = FAMILY[b];
  if (!fa || !fb) return 'unknown'; // arrays, enums, domains, extension types: PostgreSQL's answer depends on what they are
  if (fa === fb) return fa === 'text' || fa === 'network' ? 'same' : 'cross-type';
  return IMPLICIT.has(`${fa}>${fb}`) ? 'cast' : 'rejected';
}

const WIDTH: Record<string, number> = { smallint: 2, integer: 4, bigint: 8, real: 4, 'double precision': 8 };

/** For a cross-type pair, whether the referencing column holds fewer values than the referenced one. */
export function isNarrower(referencing: string, referenced: string): boolean {
  const a = WIDTH[baseType(referencing)];
  const b = WIDTH[baseType(referenced)];
  return a !== undefined && b !== undefined && a < b;
}
