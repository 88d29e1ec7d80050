import type { DoStmt } from '@pgsql/types';
import { parsePlPgSQLSync, parseSync } from '../../parse/sql/libpg';
import { childrenOf, nodesOf, pathOf, stringOf } from '../../parse/sql/nodes';
import type { SqlStatement } from '../../parse/sql/parser';
import { offsetMapFor } from '../../parse/sql/offsets';
import type { ReplayContext } from './context';

/**
 * The DDL inside a PL/pgSQL DO block, as statements to replay. Migrations often guard DDL this way
 * (`IF NOT EXISTS (SELECT … FROM pg_constraint …) THEN ALTER TABLE … END IF`); the guarded statement is taken as run,
 * and the replay's own "already exists" checks stand in for the guard. Dynamic EXECUTE of a constant string counts;
 * EXECUTE of a built string cannot be followed.
 */
export function doBlockStatements(n: DoStmt): { text: string; stmt: SqlStatement }[] {
  const options = nodesOf(n.args, 'DefElem');
  const language = stringOf(options.find((d) => d.defname === 'language')?.arg);
  if (language && language.toLowerCase() !== 'plpgsql') return [];
  const body = stringOf(options.find((d) => d.defname === 'as')?.arg);
  if (!body || body.includes('$pgvet_do$')) return [];
  let tree: unknown;
  try {
    tree = parsePlPgSQLSync(`CREATE FUNCTION pgvet_do() RETURNS void LANGUAGE plpgsql AS $pgvet_do$${body}$pgvet_do$`);
  } catch {
    return [];
  }
  const out: { text: string; stmt: SqlStatement }[] = [];
  for (const query of embeddedQueries(tree)) {
    let parsed;
    try {
      parsed = parseSync(query);
    } catch {
      continue;
    }
    const map = offsetMapFor(query);
    for (const [index, s] of (parsed.stmts ?? []).entries()) {
      if (!s.stmt) continue;
      out.push({
        text: query,
        stmt: { index, start: 0, end: query.length, status: 'ok', ast: s.stmt, terminated: true, toFileOffset: (loc: number) => map.toUtf16(loc) },
      });
    }
  }
  return out;
}

/** Static SQL statements and constant EXECUTE strings, in the order they appear in the block. */
function embeddedQueries(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => embeddedQueries(n, out));
  else if (node && typeof node === 'object') {
    const exec = pathOf(node, 'PLpgSQL_stmt_execsql', 'sqlstmt', 'PLpgSQL_expr', 'query');
    const dyn = pathOf(node, 'PLpgSQL_stmt_dynexecute', 'query', 'PLpgSQL_expr', 'query');
    if (typeof exec === 'string') out.push(exec);
    else if (typeof dyn === 'string' && /^'(?:[^']|'')*'$/.test(dyn.trim())) out.push(dyn.trim().slice(1, -1).replace(/''/g, "'"));
    else for (const v of childrenOf(node)) if (typeof v === 'object') embeddedQueries(v, out);
  }
  return out;
}

export type NestedApply = (ctx: ReplayContext, text: string, stmt: SqlStatement) => void;
