import { applicationTables, tableLabel } from '../catalog/queries';
import { tableObject } from '../rule-kit/object-identity';
import { tableReference } from '../fixes/edits';
import { reportPlanned, type PlannedReport } from '../fixes/new-migration';
import { defineRule } from '../rule-kit/define-rule';

export const rlsNotForced = defineRule({
  id: 'rls-not-forced',
  meta: {
    description: 'Row level security enabled without FORCE ROW LEVEL SECURITY: the table owner bypasses every policy.',
    category: 'schema',
    defaultSeverity: 'off',
    fix: 'suggestion',
  },
  checkCatalog(ctx) {
    const reports: PlannedReport[] = [];
    for (const table of applicationTables(ctx.catalog)) {
      if (!table.rls.enabled || table.rls.forced) continue;
      const name = tableLabel(table);
      const at = table.rls.origin ?? table.origin;
      reports.push({
        object: tableObject(table),
        origin: at,
        message: `Row level security on "${name}" is not forced: the table owner (usually the role the application and migrations connect as) bypasses every policy. `
          + `Add ALTER TABLE ${tableReference(table)} FORCE ROW LEVEL SECURITY, or connect as a role that does not own the table.`,
        plan: {
          after: at,
          names: [{ schema: table.schema, table: table.name }],
          up: [`ALTER TABLE ${tableReference(table)} FORCE ROW LEVEL SECURITY;`],
          down: [`ALTER TABLE ${tableReference(table)} NO FORCE ROW LEVEL SECURITY;`],
          title: `Force row level security on ${name}`,
          slug: `force_rls_${table.name}`,
        },
      });
    }
    reportPlanned(ctx, reports);
  },
});
