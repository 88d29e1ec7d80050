import type { DoStmt } from '@pgsql/types';
import { parsePlPgSQLSync, parseSync } from 'libpg-query';
import { childrenOf, nodesOf, pathOf, stringOf } from '../../parse/sql/nodes';
import type { SqlStatement } from '../../parse/sql/parser';
import { offsetMapFor } from '../../parse/sql/offsets';
import type { ReplayContext } from './context';

/**
 * The DDL inside a PL/pgSQL DO block, as statements to replay. Migrations often guard DDL this way
 * (`IF NOT EXISTS (SELECT … FROM pg_constraint …) THEN ALTER TABLE … END IF`); the guarded statement is taken as run,
 * and the replay's own "already exists" checks stand in for the guard. Dynamic EXECUTE of a constant string counts;
 * so does a string built with `||` from literals and variables declared with a constant default (Supabase storage's
 * `anon_role text = COALESCE(current_setting('storage.anon_role', true), 'anon')`, read as its default), marked
 * `folded`; any other built string cannot be followed.
 */
export function doBlockStatements(n: DoStmt): { text: string; stmt: SqlStatement; folded?: true }[] {
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
  const out: { text: string; stmt: SqlStatement; folded?: true }[] = [];
  for (const { query, folded } of embeddedQueries(tree, constantVariables(tree))) {
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
        ...(folded ? { folded } : {}),
      });
    }
  }
  return out;
}

const LITERAL = /^'((?:[^']|'')*)'$/;
const unquote = (literal: string) => literal.slice(1, -1).replace(/''/g, "'");
/** `'x'`, or `COALESCE(current_setting('…', true), 'x')`: a setting read with its default when the setting is not set. */
const SETTING_WITH_DEFAULT = /^coalesce\s*\(\s*current_setting\s*\(\s*'[^']*'\s*,\s*true\s*\)\s*,\s*('(?:[^']|'')*')\s*\)$/i;

/** The block's variables declared with a constant text default. */
function constantVariables(tree: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const datums = pathOf(tree, 'plpgsql_funcs');
  const fn = Array.isArray(datums) ? pathOf(datums[0], 'PLpgSQL_function', 'datums') : undefined;
  for (const d of Array.isArray(fn) ? fn : []) {
    const name = pathOf(d, 'PLpgSQL_var', 'refname');
    const value = pathOf(d, 'PLpgSQL_var', 'default_val', 'PLpgSQL_expr', 'query');
    if (typeof name !== 'string' || typeof value !== 'string') continue;
    const literal = LITERAL.test(value.trim()) ? value.trim() : SETTING_WITH_DEFAULT.exec(value.trim())?.[1];
    if (literal) out.set(name, unquote(literal));
  }
  return out;
}

/** `'grant … to ' || anon_role || ', x'` with every part a literal or a constant variable, as one string; else undefined. */
function fold(expression: string, variables: Map<string, string>): string | undefined {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (c === "'") { i = expression.indexOf("'", i + 1); while (i >= 0 && expression[i + 1] === "'") i = expression.indexOf("'", i + 2); if (i < 0) return undefined; continue; }
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && c === '|' && expression[i + 1] === '|') { parts.push(expression.slice(start, i).trim()); start = i + 2; i++; }
  }
  parts.push(expression.slice(start).trim());
  let out = '';
  for (const p of parts) {
    if (LITERAL.test(p)) out += unquote(p);
    else if (variables.has(p)) out += variables.get(p);
    else return undefined;
  }
  return out;
}

/** Static SQL statements and EXECUTE strings that are constant or fold to one, in the order they appear in the block. */
function embeddedQueries(node: unknown, variables: Map<string, string>, out: { query: string; folded?: true }[] = []): { query: string; folded?: true }[] {
  if (Array.isArray(node)) node.forEach((n) => embeddedQueries(n, variables, out));
  else if (node && typeof node === 'object') {
    const exec = pathOf(node, 'PLpgSQL_stmt_execsql', 'sqlstmt', 'PLpgSQL_expr', 'query');
    const dyn = pathOf(node, 'PLpgSQL_stmt_dynexecute', 'query', 'PLpgSQL_expr', 'query');
    const folded = typeof dyn === 'string' && !LITERAL.test(dyn.trim()) ? fold(dyn.trim(), variables) : undefined;
    if (typeof exec === 'string') out.push({ query: exec });
    else if (typeof dyn === 'string' && LITERAL.test(dyn.trim())) out.push({ query: unquote(dyn.trim()) });
    else if (folded !== undefined) out.push({ query: folded, folded: true });
    else for (const v of childrenOf(node)) if (typeof v === 'object') embeddedQueries(v, variables, out);
  }
  return out;
}

export type NestedApply = (ctx: ReplayContext, text: string, stmt: SqlStatement) => void;
