import type { AlterPolicyStmt, CreatePolicyStmt, Node } from '@pgsql/types';
import { nodeOf } from '../../parse/sql/nodes';
import type { Policy, PolicyCommand } from '../model';
import { note, requireTable, type ReplayContext } from './context';
import { clauseInParens } from './source-text';

function roleNames(roles: Node[] | undefined): string[] {
  return (roles ?? []).map((r) => {
    const spec = nodeOf(r, 'RoleSpec') ?? {};
    switch (spec.roletype) {
      case 'ROLESPEC_PUBLIC': return 'public';
      case 'ROLESPEC_CURRENT_USER': return 'current_user';
      case 'ROLESPEC_SESSION_USER': return 'session_user';
      case 'ROLESPEC_CURRENT_ROLE': return 'current_role';
      default: return spec.rolename ?? '';
    }
  });
}

export function createPolicy(ctx: ReplayContext, n: CreatePolicyStmt): void {
  const table = requireTable(ctx, n.table, 'CREATE POLICY');
  if (!table) return;
  if (table.policies.some((p) => p.name === n.policy_name)) return note(ctx, `policy "${n.policy_name}" already exists on "${table.name}"`);
  const policy: Policy = {
    name: n.policy_name ?? '',
    command: (n.cmd_name ?? 'all') as PolicyCommand,
    roles: n.roles?.length ? roleNames(n.roles) : ['public'],
    permissive: n.permissive === true,
    origin: ctx.origin,
  };
  if (n.qual) policy.using = clauseInParens(ctx, /using\b/i);
  if (n.with_check) policy.withCheck = clauseInParens(ctx, /with\s+check\b/i);
  table.policies.push(policy);
}

export function alterPolicy(ctx: ReplayContext, n: AlterPolicyStmt): void {
  const table = requireTable(ctx, n.table, 'ALTER POLICY');
  const policy = table?.policies.find((p) => p.name === n.policy_name);
  if (!policy) return note(ctx, `ALTER POLICY: policy "${n.policy_name}" is not in the catalog`);
  if (n.roles?.length) policy.roles = roleNames(n.roles);
  if (n.qual) policy.using = clauseInParens(ctx, /using\b/i);
  if (n.with_check) policy.withCheck = clauseInParens(ctx, /with\s+check\b/i);
}
