import { columnsAddedToExistingTables } from '../rule-kit/added-columns';
import { qualifiedName, typeBaseName } from '../parse/sql/ast';
import { defineRule } from '../rule-kit/define-rule';

import type { ColumnDef } from '@pgsql/types';
import { childrenOf, nodeOf, nodesOf, stringOf } from '../parse/sql/nodes';

/**
 * Built-in and common extension functions marked VOLATILE. now(), CURRENT_TIMESTAMP and friends are STABLE:
 * PostgreSQL 11+ evaluates them once and stores the result as the default for existing rows, without a rewrite.
 */
const VOLATILE_FUNCTIONS = new Set([
  'random', 'random_normal', 'gen_random_uuid', 'uuidv4', 'uuidv7', 'uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v4',
  'gen_random_bytes', 'clock_timestamp', 'timeofday', 'nextval', 'setval',
]);

const SERIAL_TYPES = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);

/** The first volatile function called anywhere in the expression. */
function volatileCall(node: unknown): string | undefined {
  if (Array.isArray(node)) {
    for (const n of node) {
      const found = volatileCall(n);
      if (found) return found;
    }
  } else if (node && typeof node === 'object') {
    const name = stringOf(nodeOf(node, 'FuncCall')?.funcname?.at(-1));
    if (name && VOLATILE_FUNCTIONS.has(name)) return `${name}()`;
    for (const v of childrenOf(node)) {
      const found = volatileCall(v);
      if (found) return found;
    }
  }
  return undefined;
}

/** What makes the new column's value differ per row, or undefined when one value serves every existing row. */
function perRowDefault(def: ColumnDef): string | undefined {
  const constraints = nodesOf(def.constraints, 'Constraint');
  const fn = volatileCall(constraints.find((c) => c.contype === 'CONSTR_DEFAULT')?.raw_expr);
  if (fn) return `DEFAULT ${fn}`;
  const type = typeBaseName(def.typeName);
  if (type && SERIAL_TYPES.has(type)) return `type ${type} (an implicit DEFAULT nextval())`;
  if (constraints.some((c) => c.contype === 'CONSTR_IDENTITY')) return 'GENERATED AS IDENTITY (a sequence value per row)';
  return undefined;
}

export const volatileDefault = defineRule({
  id: 'volatile-default',
  meta: {
    description: 'ADD COLUMN with a volatile DEFAULT on an existing table rewrites the whole table under an ACCESS EXCLUSIVE lock.',
    category: 'safety',
    defaultSeverity: 'warning',
    fix: 'none',
  },
  check(ctx) {
    const { file } = ctx;
    for (const { stmt, alter, start, end, def } of columnsAddedToExistingTables(file)) {
      const why = perRowDefault(def);
      if (!why) continue;
      ctx.report({
        statement: stmt,
        start,
        end,
        message: `Column "${def.colname}" is added to existing table "${qualifiedName(alter.relation)}" with ${why}, so PostgreSQL must compute a value for every existing row: `
          + 'it rewrites the whole table and its indexes while holding an ACCESS EXCLUSIVE lock (no reads or writes). '
          + 'Add the column without the default (or with a constant one), set the default in a separate ALTER COLUMN … SET DEFAULT, and backfill existing rows in batches.',
      });
    }
  },
});
