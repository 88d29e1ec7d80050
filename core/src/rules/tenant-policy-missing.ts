import { applicationTables, findColumn, policyMentions, tableLabel, tenancy } from '../catalog/queries';
import { tableObject } from '../rule-kit/object-identity';
import { freePolicyName, tableReference, tenantPolicySql } from '../fixes/edits';
import { reportPlanned, type PlannedReport } from '../fixes/new-migration';
import { defineRule } from '../rule-kit/define-rule';

export const tenantPolicyMissing = defineRule({
  id: 'tenant-policy-missing',
  meta: {
    description: 'A table with the tenant column and row level security, but no policy whose USING or WITH CHECK mentions that column.',
    category: 'schema',
    defaultSeverity: 'warning',
    fix: 'suggestion',
  },
  checkCatalog(ctx) {
    const t = tenancy(ctx.catalog, ctx.project);
    if (!t.on) return;
    const reports: PlannedReport[] = [];
    for (const table of applicationTables(ctx.catalog)) {
      const column = findColumn(table, t.column);
      if (!column || !table.rls.enabled || table.policies.some((p) => policyMentions(p, column.name))) continue;
      const name = tableLabel(table);
      const at = table.rls.origin ?? table.origin;
      const policies = table.policies.map((p) => `"${p.name}"`).join(', ');
      const policy = freePolicyName(table.policies);
      reports.push({
        object: tableObject(table),
        origin: at,
        message: `"${name}" has a "${column.name}" column and row level security, but ${policies ? `none of its policies (${policies}) mentions ${column.name}` : 'no policy at all'}: `
          + `nothing keeps one tenant from reading or writing another tenant's rows. Add a policy that compares ${column.name} with the current tenant.`,
        plan: column.typeUnknown ? undefined : {
          after: at,
          names: [{ schema: table.schema, table: table.name, columns: [column.name] }],
          up: [tenantPolicySql(table, column.name, column.type, t.setting, policy)],
          down: [`DROP POLICY ${policy} ON ${tableReference(table)};`],
          title: `Add tenant policy ${policy} on ${name}`,
          slug: `tenant_policy_${table.name}`,
        },
      });
    }
    reportPlanned(ctx, reports);
  },
});
