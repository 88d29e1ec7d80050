import type { RangeVar } from '@pgsql/types';
import { allTables, type EnumType, type Table, type View } from '../model';
import { writableTable } from '../snapshot';
import { lookupSchemas, lookupTable, note, tablesToChange, type ReplayContext } from './context';
import { quoteIdent } from './names';
import { columnRenamer, enumValueRenamer, expressionTexts, rewriteExpression, sequenceRenamer, tableRenamer, type EditFinder } from './rename-in-texts';
import { printUserType } from './types';

/**
 * Rewrites the expression texts of every table that `find` changes, copying a shared table first (catalog/snapshot.ts).
 */
function rewriteTexts(ctx: ReplayContext, find: EditFinder, subject: string, word: string): void {
  // Cheap filter before parsing: a text that cannot contain the name (in any case or quoting) is left alone.
  const lower = word.toLowerCase();
  const resolve = (rv: RangeVar) => lookupTable(ctx, rv);
  const pending: { table: Table; changes: Map<number, string> }[] = [];
  for (const table of allTables(ctx.catalog)) {
    const changes = new Map<number, string>();
    expressionTexts(table).forEach((t, k) => {
      if (!t.text.toLowerCase().includes(lower)) return;
      const out = rewriteExpression(t.text, [{ alias: table.name, table }], resolve, find);
      if (out === 'unsure') note(ctx, `${subject}: ${t.what} of "${table.name}" may refer to it through a relation the catalog does not know; its text is left as written`);
      else if (out !== undefined) changes.set(k, out);
    });
    if (changes.size) pending.push({ table, changes });
  }
  for (const { table, changes } of pending) {
    const texts = expressionTexts(writableTable(ctx.catalog, table));
    for (const [k, text] of changes) texts[k].set(text);
  }
}

/** RENAME COLUMN: references to the column in index expressions, predicates, CHECKs, generated columns and policies (any table's). */
export function renameColumnInTexts(ctx: ReplayContext, table: Table, from: string, to: string): void {
  rewriteTexts(ctx, columnRenamer(table, from, to, quoteIdent), `column "${from}" of "${table.name}"`, from);
}

/** ALTER SEQUENCE … RENAME: defaults (and any other text) that call nextval/currval/setval on it. Call before the rename. */
export function renameSequenceInTexts(ctx: ReplayContext, schema: string, from: string, to: string): void {
  const refersTo = (names: string[]) => {
    if (names[names.length - 1] !== from) return false;
    if (names.length > 1) return names[names.length - 2] === schema;
    return lookupSchemas(ctx).find((s) => s.sequences.has(from))?.name === schema;
  };
  rewriteTexts(ctx, sequenceRenamer(refersTo, to, quoteIdent), `sequence "${from}"`, from);
}

/** ALTER TYPE … RENAME VALUE: casts to the enum anywhere, and defaults of the enum's columns written as a bare literal. */
export function renameEnumValueInTexts(ctx: ReplayContext, e: EnumType, from: string, to: string): void {
  const isTheEnum = (names: string[]) => {
    if (names[names.length - 1] !== e.name) return false;
    if (names.length > 1) return names[names.length - 2] === e.schema;
    return lookupSchemas(ctx).find((s) => s.enums.has(e.name) || s.otherTypes.has(e.name) || s.tables.has(e.name))?.name === e.schema;
  };
  const type = printUserType(e.schema, e.name);
  rewriteTexts(ctx, enumValueRenamer(isTheEnum, type, from, to), `value '${from}' of enum "${e.name}"`, from);
  const bare = `'${from.replace(/'/g, "''")}'`;
  for (const table of tablesToChange(ctx, (t) => t.columns.some((c) => c.type === type && c.default?.trim() === bare))) {
    for (const c of table.columns) if (c.type === type && c.default?.trim() === bare) c.default = `'${to.replace(/'/g, "''")}'`;
  }
}

/** ALTER TABLE … RENAME TO: the table's name in subqueries (policies) and as a qualifier (`documents.org_id`). Call before the rename. */
export function renameTableInTexts(ctx: ReplayContext, table: Table, to: string): void {
  const refersTo = (rv: RangeVar) => {
    const t = lookupTable(ctx, rv);
    return t !== undefined && t.schema === table.schema && t.name === table.name;
  };
  rewriteTexts(ctx, tableRenamer(refersTo, table, to, quoteIdent), `table "${table.name}"`, table.name);
}

/** A view's or materialized view's column: the expressions and predicates of the indexes on it. */
export function renameViewColumnInTexts(ctx: ReplayContext, view: View, from: string, to: string): void {
  const relation = { schema: view.schema, name: view.name, columns: view.columns ?? [], columnsUnknown: view.columns === undefined };
  const find = columnRenamer(relation, from, to, quoteIdent);
  const resolve = (rv: RangeVar) => lookupTable(ctx, rv);
  const rewrite = (text: string | undefined, set: (s: string) => void, what: string) => {
    if (text === undefined || !text.toLowerCase().includes(from.toLowerCase())) return;
    const out = rewriteExpression(text, [{ alias: view.name, table: relation }], resolve, find);
    if (out === 'unsure') note(ctx, `column "${from}" of "${view.name}": ${what} is left as written`);
    else if (out !== undefined) set(out);
  };
  for (const i of view.indexes) {
    for (const k of i.keys) rewrite(k.expression, (s) => { k.expression = s; }, `index "${i.name}"`);
    rewrite(i.predicate, (s) => { i.predicate = s; }, `predicate of index "${i.name}"`);
  }
}
