import { z } from 'zod';
import { applicationTables, findColumn, tableLabel } from '../catalog/queries';
import type { Column, Table } from '../catalog/model';
import { quoteIdent } from '../parse/sql/ast';
import { baseType, callsFunction, fires, freeTriggerName, functionNameSql, isPrismaJoinTable, selectedTables, tableSelection, triggerFixAnchor } from '../rule-kit/audit';
import { tableObject } from '../rule-kit/object-identity';
import { defineRule } from '../rule-kit/define-rule';
import type { CatalogRuleContext, Fix } from '../rule-kit/types';
import { tableReference } from '../fixes/edits';
import { reportPlanned, type PlannedReport } from '../fixes/new-migration';
import { addFieldAttribute, insertFields, prismaModelAt } from '../fixes/prisma-edits';

const column = z.union([
  z.string().min(1),
  z.object({
    name: z.string().min(1),
    /** Required type, compared without typmod (`timestamptz` matches `timestamp(3) with time zone`). */
    type: z.string().min(1).optional(),
    notNull: z.boolean().optional(),
    /** Requires a DEFAULT; the expression is what the fix writes (`now()`). */
    default: z.string().min(1).optional(),
  }).strict(),
]);

interface ColumnSpec { name: string; type?: string; notNull?: boolean; default?: string }

const options = z.object({
  // Nothing by default: the rule says nothing until pgvet.json names the columns.
  columns: z.array(column).default([]),
  /** The column that must be kept current on UPDATE (a BEFORE UPDATE trigger, or Prisma's `@updatedAt`). */
  updatedAt: z.object({ column: z.string().min(1), function: z.string().min(1).optional() }).strict().optional(),
  ...tableSelection,
}).strict();

type Options = z.infer<typeof options>;

const isTimestamp = (name: string) => /(_at|At|_on|On)$/.test(name);
const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** What a present column lacks of its spec, as phrases ("type timestamptz", "NOT NULL"). */
function lacks(c: Column, spec: ColumnSpec): string[] {
  const out: string[] = [];
  if (spec.type && !c.typeUnknown && baseType(c.type) !== baseType(spec.type)) out.push(`type ${spec.type} (it is ${c.type})`);
  if (spec.notNull && !c.notNull) out.push('NOT NULL');
  if (spec.default && c.default === undefined && !c.identity && !c.generated) out.push(`a DEFAULT (${spec.default})`);
  return out;
}

/** The type and default the fix writes for a missing column; undefined when pgvet cannot tell (no type, not a timestamp). */
function addable(spec: ColumnSpec): { type: string; default?: string; notNull: boolean } | undefined {
  const type = spec.type ?? (isTimestamp(spec.name) ? 'timestamptz' : undefined);
  if (!type) return undefined;
  const dflt = spec.default ?? (baseType(type).startsWith('timestamp') ? 'now()' : undefined);
  // NOT NULL without a default fails on a table with rows: only with one.
  return { type, default: dflt, notNull: dflt !== undefined };
}

/** Whether a BEFORE UPDATE row trigger (calling the configured function, when set) keeps the column current. */
function maintainedByTrigger(table: Table | undefined, fn: string | undefined): boolean {
  return !!table?.triggers.some((t) => fires(t) && t.timing === 'before' && t.level === 'row' && t.events.includes('update')
    && (!t.columns || t.columns.length === 0) && (!fn || callsFunction(t, fn)));
}

/** The function other tables' BEFORE UPDATE triggers call, when they all call the same one: what the fix reuses. */
function usualFunction(ctx: CatalogRuleContext<Options>, col: string): string | undefined {
  const names = new Set<string>();
  for (const t of applicationTables(ctx.catalog)) {
    if (!findColumn(t, col)) continue;
    for (const tr of t.triggers) {
      if (tr.timing === 'before' && tr.level === 'row' && tr.events.includes('update')) names.add(tr.function.schema && tr.function.schema !== 'public' ? `${tr.function.schema}.${tr.function.name}` : tr.function.name);
    }
  }
  return names.size === 1 ? [...names][0] : undefined;
}

function triggerSql(table: Table, fn: string, col: string): { up: string; down: string } {
  const name = quoteIdent(freeTriggerName(table, `set_${col}`));
  return {
    up: `CREATE TRIGGER ${name} BEFORE UPDATE ON ${tableReference(table)} FOR EACH ROW EXECUTE FUNCTION ${functionNameSql(fn, quoteIdent)}();`,
    down: `DROP TRIGGER ${name} ON ${tableReference(table)};`,
  };
}

