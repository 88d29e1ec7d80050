import { z } from 'zod';
import { applicationTables, findColumn, isTenantsTable, matchesTableGlob, scopedThroughParent, tableLabel, tenancy } from '../catalog/queries';
import { quoteIdent } from '../engine/statements';
import type { Rule } from '../engine/types';
import { tableReference } from '../fixes/edits';
import { reportPlanned, type PlannedReport } from '../fixes/new-migration';

interface Options {
  column?: string;
  mode?: 'auto' | 'on' | 'off';
  exclude?: string[];
}

export const missingTenantColumn: Rule<Options> = {
  id: 'missing-tenant-column',
  meta: {
    description: 'A table without the tenant column in a multi-tenant schema: its rows belong to no tenant and no tenant policy can isolate them.',
    category: 'schema',
    defaultSeverity: 'warning',
    fix: 'suggestion',
  },
  // Each option falls back to pgvet.json's `tenant` block, which the other tenant rules read too.
  options: z.object({
    column: z.string().min(1).optional(),
    mode: z.enum(['auto', 'on', 'off']).optional(),
    exclude: z.array(z.string()).optional(),
  }).strict(),
  checkCatalog(ctx) {
    const t = tenancy(ctx.catalog, ctx.project, ctx.options);
    if (!t.on) return;
    const tenants = t.tenantsTable;
    const pk = tenants?.primaryKey?.columns.length === 1 ? tenants.columns.find((c) => c.name === tenants.primaryKey!.columns[0]) : undefined;
    // Spell the new column the way the schema already does (`tenantId` in a Prisma-made schema).
    const spelled = applicationTables(ctx.catalog).map((x) => findColumn(x, t.column)?.name).find((n) => n !== undefined) ?? t.column;
    const reports: PlannedReport[] = [];
    for (const table of applicationTables(ctx.catalog, ctx.project.schemas)) {
      if (isTenantsTable(t, table) || table.columnsUnknown || findColumn(table, t.column) || matchesTableGlob(table, t.exclude)) continue;
      // Guessed tenancy stays quiet about tables that belong to a tenant through their parent row.
      if (!t.explicit && scopedThroughParent(ctx.catalog, t, table)) continue;
      const name = tableLabel(table);
      const message = `Table "${name}" has no "${spelled}" column, but this schema is multi-tenant (${t.reason}): its rows belong to no tenant, `
        + `so a tenant policy cannot keep one tenant from another's rows. Add the column${tenants ? ` as a foreign key to "${tableLabel(tenants)}"` : ''}, `
        + `or list the table in tenant.exclude if all tenants share it.`;
      const col = quoteIdent(spelled);
      reports.push({
        origin: table.origin,
        message,
        plan: tenants && pk ? {
          after: table.origin,
          names: [{ schema: table.schema, table: table.name }, { schema: tenants.schema, table: tenants.name, columns: [pk.name] }],
          up: [
            `ALTER TABLE ${tableReference(table)} ADD COLUMN ${col} ${pk.type} REFERENCES ${tableReference(tenants)} (${quoteIdent(pk.name)});`,
            `-- TODO: backfill ${spelled}, then SET NOT NULL`,
          ],
          down: [`ALTER TABLE ${tableReference(table)} DROP COLUMN ${col};`],
          title: `Add ${spelled} to ${name}`,
          slug: `add_${t.column}_to_${table.name}`,
        } : undefined,
      });
    }
    reportPlanned(ctx, reports);
  },
};
