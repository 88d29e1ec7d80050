import { allTables, type Policy, type PolicyCommand } from '../catalog/model';
import { originOrder, tableLabel } from '../catalog/queries';
import { policyObject } from '../rule-kit/object-identity';
import { defineRule } from '../rule-kit/define-rule';

/** The roles both policies apply to (`public` covers every role). */
function sharedRoles(a: Policy, b: Policy): string[] {
  if (a.roles.includes('public')) return b.roles;
  if (b.roles.includes('public')) return a.roles;
  return a.roles.filter((r) => b.roles.includes(r));
}

/** The command both apply to (ALL overlaps each command). */
function sharedCommand(a: PolicyCommand, b: PolicyCommand): PolicyCommand | undefined {
  if (a === b) return a;
  if (a === 'all') return b;
  if (b === 'all') return a;
  return undefined;
}

export const multiplePermissivePolicies = defineRule({
  id: 'multiple-permissive-policies',
  meta: {
    description: 'More than one permissive policy for the same table, role and command: each is evaluated for every row and the results OR-ed.',
    category: 'schema',
    defaultSeverity: 'info',
    fix: 'none',
  },
  checkCatalog(ctx) {
    const order = originOrder(ctx.files);
    for (const table of allTables(ctx.catalog)) {
      const permissive = table.policies.filter((p) => p.permissive).sort((a, b) => order(a.origin) - order(b.origin));
      for (let k = 1; k < permissive.length; k++) {
        const later = permissive[k];
        const overlaps = permissive.slice(0, k).flatMap((earlier) => {
          const roles = sharedRoles(earlier, later);
          const command = sharedCommand(earlier.command, later.command);
          return roles.length && command ? [{ earlier, roles, command }] : [];
        });
        if (overlaps.length === 0) continue;
        const roles = [...new Set(overlaps.flatMap((o) => o.roles))];
        const commands = [...new Set(overlaps.map((o) => o.command.toUpperCase()))];
        const others = overlaps.map((o) => `"${o.earlier.name}"`).join(', ');
        ctx.report({
          origin: later.origin,
          object: policyObject(table, later),
          message: `Policy "${later.name}" on "${tableLabel(table)}" is permissive for ${roles.length === 1 ? 'role' : 'roles'} ${roles.join(', ')} on ${commands.join(', ')}, like ${others}: `
            + `PostgreSQL evaluates every permissive policy for each row and ORs the results, so each such query pays for all of them. Merge them into one policy (conditions joined with OR).`,
        });
      }
    }
  },
});