/** The Prisma fix: the missing fields (`DateTime @default(now())`, `@updatedAt` for the maintained one), spelled like other models. */
function prismaAddFix(ctx: CatalogRuleContext<Options>, table: Table, missing: ColumnSpec[], updated?: string): Fix | undefined {
  const at = prismaModelAt(ctx.prisma, table.origin);
  if (!at || !ctx.prisma) return undefined;
  const taken = new Set(at.block.fields.map((f) => f.name.name));
  const fields = [];
  for (const spec of missing) {
    if (!addable(spec) || !baseType(addable(spec)!.type).startsWith('timestamp')) return undefined;
    // Spelled as another model spells it (`createdAt`, or `createdAt @map("created_at")`).
    const like = ctx.prisma.model.tables.flatMap((t) => t.columns).find((c) => c.name === spec.name || c.name === camel(spec.name));
    const field = like?.field ?? camel(spec.name);
    const dbName = like?.name ?? spec.name;
    if (taken.has(field)) return undefined;
    const native = spec.type && baseType(spec.type) === 'timestamp with time zone' ? ['@db.Timestamptz(6)'] : like?.nativeType ? [like.nativeType.name === 'db.Timestamptz' ? '@db.Timestamptz(6)' : `@${like.nativeType.name}${like.nativeType.args.length ? `(${like.nativeType.args.join(', ')})` : ''}`] : [];
    const maintained = updated !== undefined && (spec.name === updated || camel(spec.name) === updated || spec.name === camel(updated));
    fields.push({ name: field, type: 'DateTime', attributes: [maintained ? '@updatedAt' : '@default(now())', ...(field !== dbName ? [`@map("${dbName}")`] : []), ...native] });
  }
  const edits = insertFields(at.file, at.block, fields);
  return edits && { title: `Add ${fields.map((f) => f.name).join(', ')} to ${at.block.name.name}`, edits };
}

