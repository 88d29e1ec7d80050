import { parseSync } from '../parse/sql/libpg';
import type { Node } from '@pgsql/types';
import type { Policy } from '../catalog/model';
import { nodeOf } from '../parse/sql/nodes';

/** A policy clause as the catalog keeps it (its source text) parsed into an expression; undefined when it does not parse. */
export function clauseExpression(text: string | undefined): Node | undefined {
  if (text === undefined) return undefined;
  try {
    const stmt = parseSync(`SELECT ${text}`).stmts?.[0]?.stmt;
    const target = nodeOf(nodeOf(stmt, 'SelectStmt')?.targetList?.[0], 'ResTarget');
    return target?.val;
  } catch {
    return undefined;
  }
}

/** Whether an expression is the constant `true` (`true`, `(true)`, `'t'::boolean`). */
export function isConstantTrue(expr: Node | undefined): boolean {
  const cast = nodeOf(expr, 'TypeCast');
  if (cast) {
    const type = (cast.typeName?.names ?? []).map((n) => nodeOf(n, 'String')?.sval).filter((s) => s !== 'pg_catalog').join('.');
    const value = nodeOf(cast.arg, 'A_Const');
    return (type === 'bool' || type === 'boolean') && ['t', 'true', 'on', 'yes', '1'].includes((value?.sval?.sval ?? '').toLowerCase());
  }
  const c = nodeOf(expr, 'A_Const');
  return c?.boolval?.boolval === true;
}

/** What a policy checks on rows written: WITH CHECK, or USING when it has none (PostgreSQL uses it for both). */
export function effectiveCheck(policy: Policy): string | undefined {
  return policy.withCheck ?? (policy.command === 'all' || policy.command === 'update' ? policy.using : undefined);
}
