import { z } from 'zod';
import { applicationTables, findColumn, isTenantsTable, matchesTableGlob, scopedThroughParent, tableLabel, tenancy } from '../catalog/queries';
import { defaultObjectName, quoteIdent } from '../parse/sql/ast';
import { tableObject } from '../rule-kit/object-identity';
import { defineRule } from '../rule-kit/define-rule';
import type { CatalogRuleContext, Fix } from '../rule-kit/types';
import type { Table } from '../catalog/model';
import { insertFields, prismaModelAt } from '../fixes/prisma-edits';

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * The Prisma way: a nullable scalar (typed like the tenants model's id, `@map` to the column when the
 * field is spelled differently) with a comment on the backfill still owed, its relation, and the
 * back-relation on the tenants model (Prisma requires both sides). Undefined when the two models live
 * in different files or the names are taken.
 */
function prismaTenantFix(ctx: CatalogRuleContext<unknown>, table: Table, tenants: Table, column: string): Fix | undefined {
  const at = prismaModelAt(ctx.prisma, table.origin);
  const home = prismaModelAt(ctx.prisma, tenants.origin);
  if (!at || !home || at.file !== home.file || !ctx.prisma || tenants.primaryKey?.columns.length !== 1) return undefined;
  const idColumn = home.table.columns.find((c) => c.name === tenants.primaryKey!.columns[0]);
  const idField = idColumn && home.block.fields.find((f) => f.name.name === idColumn.field);
  if (!idField) return undefined;
  // Spelled like the models that already have it (`tenantId @map("tenant_id")`, or `tenant_id` as is).
  let fieldName = camel(column);
  let dbName = column;
  for (const other of applicationTables(ctx.catalog)) {
    const found = findColumn(other, column);
    const prismaTable = found && ctx.prisma.model.tables.find((p) => p.name === other.name && (p.schema ?? 'public') === other.schema);
    const prismaColumn = prismaTable?.columns.find((c) => c.name === found!.name);
    if (prismaColumn) {
      fieldName = prismaColumn.field;
      dbName = prismaColumn.name;
      break;
    }
  }
  const tenantModel = home.block.name.name;
  const relationName = fieldName.replace(/_?(id|Id|ID)$/, '') || 'tenant';
  const taken = new Set(at.block.fields.map((f) => f.name.name));
  if (taken.has(fieldName) || taken.has(relationName) || relationName === fieldName) return undefined;
  // A second relation between the same two models would need relation names.
  if (at.block.fields.some((f) => f.type.name.name === tenantModel) || home.block.fields.some((f) => f.type.name.name === at.block.name.name)) return undefined;
  const homeTaken = new Set(home.block.fields.map((f) => f.name.name));
  const backName = [`${lowerFirst(at.block.name.name)}s`, at.block.name.name].find((n) => !homeTaken.has(n));
  if (!backName) return undefined;
  const native = idField.attributes.find((a) => a.name.name.startsWith('db.'));
  const attrs = [...(fieldName !== dbName ? [`@map("${dbName}")`] : []), ...(native ? [at.file.text.slice(native.start, native.end)] : [])];
  const own = insertFields(at.file, at.block, [
    // Nullable, as in SQL: existing rows have no tenant until they are backfilled (see the rule's page).
    { name: fieldName, type: `${idField.type.name.name}?`, attributes: attrs, comment: `// TODO: backfill ${fieldName}, then make it required` },
    { name: relationName, type: `${tenantModel}?`, attributes: [`@relation(fields: [${fieldName}], references: [${idField.name.name}])`] },
  ]);
  const back = insertFields(home.file, home.block, [{ name: backName, type: `${at.block.name.name}[]` }]);
  if (!own || !back) return undefined;
  return { title: `Add ${fieldName} (nullable until backfilled) and its ${tenantModel} relation to ${at.block.name.name}`, edits: [...own, ...back] };
}
import { tableReference } from '../fixes/edits';
import { reportPlanned, type PlannedReport } from '../fixes/new-migration';

interface Options {
  column?: string;
  mode?: 'auto' | 'on' | 'off';
  exclude?: string[];
}

export const missingTenantColumn = defineRule<Options>({
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
    const pk = tenants?.primaryKey?.columns.length === 1 ? tenants.columns.find((c) => c.name === tenants.primaryKey!.columns[0] && !c.typeUnknown) : undefined;
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
      if (table.origin.file.endsWith('.prisma')) {
        ctx.report({ origin: table.origin, object: tableObject(table), message, fix: tenants ? prismaTenantFix(ctx, table, tenants, t.column) : undefined });
        continue;
      }
      const col = quoteIdent(spelled);
      // The tenant column leads every tenant query and is a foreign key: it gets its index in the same fix.
      const index = (concurrently: boolean) => `CREATE INDEX${concurrently ? ' CONCURRENTLY' : ''} ${quoteIdent(defaultObjectName(table.name, [spelled], 'idx'))} ON ${tableReference(table)} (${col});`;
      const addColumn = `ALTER TABLE ${tableReference(table)} ADD COLUMN ${col} ${pk?.type} REFERENCES ${tableReference(tenants ?? table)} (${quoteIdent(pk?.name ?? '')});`;
      const backfill = `-- TODO: backfill ${spelled}, then SET NOT NULL`;
      reports.push({
        origin: table.origin,
        object: tableObject(table),
        message,
        plan: tenants && pk ? {
          after: table.origin,
          names: [{ schema: table.schema, table: table.name }, { schema: tenants.schema, table: tenants.name, columns: [pk.name] }],
          // In place the table was created just before: a plain index. In a new migration the table exists.
          up: [addColumn, index(false), backfill],
          upInNewMigration: (concurrently) => [addColumn, index(concurrently), backfill],
          down: [`ALTER TABLE ${tableReference(table)} DROP COLUMN ${col};`],
          title: `Add ${spelled} to ${name}`,
          slug: `add_${t.column}_to_${table.name}`,
        } : undefined,
      });
    }
    reportPlanned(ctx, reports);
  },
});
