import { z } from 'zod';
import { allTables, type Policy, type Table } from '../catalog/model';
import { tableLabel } from '../catalog/queries';
import { PUBLIC } from '../catalog/privileges';
import { DEFAULT_API_ROLES, roleList } from '../rule-kit/api-roles';
import { clauseExpression, effectiveCheck, isConstantTrue } from '../rule-kit/policy-clauses';
import { policyObject } from '../rule-kit/object-identity';
import { defineRule } from '../rule-kit/define-rule';

/** The commands a policy's clauses govern: USING picks the rows updated or deleted, WITH CHECK the rows written. */
const USING_WRITES: ReadonlySet<string> = new Set(['all', 'update', 'delete']);
const CHECK_WRITES: ReadonlySet<string> = new Set(['all', 'update', 'insert']);

/** A restrictive policy for the same command and one of the roles: it is AND-ed, so `true` only means "no more than that". */
function restricted(table: Table, policy: Policy, roles: string[]): boolean {
  return table.policies.some((p) => !p.permissive && (p.command === 'all' || p.command === policy.command || policy.command === 'all')
    && (p.roles.includes(PUBLIC) || p.roles.some((r) => roles.includes(r))));
}

export const policyAlwaysTrue = defineRule<{ roles: string[] }>({
  id: 'policy-always-true',
  meta: {
    description: 'A permissive INSERT, UPDATE, DELETE or ALL policy for PUBLIC or an API role whose USING or WITH CHECK is true: anyone with the role writes any row.',
    category: 'schema',
    defaultSeverity: 'warning',
    fix: 'none',
  },
  options: z.object({ roles: z.array(z.string().min(1)).default([...DEFAULT_API_ROLES]) }).strict(),
  checkCatalog(ctx) {
    const api = new Set([PUBLIC, ...ctx.options.roles]);
    for (const table of allTables(ctx.catalog)) {
      if (!table.rls.enabled) continue; // policy-without-rls speaks about policies PostgreSQL ignores
      for (const policy of table.policies) {
        if (!policy.permissive || policy.command === 'select') continue;
        const roles = policy.roles.filter((r) => api.has(r));
        if (roles.length === 0 || restricted(table, policy, roles)) continue;
        const usingTrue = USING_WRITES.has(policy.command) && isConstantTrue(clauseExpression(policy.using));
        const checkTrue = CHECK_WRITES.has(policy.command) && isConstantTrue(clauseExpression(effectiveCheck(policy)));
        if (!usingTrue && !checkTrue) continue;
        const clauses = [usingTrue && policy.using !== undefined ? 'USING (true)' : '', checkTrue && policy.withCheck !== undefined ? 'WITH CHECK (true)' : ''].filter(Boolean).join(' and ');
        const what = [
          usingTrue ? `${policy.command === 'delete' ? 'delete' : policy.command === 'update' ? 'update' : 'update and delete'} every row` : '',
          checkTrue ? (policy.command === 'insert' ? 'insert any row' : `write any values${policy.command === 'all' ? ', insert included' : ''} (another user's id too)`) : '',
        ].filter(Boolean).join(' and ');
        ctx.report({
          origin: policy.origin,
          object: policyObject(table, policy, 'always true'),
          message: `Policy "${policy.name}" on "${tableLabel(table)}" lets ${roleList(roles)} ${what}: its ${clauses} accepts every row, and permissive policies are OR-ed, so no other policy can narrow it. `
            + 'Compare the row with the caller instead (for example user_id = (select auth.uid())), or add a restrictive policy if this one is meant as the base.',
        });
      }
    }
  },
});