export const auditColumns = defineRule<Options>({
  id: 'audit-columns',
  meta: {
    description: 'A table without the audit columns the project requires (created_at, updated_at …), or whose updated_at nothing keeps current.',
    category: 'schema',
    defaultSeverity: 'off',
    fix: 'suggestion',
  },
  options,
  checkCatalog(ctx) {
    const specs: ColumnSpec[] = ctx.options.columns.map((c) => (typeof c === 'string' ? { name: c } : c));
    const updated = ctx.options.updatedAt;
    if (!specs.length && !updated) return;
    const reports: PlannedReport[] = [];
    for (const table of selectedTables(ctx.catalog, ctx.project.schemas, ctx.options)) {
      const name = tableLabel(table);
      // Prisma's implicit many-to-many tables have no model to add a field to, and Prisma alone writes them
      // (their origin is a relation field inside another model, so look the table up by name).
      const prismaTable = ctx.prisma?.model.tables.find((p) => p.name === table.name && (p.schema ?? 'public') === table.schema);
      if (table.origin.file.endsWith('.prisma') && prismaTable?.kind !== 'model') continue;
      // The same tables in Prisma Migrate's SQL: `_Relation ("A", "B")`.
      if (ctx.files.get(table.origin.file)?.context.layout === 'prisma' && isPrismaJoinTable(table)) continue;
      const prismaModel = prismaTable && prismaModelAt(ctx.prisma, prismaTable.source);
      const missing = specs.filter((s) => !findColumn(table, s.name));
      if (updated && !findColumn(table, updated.column) && !missing.some((s) => s.name === updated.column)) missing.push({ name: updated.column });
      if (missing.length) {
        const message = `Table "${name}" has no ${missing.map((s) => `"${s.name}"`).join(', ')} column${missing.length > 1 ? 's' : ''}, which this project requires on every table (audit-columns in pgvet.json).`;
        if (prismaModel) {
          ctx.report({ origin: table.origin, object: tableObject(table, 'missing'), message, fix: prismaAddFix(ctx, table, missing, updated?.column) });
          continue;
        }
        const adds = missing.map((s) => ({ s, a: addable(s) }));
        const fn = updated && (updated.function ?? usualFunction(ctx, updated.column));
        const prismaMigrate = ctx.files.get(table.origin.file)?.context.layout === 'prisma';
        const needsTrigger = updated && (updated.function || !prismaMigrate) && missing.some((s) => s.name === updated.column) && !maintainedByTrigger(table, updated.function);
        const canFix = adds.every((x) => x.a) && (!needsTrigger || fn);
        const trigger = needsTrigger && fn ? triggerSql(table, fn, updated.column) : undefined;
        reports.push({
          origin: table.origin,
          object: tableObject(table, 'missing'),
          message,
          plan: canFix ? {
            ...(trigger && fn ? triggerFixAnchor(ctx.catalog, ctx.files, table, fn) : { after: table.origin }),
            names: [{ schema: table.schema, table: table.name }],
            up: [
              ...adds.map(({ s, a }) => `ALTER TABLE ${tableReference(table)} ADD COLUMN ${quoteIdent(s.name)} ${a!.type}${a!.default ? ` DEFAULT ${a!.default}` : ''}${a!.notNull ? ' NOT NULL' : ''};`),
              ...(trigger ? [trigger.up] : []),
            ],
            down: [...(trigger ? [trigger.down] : []), ...adds.map(({ s }) => `ALTER TABLE ${tableReference(table)} DROP COLUMN ${quoteIdent(s.name)};`)],
            title: `Add ${missing.map((s) => s.name).join(', ')} to ${name}`,
            slug: `add_audit_columns_to_${table.name}`,
          } : undefined,
        });
        continue;
      }
      for (const spec of specs) {
        const c = findColumn(table, spec.name)!;
        const wants = lacks(c, spec);
        if (wants.length) {
          ctx.report({ origin: c.origin, object: tableObject(table, `column ${spec.name}`),
            message: `Column "${c.name}" of "${name}" should have ${wants.join(' and ')}, as audit-columns in pgvet.json requires.` });
        }
      }
      if (!updated) continue;
      const col = findColumn(table, updated.column)!;
      const prismaColumn = prismaModel?.table.columns.find((c) => c.name === col.name);
      const other = ctx.migrationsCatalog?.schemas.get(table.schema)?.tables.get(table.name);
      if (prismaColumn?.updatedAt || maintainedByTrigger(table, updated.function) || maintainedByTrigger(other, updated.function)) continue;
      // Prisma Migrate's SQL cannot show @updatedAt (Prisma Client sets it): only a required trigger function is checked there.
      if (!updated.function && ctx.files.get(table.origin.file)?.context.layout === 'prisma') continue;
      // Nor can a dump of a Prisma-made database: `timestamp(3)` without a DEFAULT is how Prisma writes an @updatedAt field.
      if (!updated.function && col.type === 'timestamp(3) without time zone' && col.default === undefined) continue;
      const by = updated.function ? `a BEFORE UPDATE trigger calling ${updated.function}()` : 'a BEFORE UPDATE trigger';
      const message = `Nothing keeps "${col.name}" of "${name}" current: it needs ${by}${prismaModel ? ' or @updatedAt' : ''}, or it keeps the value it was inserted with.`;
      if (prismaModel) {
        const field = prismaColumn && prismaModel.block.fields.find((f) => f.name.name === prismaColumn.field);
        const edits = field && prismaColumn.prismaType === 'DateTime' && !updated.function ? addFieldAttribute(prismaModel.file, prismaModel.block, field, '@updatedAt') : undefined;
        ctx.report({ origin: col.origin, object: tableObject(table, 'maintained'), message, fix: edits && { title: `Mark ${field!.name.name} @updatedAt`, edits } });
        continue;
      }
      const fn = updated.function ?? usualFunction(ctx, updated.column);
      const trigger = fn ? triggerSql(table, fn, updated.column) : undefined;
      reports.push({
        origin: col.origin,
        object: tableObject(table, 'maintained'),
        message,
        plan: trigger && fn ? {
          ...triggerFixAnchor(ctx.catalog, ctx.files, { ...table, origin: col.origin }, fn),
          names: [{ schema: table.schema, table: table.name }],
          up: [trigger.up],
          down: [trigger.down],
          title: `Keep ${col.name} of ${name} current with ${fn}()`,
          slug: `set_${updated.column}_on_${table.name}`,
        } : undefined,
      });
    }
    reportPlanned(ctx, reports);
  },
});
