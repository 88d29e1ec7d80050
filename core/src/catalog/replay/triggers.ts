import type { AlterTableCmd, CreateTrigStmt, DropStmt, RenameStmt } from '@pgsql/types';
import { nodeOf } from '../../parse/sql/nodes';
import type { FunctionSignature, Table, Trigger, TriggerEnabled, TriggerEvent, View } from '../model';
import { findTable, findView, lookupSchemas, nameListToRangeVar, note, strings, tablesToChange, type ReplayContext } from './context';
import { writableView } from '../snapshot';
import { clauseInParens } from './source-text';

/** Triggers (pg_trigger) on tables and views: CREATE [OR REPLACE] [CONSTRAINT] TRIGGER, DROP, RENAME, ENABLE / DISABLE. */

// Bits of CreateTrigStmt.timing and .events, as in PostgreSQL's pg_trigger.h.
const BEFORE = 1 << 1;
const INSTEAD = 1 << 6;
const EVENTS: [number, TriggerEvent][] = [[1 << 2, 'insert'], [1 << 3, 'delete'], [1 << 4, 'update'], [1 << 5, 'truncate']];

/** The trigger function as PostgreSQL resolves it: a function the history created, or one it does not know (built-in, extension). */
function triggerFunction(ctx: ReplayContext, names: string[]): Trigger['function'] {
  const name = names[names.length - 1] ?? '';
  const explicit = names.length > 1 ? names[names.length - 2] : undefined;
  const schema = lookupSchemas(ctx, explicit).find((s) => s.functions.get(name)?.some((f) => f.args.length === 0 && f.kind === 'function'));
  return { ...(schema ? { schema: schema.name } : explicit ? { schema: explicit } : {}), name };
}

/** The table or view a trigger statement names, writable. */
function triggerOwner(ctx: ReplayContext, rel: { schemaname?: string; relname?: string } | undefined): { triggers: Trigger[]; owner: Table | View } | undefined {
  const table = findTable(ctx, rel);
  if (table) return { triggers: table.triggers, owner: table };
  const view = findView(ctx, rel);
  if (view) { view.triggers ??= []; return { triggers: view.triggers, owner: view }; }
  return undefined;
}

export function createTrigger(ctx: ReplayContext, n: CreateTrigStmt): void {
  const target = triggerOwner(ctx, n.relation);
  if (!target) return note(ctx, `CREATE TRIGGER: relation "${n.relation?.relname}" is not in the catalog`);
  const name = n.trigname ?? '';
  const timing = n.timing ?? 0;
  const events = EVENTS.filter(([bit]) => ((n.events ?? 0) & bit) !== 0).map(([, e]) => e);
  const existing = target.triggers.findIndex((t) => t.name === name);
  if (existing >= 0 && !n.replace) return note(ctx, `trigger "${name}" on "${target.owner.name}" already exists`);
  const when = n.whenClause ? clauseInParens(ctx, /when\b/i) : undefined;
  const trigger: Trigger = {
    name,
    timing: timing & INSTEAD ? 'instead of' : timing & BEFORE ? 'before' : 'after',
    events,
    ...(n.columns?.length ? { columns: strings(n.columns) } : {}),
    level: n.row ? 'row' : 'statement',
    function: triggerFunction(ctx, strings(n.funcname)),
    ...(when !== undefined ? { when } : {}),
    enabled: 'origin',
    ...(n.isconstraint ? { constraint: true as const } : {}),
    origin: ctx.origin,
  };
  // OR REPLACE keeps the comment, as it keeps the pg_trigger row.
  const old = existing >= 0 ? target.triggers[existing] : undefined;
  if (old?.comment !== undefined) trigger.comment = old.comment;
  if (old) target.triggers[existing] = trigger; else target.triggers.push(trigger);
}

