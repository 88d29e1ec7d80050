import { applicationTables, findColumn, tableLabel, tenancy } from '../catalog/queries';
import { tableObject } from '../rule-kit/object-identity';
import { tableReference, tenantPolicySql } from '../fixes/edits';
import { reportPlanned, type PlannedReport } from '../fixes/new-migration';
import { defineRule } from '../rule-kit/define-rule';

export const rlsEnabledNoPolicy = defineRule({
  id: 'rls-enabled-no-policy',
  meta: {
    description: 'Row level security enabled on a table that has no policy: every role but the owner sees zero rows.',
    category: 'schema',
    defaultSeverity: 'info',
    fix: 'suggestion',
  },
  checkCatalog(ctx) {
    const tenants = tenancy(ctx.catalog, ctx.project);
    const reports: PlannedReport[] = [];
    for (const table of applicationTables(ctx.catalog)) {
      if (!table.rls.enabled || table.policies.length > 0) continue;
      const name = tableLabel(table);
      const at = table.rls.origin ?? table.origin;
      const column = tenants.on ? findColumn(table, tenants.column) : undefined;
      reports.push({
        object: tableObject(table),
        origin: at,
        message: `Row level security is enabled on "${name}" but it has no policy: every role except the table owner (and superusers or BYPASSRLS roles) `
          + `sees no rows and cannot insert, update or delete any. Add a policy${column ? ` (e.g. one on ${column.name})` : ''}; if only the owner or a service role should reach the table, this is intended.`,
        plan: column && !column.typeUnknown ? {
          after: at,
          names: [{ schema: table.schema, table: table.name, columns: [column.name] }],
          up: [tenantPolicySql(table, column.name, column.type, tenants.setting, 'tenant_isolation')],
          down: [`DROP POLICY tenant_isolation ON ${tableReference(table)};`],
          title: `Add a tenant policy on ${name}`,
          slug: `tenant_policy_${table.name}`,
        } : undefined,
      });
    }
    reportPlanned(ctx, reports);
  },
});
