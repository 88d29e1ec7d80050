import { applicationTables, tableLabel } from '../catalog/queries';
import { tableObject } from '../rule-kit/object-identity';
import { defineRule } from '../rule-kit/define-rule';
import type { CatalogRuleContext, Fix } from '../rule-kit/types';
import type { Table } from '../catalog/model';
import { addFieldAttribute, prismaModelAt } from '../fixes/prisma-edits';

/** `@id` on the model's field named `id`, when there is one and it is a plain required scalar. */
function prismaIdFix(ctx: CatalogRuleContext<unknown>, table: Table): Fix | undefined {
  const at = prismaModelAt(ctx.prisma, table.origin);
  const field = at?.block.fields.find((f) => f.name.name === 'id');
  if (!at || !field || field.type.optional || field.type.list || !at.table.columns.some((c) => c.field === 'id')) return undefined;
  const edits = addFieldAttribute(at.file, at.block, field, '@id');
  return edits && { title: `Make ${at.block.name.name}.id the primary key (@id)`, edits };
}

/**
 * A Prisma implicit many-to-many table follows its history (see engine/prisma-lint.ts): made before Prisma 6 it
 * has no key, which the schema cannot change (only a Prisma upgrade does); the migration that created it is reported.
 */
function isImplicitJoinTable(ctx: CatalogRuleContext<unknown>, table: Table): boolean {
  return !!ctx.prisma?.model.tables.some((t) => t.kind === 'implicit-join' && t.name === table.name && (t.schema ?? 'public') === table.schema);
}

export const noPrimaryKey = defineRule({
  id: 'no-primary-key',
  meta: {
    description: 'A table without a primary key: its rows cannot be addressed reliably, and logical replication cannot replicate its updates and deletes.',
    category: 'schema',
    defaultSeverity: 'warning',
    // Only in Prisma schemas (`@id` on an `id` field); SQL histories get no fix.
    fix: 'suggestion',
  },
  checkCatalog(ctx) {
    for (const table of applicationTables(ctx.catalog)) {
      if (table.primaryKey || isImplicitJoinTable(ctx, table)) continue;
      const notNull = new Set(table.columns.filter((c) => c.notNull).map((c) => c.name));
      const candidate = table.indexes.find((i) => i.unique && i.predicate === undefined && i.keys.every((k) => k.column !== undefined && notNull.has(k.column)));
      const hint = candidate
        ? ` Its unique index "${candidate.name}" on NOT NULL columns (${candidate.keys.map((k) => k.column).join(', ')}) can become the key: ALTER TABLE … ADD PRIMARY KEY USING INDEX ${candidate.name}.`
        : ' Add a primary key (an identity column if nothing else identifies a row).';
      ctx.report({
        origin: table.origin,
        object: tableObject(table),
        message: `Table "${tableLabel(table)}" has no primary key: rows cannot be addressed reliably (duplicates creep in, ORMs and admin tools cannot edit them), `
          + `and logical replication cannot replicate its UPDATEs and DELETEs without REPLICA IDENTITY FULL.${hint}`,
        fix: table.origin.file.endsWith('.prisma') ? prismaIdFix(ctx, table) : undefined,
      });
    }
  },
});
