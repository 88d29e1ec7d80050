import { z } from 'zod';
import { tableLabel } from '../catalog/queries';
import type { Table, Trigger } from '../catalog/model';
import { quoteIdent } from '../parse/sql/ast';
import { callsFunction, fires, freeTriggerName, functionNameSql, selectedTables, tableSelection, triggerFixAnchor } from '../rule-kit/audit';
import { tableObject } from '../rule-kit/object-identity';
import { defineRule } from '../rule-kit/define-rule';
import { tableReference } from '../fixes/edits';
import { reportPlanned, type PlannedReport } from '../fixes/new-migration';

const EVENTS = ['insert', 'update', 'delete', 'truncate'] as const;

const options = z.object({
  // Nothing by default: the rule says nothing until pgvet.json names the function.
  function: z.string().min(1).optional(),
  /** Required timing; the fix writes AFTER when none is set. */
  timing: z.enum(['before', 'after']).optional(),
  /** Events the trigger (or the table's triggers calling the function, together) must cover. */
  events: z.array(z.enum(EVENTS)).min(1).default(['insert', 'update', 'delete']),
  level: z.enum(['row', 'statement']).default('row'),
  /** String literals passed to the function (`EXECUTE FUNCTION audit.if_modified_func('true')`), for the fix. */
  arguments: z.array(z.string()).default([]),
  ...tableSelection,
}).strict();

type Options = z.infer<typeof options>;

/** The events that firing triggers calling the function cover, with the configured timing and level. */
function coveredEvents(triggers: readonly Trigger[], o: Options & { function: string }): Set<string> {
  const out = new Set<string>();
  for (const t of triggers) {
    if (!fires(t) || !callsFunction(t, o.function) || t.level !== o.level || (o.timing && t.timing !== o.timing)) continue;
    // UPDATE OF some columns misses the updates of the others.
    for (const e of t.events) if (e !== 'update' || !t.columns?.length) out.add(e);
  }
  return out;
}

function createTriggerSql(table: Table, o: Options & { function: string }, events: readonly string[]): { up: string; down: string } {
  const name = quoteIdent(freeTriggerName(table, 'audit_trigger'));
  const args = o.arguments.map((a) => `'${a.replace(/'/g, "''")}'`).join(', ');
  return {
    up: `CREATE TRIGGER ${name} ${(o.timing ?? 'after').toUpperCase()} ${events.map((e) => e.toUpperCase()).join(' OR ')} ON ${tableReference(table)} `
      + `FOR EACH ${o.level.toUpperCase()} EXECUTE FUNCTION ${functionNameSql(o.function, quoteIdent)}(${args});`,
    down: `DROP TRIGGER ${name} ON ${tableReference(table)};`,
  };
}

export const auditTrigger = defineRule<Options>({
  id: 'audit-trigger',
  meta: {
    description: 'A table without the trigger that calls the project\'s audit function (configured in pgvet.json), so its changes go unrecorded.',
    category: 'schema',
    defaultSeverity: 'off',
    fix: 'suggestion',
  },
  options,
  checkCatalog(ctx) {
    const fn = ctx.options.function;
    if (!fn) return;
    const o = { ...ctx.options, function: fn };
    const reports: PlannedReport[] = [];
    for (const table of selectedTables(ctx.catalog, ctx.project.schemas, o)) {
      // A Prisma schema has no triggers: those of the migrations beside it count.
      const triggers = table.origin.file.endsWith('.prisma') ? ctx.migrationsCatalog?.schemas.get(table.schema)?.tables.get(table.name)?.triggers ?? [] : table.triggers;
      const covered = coveredEvents(triggers, o);
      const missing = o.events.filter((e) => !covered.has(e));
      if (!missing.length) continue;
      const name = tableLabel(table);
      const what = `${o.timing ? `${o.timing.toUpperCase()} ` : ''}${missing.map((e) => e.toUpperCase()).join('/')} ${o.level}-level`;
      const message = `Table "${name}" has no ${what} trigger calling ${fn}(): its changes go unrecorded (audit-trigger in pgvet.json).`;
      if (table.origin.file.endsWith('.prisma')) {
        ctx.report({ origin: table.origin, object: tableObject(table), message });
        continue;
      }
      const sql = createTriggerSql(table, o, missing);
      reports.push({
        origin: table.origin,
        object: tableObject(table),
        message,
        plan: {
          ...triggerFixAnchor(ctx.catalog, ctx.files, table, fn),
          names: [{ schema: table.schema, table: table.name }],
          up: [sql.up],
          down: [sql.down],
          title: `Audit ${name} with ${fn}()`,
          slug: `audit_${table.name}`,
        },
      });
    }
    reportPlanned(ctx, reports);
  },
});
