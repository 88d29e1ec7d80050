import { parseSync } from '../parse/sql/libpg';
import { z } from 'zod';
import { allTables, type Policy, type Table } from '../catalog/model';
import { tableLabel } from '../catalog/queries';
import type { FuncCall } from '@pgsql/types';
import { statementTokens, stmtOf, tokenIndexAt } from '../parse/sql/ast';
import { childrenOf, fieldsOf, nodeOf, stringOf } from '../parse/sql/nodes';
import { policyObject } from '../rule-kit/object-identity';
import { defineRule } from '../rule-kit/define-rule';
import type { CatalogRuleContext } from '../rule-kit/types';
import { statementStartingAt } from '../fixes/edits';

interface Options {
  functions: string[];
}

/** Functions whose result does not depend on the row: called directly in a policy they still run once per row. */
const DEFAULT_FUNCTIONS = ['current_setting', 'auth.uid', 'auth.jwt', 'auth.role', 'auth.email', 'requesting_user_id'];

interface Call {
  name: string;
  /** Byte location in the parsed text. */
  location: number;
}

function funcName(node: FuncCall): string {
  return (node.funcname ?? []).map(stringOf).filter((s) => s !== 'pg_catalog').join('.');
}

function mentionsColumns(node: unknown): boolean {
  if (!node || typeof node !== 'object') return false;
  if ('ColumnRef' in (node as object)) return true;
  return childrenOf(node).some(mentionsColumns);
}

/** Calls of the listed functions that are not inside a subquery (a scalar subquery becomes an initPlan, run once). */
function directCalls(node: unknown, wanted: (name: string) => boolean, out: Call[] = []): Call[] {
  if (!node || typeof node !== 'object') return out;
  if (Array.isArray(node)) {
    for (const n of node) directCalls(n, wanted, out);
    return out;
  }
  for (const [key, value] of fieldsOf(node)) {
    if (key === 'SubLink') continue;
    const call = key === 'FuncCall' ? nodeOf(node, 'FuncCall') : undefined;
    if (call) {
      const name = funcName(call);
      // A call on the row's columns cannot be hoisted out of the row loop.
      if (wanted(name) && !mentionsColumns(call.args)) {
        out.push({ name, location: call.location ?? -1 });
        continue;
      }
    }
    directCalls(value, wanted, out);
  }
  return out;
}

/** The range of a call from its name to its closing parenthesis. */
function callRange(ctx: CatalogRuleContext<Options>, policy: Policy, offset: number): { start: number; end: number } | undefined {
  const file = ctx.files.get(policy.origin.file)!;
  const stmt = statementStartingAt(file.parsed, policy.origin.start)!;
  const tokens = statementTokens(file.parsed, stmt);
  let k = tokenIndexAt(tokens, offset);
  if (k < 0) return undefined;
  while (k < tokens.length && tokens[k].text !== '(') k++;
  let depth = 0;
  for (; k < tokens.length; k++) {
    if (tokens[k].text === '(') depth++;
    else if (tokens[k].text === ')' && --depth === 0) return { start: offset, end: tokens[k].end };
  }
  return undefined;
}

export const policyPerRowFunction = defineRule<Options>({
  id: 'policy-per-row-function',
  meta: {
    description: 'A policy calls current_setting(), auth.uid() or a similar function directly instead of (select …), so it runs once per row.',
    category: 'schema',
    defaultSeverity: 'info',
    fix: 'suggestion',
  },
  options: z.object({ functions: z.array(z.string().min(1)).default([]) }).strict(),
  checkCatalog(ctx) {
    const names = new Set([...DEFAULT_FUNCTIONS, ...ctx.options.functions].map((n) => n.toLowerCase()));
    const wanted = (name: string) => names.has(name.toLowerCase());
    for (const table of allTables(ctx.catalog)) {
      for (const policy of table.policies) checkPolicy(ctx, table, policy, wanted);
    }
  },
});

function message(table: Table, policy: Policy, call: string): string {
  return `${call} in policy "${policy.name}" on "${tableLabel(table)}" is evaluated once for every row the query touches. `
    + `Wrap it as (select ${call}): PostgreSQL then runs it once per query as an initPlan, which on large tables is the difference between milliseconds and seconds.`;
}

function checkPolicy(ctx: CatalogRuleContext<Options>, table: Table, policy: Policy, wanted: (name: string) => boolean): void {
  const file = ctx.files.get(policy.origin.file);
  const stmt = file && statementStartingAt(file.parsed, policy.origin.start);
  const create = stmt && stmtOf(stmt, 'CreatePolicyStmt');
  const source = file && stmt ? file.text.slice(stmt.start, stmt.end) : '';
  // The calls are edited in the CREATE POLICY itself only when its clauses are still the policy's (no later ALTER POLICY).
  const current = create && create.policy_name === policy.name && [policy.using, policy.withCheck].every((c) => c === undefined || source.includes(c));
  if (current) {
    const seen = new Set<number>();
    for (const call of directCalls([create.qual, create.with_check], wanted)) {
      const start = stmt.toFileOffset(call.location);
      if (seen.has(start)) continue;
      seen.add(start);
      const range = callRange(ctx, policy, start);
      if (!range) continue;
      const text = file.text.slice(range.start, range.end);
      ctx.report({
        origin: { file: policy.origin.file, start: range.start, end: range.end },
        object: policyObject(table, policy, `per-row ${text.replace(/\s+/g, ' ')}`),
        message: message(table, policy, text),
        fix: { title: `Wrap ${text} in (select …)`, edits: [{ start: range.start, end: range.end, newText: `(select ${text})` }] },
      });
    }
    return;
  }
  // Created inside a DO block, altered later, or from a Prisma schema: report on the policy without an edit.
  const calls = [policy.using, policy.withCheck].flatMap((clause) => {
    if (!clause) return [];
    try {
      return directCalls(parseSync(`SELECT ${clause}`).stmts, wanted).map((c) => `${c.name}()`);
    } catch {
      return [];
    }
  });
  if (calls.length) ctx.report({ origin: policy.origin, object: policyObject(table, policy), message: message(table, policy, [...new Set(calls)].join(', ')) });
}
