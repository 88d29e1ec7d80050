import { z } from 'zod';
import { applicationTables, findColumn, tableLabel, tenancy } from '../catalog/queries';
import { rlsExpectedBecause } from '../rule-kit/rls-expected';
import { tableObject } from '../rule-kit/object-identity';
import { freePolicyName, tableReference, tenantPolicySql } from '../fixes/edits';
import { reportPlanned, type PlannedReport } from '../fixes/new-migration';
import { defineRule } from '../rule-kit/define-rule';

export const rlsDisabled = defineRule<{ mode: 'auto' | 'on' | 'off'; schemas?: string[] }>({
  id: 'rls-disabled',
  meta: {
    description: 'A table in an exposed schema that never gets ENABLE ROW LEVEL SECURITY, in a project that uses RLS.',
    category: 'schema',
    defaultSeverity: 'warning',
    fix: 'suggestion',
  },
  options: z.object({
    mode: z.enum(['auto', 'on', 'off']).default('auto'),
    schemas: z.array(z.string().min(1)).optional(),
  }).strict(),
  checkCatalog(ctx) {
    const { catalog, project, options } = ctx;
    if (options.mode === 'off') return;
    const tenants = tenancy(catalog, project);
    const why = rlsExpectedBecause(catalog, project, ctx.files, options.mode);
    if (why === undefined) return;
    const reports: PlannedReport[] = [];
    for (const table of applicationTables(catalog, options.schemas ?? ctx.exposure.schemas)) {
      if (table.rls.enabled) continue;
      const name = tableLabel(table);
      const disabledLater = table.rls.origin ? ' (a later migration disabled it again)' : '';
      const message = `Row level security is not enabled on "${name}"${disabledLater}, a table in an exposed schema: any role with privileges on it `
        + `(in Supabase, anon and authenticated through the Data API) reads and changes every row. pgvet expects RLS here because ${why}. `
        + `Enable it with ALTER TABLE ${tableReference(table)} ENABLE ROW LEVEL SECURITY and add policies, or leave the table out with the schemas option.`;
      const column = tenants.on ? findColumn(table, tenants.column) : undefined;
      const up = [`ALTER TABLE ${tableReference(table)} ENABLE ROW LEVEL SECURITY;`];
      const down = [`ALTER TABLE ${tableReference(table)} DISABLE ROW LEVEL SECURITY;`];
      if (column && !column.typeUnknown) { // an unknown type cannot be written into the policy's cast
        const policy = freePolicyName(table.policies);
        up.push(tenantPolicySql(table, column.name, column.type, tenants.setting, policy));
        down.unshift(`DROP POLICY ${policy} ON ${tableReference(table)};`);
      }
      reports.push({
        object: tableObject(table),
        origin: table.origin,
        message,
        plan: {
          after: table.origin,
          names: [{ schema: table.schema, table: table.name, columns: column ? [column.name] : [] }],
          up, down,
          title: column ? `Enable row level security on ${name} with a tenant policy` : `Enable row level security on ${name}`,
          slug: `enable_rls_${table.name}`,
        },
      });
    }
    reportPlanned(ctx, reports);
  },
});
