import type { AlterEnumStmt, CreateEnumStmt } from '@pgsql/types';
import { writableEnum } from '../snapshot';
import { creationSchema, ensureSchema, lookupSchemas, note, strings, tablesToChange, type ReplayContext } from './context';
import { renameEnumValueInTexts } from './rename-dependents';
import { printUserType } from './types';

/** CREATE TYPE … AS ENUM. */
export function createEnum(ctx: ReplayContext, n: CreateEnumStmt): void {
  const names = strings(n.typeName);
  const name = names[names.length - 1];
  const schema = ensureSchema(ctx, creationSchema(ctx, names.length > 1 ? names[names.length - 2] : undefined));
  if (schema.enums.has(name) || schema.otherTypes.has(name)) return note(ctx, `type "${name}" already exists`);
  schema.enums.set(name, { schema: schema.name, name, values: strings(n.vals), origin: ctx.origin });
}

/** Domains, composite, range and base types: only their names matter (columns print them). */
export function createOtherType(ctx: ReplayContext, nameList: unknown): void {
  const names = Array.isArray(nameList) ? strings(nameList) : [];
  if (names.length === 0) return;
  const name = names[names.length - 1];
  const schema = ensureSchema(ctx, creationSchema(ctx, names.length > 1 ? names[names.length - 2] : undefined));
  if (!schema.otherTypes.has(name)) schema.otherTypes.set(name, ctx.origin);
}

export function findEnum(ctx: ReplayContext, names: string[]) {
  const name = names[names.length - 1];
  for (const schema of lookupSchemas(ctx, names.length > 1 ? names[names.length - 2] : undefined)) {
    const e = schema.enums.get(name);
    if (e) return writableEnum(ctx.catalog, e);
  }
  return undefined;
}

/** ALTER TYPE … ADD VALUE [BEFORE/AFTER] / RENAME VALUE. */
export function alterEnum(ctx: ReplayContext, n: AlterEnumStmt): void {
  const e = findEnum(ctx, strings(n.typeName));
  if (!e) return note(ctx, `ALTER TYPE: enum "${strings(n.typeName).join('.')}" is not in the catalog`);
  // ADD VALUE and RENAME VALUE always give the new value.
  const { oldVal, newVal } = n;
  if (newVal === undefined) return;
  if (oldVal !== undefined) {
    const k = e.values.indexOf(oldVal);
    if (k >= 0) { e.values[k] = newVal; renameEnumValueInTexts(ctx, e, oldVal, newVal); }
    return;
  }
  if (e.values.includes(newVal)) return;
  const at = n.newValNeighbor !== undefined ? e.values.indexOf(n.newValNeighbor) : -1;
  if (at < 0) e.values.push(newVal);
  else e.values.splice(n.newValIsAfter ? at + 1 : at, 0, newVal);
}

/** Columns print their type by name, so a renamed or moved type renames the type text of every column that uses it. */
export function retypeColumns(ctx: ReplayContext, oldSchema: string, oldName: string, newSchema: string, newName: string): void {
  const before = printUserType(oldSchema, oldName);
  const after = printUserType(newSchema, newName);
  const uses = (t: { columns: { type: string }[] }) => t.columns.some((c) => c.type === before || c.type === `${before}[]`);
  for (const table of tablesToChange(ctx, uses)) {
    for (const col of table.columns) {
      if (col.type === before) col.type = after;
      else if (col.type === `${before}[]`) col.type = `${after}[]`;
    }
  }
}
