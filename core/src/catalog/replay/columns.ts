import type { ColumnDef, Constraint, Node } from '@pgsql/types';
import { nodeOf, nodesOf } from '../../parse/sql/nodes';
import type { Column, Schema, Table } from '../model';
import { relationNameTaken, type ReplayContext } from './context';
import { chooseName, quoteIdent } from './names';
import { expressionText, parenthesizedAfter } from './source-text';
import { formatType } from './types';

/** A column definition and the constraints written inline with it (PRIMARY KEY, REFERENCES …), for the caller to add. */
export interface BuiltColumn {
  column: Column;
  constraints: Constraint[];
}

/**
 * Whether a DEFAULT expression is the null constant (`NULL`, `NULL::text`): PostgreSQL stores no default for it
 * (AddRelationNewConstraints skips it), so `DEFAULT NULL` and `SET DEFAULT NULL` mean "no default".
 */
export function isNullDefault(expr: Node | undefined): boolean {
  if (!expr) return false;
  const cast = nodeOf(expr, 'TypeCast');
  if (cast) return isNullDefault(cast.arg);
  return nodeOf(expr, 'A_Const')?.isnull === true;
}

/**
 * Whether PostgreSQL stores no default for this DEFAULT: a null constant of the column's own type (`NULL`,
 * `NULL::text` on a text column). A cast to another type (`NULL::integer` on bigint) leaves a coercion, which
 * pg_attrdef keeps, as it does for a domain column (not told apart here: the catalog keeps domains as names only).
 */
export function storesNoDefault(ctx: ReplayContext, expr: Node | undefined, columnType: string): boolean {
  if (!isNullDefault(expr)) return false;
  for (let cast = nodeOf(expr, 'TypeCast'); cast; cast = nodeOf(cast.arg, 'TypeCast')) if (formatType(ctx, cast.typeName ?? {}).type !== columnType) return false;
  return true;
}

/** Builds a column from a ColumnDef node. Serial and identity columns create their sequence in `schema`. */
export function buildColumn(ctx: ReplayContext, schema: Schema, table: Table, def: ColumnDef): BuiltColumn {
  const { type, serial } = formatType(ctx, def.typeName ?? {});
  const column: Column = { name: def.colname ?? '', type, notNull: false, origin: ctx.origin };
  const constraints: Constraint[] = [];
  if (serial) {
    const seq = createOwnedSequence(ctx, schema, table, column.name);
    column.notNull = true;
    column.default = nextvalDefault(schema.name, seq);
  }
  if (def.raw_default && !storesNoDefault(ctx, def.raw_default, type)) column.default = expressionText(ctx, def.raw_default);
  for (const c of nodesOf(def.constraints, 'Constraint')) {
    switch (c.contype) {
      case 'CONSTR_NOTNULL': column.notNull = true; break;
      case 'CONSTR_NULL': column.notNull = false; break;
      case 'CONSTR_DEFAULT': column.default = storesNoDefault(ctx, c.raw_expr, type) ? undefined : expressionText(ctx, c.raw_expr); break;
      case 'CONSTR_IDENTITY':
        column.identity = c.generated_when === 'a' ? 'always' : 'by default';
        column.notNull = true;
        createOwnedSequence(ctx, schema, table, column.name);
        break;
      case 'CONSTR_GENERATED': // the text inside GENERATED ALWAYS AS ( … ), without STORED
        column.generated = (c.location !== undefined ? parenthesizedAfter(ctx.text, ctx.stmt.toFileOffset(c.location), ctx.stmt.end) : undefined) ?? expressionText(ctx, c.raw_expr);
        break;
      case 'CONSTR_PRIMARY': case 'CONSTR_UNIQUE': case 'CONSTR_FOREIGN': case 'CONSTR_CHECK': case 'CONSTR_EXCLUSION':
        constraints.push(c);
        break;
      // DEFERRABLE / INITIALLY DEFERRED written after an inline constraint belong to it (transformConstraintAttrs).
      case 'CONSTR_ATTR_DEFERRABLE': case 'CONSTR_ATTR_NOT_DEFERRABLE': case 'CONSTR_ATTR_DEFERRED': case 'CONSTR_ATTR_IMMEDIATE': {
        const last = constraints.length - 1;
        if (last < 0) break;
        const attr = c.contype === 'CONSTR_ATTR_DEFERRABLE' ? { deferrable: true } : c.contype === 'CONSTR_ATTR_NOT_DEFERRABLE' ? { deferrable: false }
          : c.contype === 'CONSTR_ATTR_DEFERRED' ? { deferrable: true, initdeferred: true } : { initdeferred: false };
        constraints[last] = { ...constraints[last], ...attr };
        break;
      }
      default: break; // COLLATE: not modelled
    }
  }
  return { column, constraints };
}

/**
 * The default of a serial column as pg_get_expr prints it: the sequence name quoted as regclass output quotes it
 * (`nextval('"Mixed_id_seq"'::regclass)`), schema-qualified outside `public` (the search path the catalog prints for).
 */
export function nextvalDefault(schema: string, sequence: string): string {
  const name = schema === 'public' ? quoteIdent(sequence) : `${quoteIdent(schema)}.${quoteIdent(sequence)}`;
  return `nextval('${name.replace(/'/g, "''")}'::regclass)`;
}

/** `<table>_<column>_seq`, the name PostgreSQL gives the sequence behind a serial or identity column. */
export function createOwnedSequence(ctx: ReplayContext, schema: Schema, table: Table, column: string): string {
  const name = chooseName(table.name, column, 'seq', (n) => relationNameTaken(schema, n));
  schema.sequences.set(name, { schema: schema.name, name, ownedBy: `${table.name}.${column}`, origin: ctx.origin });
  return name;
}

/** Drops the sequences a table or one of its columns owns. */
export function dropOwnedSequences(schema: Schema, table: Table, column?: string): void {
  for (const [name, seq] of schema.sequences) {
    if (!seq.ownedBy) continue;
    const [t, c] = splitOwner(seq.ownedBy);
    if (t === table.name && (column === undefined || c === column)) schema.sequences.delete(name);
  }
}

export function renameSequenceOwner(schema: Schema, oldTable: string, newTable: string, oldColumn?: string, newColumn?: string): void {
  for (const [name, seq] of schema.sequences) {
    if (!seq.ownedBy) continue;
    const [t, c] = splitOwner(seq.ownedBy);
    if (t !== oldTable) continue;
    // A new object: the old one may be shared with a snapshot (catalog/snapshot.ts).
    schema.sequences.set(name, { ...seq, ownedBy: `${newTable}.${oldColumn !== undefined && c === oldColumn ? newColumn : c}` });
  }
}

function splitOwner(ownedBy: string): [string, string] {
  const k = ownedBy.lastIndexOf('.');
  return [ownedBy.slice(0, k), ownedBy.slice(k + 1)];
}