/** DROP TRIGGER name ON table. */
export function dropTrigger(ctx: ReplayContext, n: DropStmt): void {
  for (const obj of n.objects ?? []) {
    const items = strings(nodeOf(obj, 'List')?.items);
    const name = items[items.length - 1];
    const target = triggerOwner(ctx, nameListToRangeVar(items.slice(0, -1)));
    const at = target?.triggers.findIndex((t) => t.name === name) ?? -1;
    if (target && at >= 0) target.triggers.splice(at, 1);
    else if (!n.missing_ok) note(ctx, `DROP TRIGGER: "${items.join('.')}" is not in the catalog`);
  }
}

/** ALTER TRIGGER name ON table RENAME TO new. */
export function renameTrigger(ctx: ReplayContext, n: RenameStmt): void {
  const target = triggerOwner(ctx, n.relation);
  const at = target?.triggers.findIndex((t) => t.name === n.subname) ?? -1;
  if (!target || at < 0) return note(ctx, `ALTER TRIGGER: "${n.subname}" is not in the catalog`);
  target.triggers[at] = { ...target.triggers[at], name: n.newname ?? '' };
}

const ENABLE: Partial<Record<string, TriggerEnabled>> = {
  AT_EnableTrig: 'origin', AT_DisableTrig: 'disabled', AT_EnableAlwaysTrig: 'always', AT_EnableReplicaTrig: 'replica',
  AT_EnableTrigAll: 'origin', AT_DisableTrigAll: 'disabled', AT_EnableTrigUser: 'origin', AT_DisableTrigUser: 'disabled',
};

/** ALTER TABLE … ENABLE / DISABLE [ALWAYS | REPLICA] TRIGGER name | ALL | USER; true when `cmd` was one. */
export function enableTriggers(table: Table, cmd: AlterTableCmd): boolean {
  const state = cmd.subtype && ENABLE[cmd.subtype];
  if (!state) return false;
  // ALL also covers the internal triggers of foreign keys, which the catalog does not list: the same as USER here.
  const one = cmd.subtype === 'AT_EnableTrig' || cmd.subtype === 'AT_DisableTrig' || cmd.subtype === 'AT_EnableAlwaysTrig' || cmd.subtype === 'AT_EnableReplicaTrig';
  table.triggers = table.triggers.map((t) => (!one || t.name === cmd.name ? { ...t, enabled: state } : t));
  return true;
}

const executes = (f: { schema: string; name: string }) => (t: Trigger) => t.function.schema === f.schema && t.function.name === f.name;

/** DROP FUNCTION … CASCADE: the triggers that execute the function go with it. */
export function dropTriggersOf(ctx: ReplayContext, f: FunctionSignature): void {
  if (f.args.length !== 0) return; // a trigger function takes no arguments
  const uses = executes(f);
  for (const table of tablesToChange(ctx, (t) => t.triggers.some(uses))) table.triggers = table.triggers.filter((t) => !uses(t));
  for (const schema of ctx.catalog.schemas.values()) {
    for (const shared of [...schema.views.values()]) {
      if (!shared.triggers?.some(uses)) continue;
      const view = writableView(ctx.catalog, shared);
      view.triggers = view.triggers!.filter((t) => !uses(t));
    }
  }
}

/** A function was renamed or moved: its triggers follow it (PostgreSQL refers to it by oid). */
export function functionMoved(ctx: ReplayContext, from: FunctionSignature, to: { schema: string; name: string }): void {
  if (from.args.length !== 0) return;
  const uses = executes(from);
  const moved = (t: Trigger) => (uses(t) ? { ...t, function: { schema: to.schema, name: to.name } } : t);
  for (const table of tablesToChange(ctx, (t) => t.triggers.some(uses))) table.triggers = table.triggers.map(moved);
  for (const schema of ctx.catalog.schemas.values()) {
    for (const shared of [...schema.views.values()]) {
      if (!shared.triggers?.some(uses)) continue;
      const view = writableView(ctx.catalog, shared);
      view.triggers = view.triggers!.map(moved);
    }
  }
}
