import type { Node } from '@pgsql/types';
import { allTables } from '../catalog/model';
import { tableLabel } from '../catalog/queries';
import { childrenOf, nodeOf, stringOf } from '../parse/sql/nodes';
import { clauseExpression } from '../rule-kit/policy-clauses';
import { policyObject } from '../rule-kit/object-identity';
import { defineRule } from '../rule-kit/define-rule';

/** Whether an expression reads the request's JWT: auth.jwt(), or current_setting('request.jwt.claims' / 'request.jwt.claim.…'). */
function readsJwt(node: unknown): boolean {
  if (!node || typeof node !== 'object') return false;
  const call = nodeOf(node, 'FuncCall');
  if (call) {
    const name = (call.funcname ?? []).map((n) => stringOf(n)).filter((s) => s !== 'pg_catalog').join('.');
    if (name === 'auth.jwt') return true;
    const setting = nodeOf(call.args?.[0], 'A_Const')?.sval?.sval ?? '';
    if (name === 'current_setting' && setting.startsWith('request.jwt.claim')) return true;
  }
  return childrenOf(node).some(readsJwt);
}

/** The user-editable metadata a policy reads: `<jwt> -> 'user_metadata'`, `<jwt> #>> '{user_metadata,…}'`, or auth.users' raw_user_meta_data. */
function userMetadataReads(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) { for (const n of node) userMetadataReads(n, out); return out; }
  if (!node || typeof node !== 'object') return out;
  const op = nodeOf(node, 'A_Expr');
  if (op && op.kind === 'AEXPR_OP') {
    const name = (op.name ?? []).map((n) => stringOf(n)).join('');
    const key = nodeOf(op.rexpr as Node | undefined, 'A_Const')?.sval?.sval;
    const onKey = (name === '->' || name === '->>') && key === 'user_metadata';
    const onPath = (name === '#>' || name === '#>>') && key !== undefined && /^\{\s*"?user_metadata"?\s*(,|\})/.test(key);
    if ((onKey || onPath) && readsJwt(op.lexpr)) out.push(`the JWT's user_metadata`);
  }
  const column = nodeOf(node, 'ColumnRef');
  if (column && stringOf(column.fields?.at(-1)) === 'raw_user_meta_data') out.push('auth.users.raw_user_meta_data');
  for (const c of childrenOf(node)) userMetadataReads(c, out);
  return out;
}

export const policyReferencesUserMetadata = defineRule({
  id: 'policy-references-user-metadata',
  meta: {
    description: 'A policy reads the JWT\'s user_metadata (or auth.users.raw_user_meta_data), which every signed-in user can change about themselves.',
    category: 'schema',
    defaultSeverity: 'warning',
    fix: 'none',
  },
  checkCatalog(ctx) {
    for (const table of allTables(ctx.catalog)) {
      for (const policy of table.policies) {
        const reads = [...new Set(userMetadataReads([clauseExpression(policy.using), clauseExpression(policy.withCheck)]))];
        if (reads.length === 0) continue;
        ctx.report({
          origin: policy.origin,
          object: policyObject(table, policy, 'user metadata'),
          message: `Policy "${policy.name}" on "${tableLabel(table)}" decides with ${reads.join(' and ')}, which any signed-in user can set for themselves `
            + '(supabase.auth.updateUser({ data: … })): a user can give themselves whatever role or tenant the policy looks for. '
            + 'Keep authorization data in app_metadata (only the service role writes it), or in a table of your own.',
        });
      }
    }
  },
});
