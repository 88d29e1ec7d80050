import type { CommentStmt } from '@pgsql/types';
import { nodeOf, stringOf } from '../../parse/sql/nodes';
import { writableEnum, writableSequence } from '../snapshot';
import { findIndex, findTable, findView, lookupSchemas, nameListToRangeVar, note, strings, type ReplayContext } from './context';
import { findFunctions, replaceFunction } from './functions';

/**
 * COMMENT ON … IS '…' (pg_description): kept on the object, so renames carry it and drops take it. NULL or '' removes
 * it, as in PostgreSQL. Objects the catalog does not model (databases, roles, operators …) are skipped.
 */
export function comment(ctx: ReplayContext, n: CommentStmt): void {
  const text = n.comment ? n.comment : undefined;
  const set = <T extends { comment?: string }>(o: T): void => {
    if (text === undefined) delete o.comment; else o.comment = text;
  };
  const items = strings(nodeOf(n.object, 'List')?.items);
  const missing = () => note(ctx, `COMMENT ON ${(n.objtype ?? '').replace(/^OBJECT_/, '')}: "${items.join('.') || stringOf(n.object) || ''}" is not in the catalog`);
  switch (n.objtype) {
    case 'OBJECT_TABLE': case 'OBJECT_FOREIGN_TABLE': {
      const table = findTable(ctx, nameListToRangeVar(items));
      return table ? set(table) : missing();
    }
    case 'OBJECT_VIEW': case 'OBJECT_MATVIEW': {
      const view = findView(ctx, nameListToRangeVar(items));
      return view ? set(view) : missing();
    }
    case 'OBJECT_SEQUENCE': {
      const rv = nameListToRangeVar(items);
      const seq = lookupSchemas(ctx, rv.schemaname).map((s) => s.sequences.get(rv.relname)).find((s) => s !== undefined);
      return seq ? set(writableSequence(ctx.catalog, seq)) : missing();
    }
    case 'OBJECT_INDEX': {
      const hit = findIndex(ctx, nameListToRangeVar(items));
      return hit ? set(hit.index) : missing();
    }
    case 'OBJECT_COLUMN': {
      const rel = nameListToRangeVar(items.slice(0, -1));
      const name = items[items.length - 1];
      const owner = findTable(ctx, rel) ?? findView(ctx, rel);
      const column = owner?.columns?.find((c) => c.name === name);
      return column ? set(column) : missing();
    }
    case 'OBJECT_TABCONSTRAINT': case 'OBJECT_TRIGGER': case 'OBJECT_POLICY': {
      const rel = nameListToRangeVar(items.slice(0, -1));
      const name = items[items.length - 1];
      const table = findTable(ctx, rel);
      const view = table ? undefined : findView(ctx, rel);
      const candidates = n.objtype === 'OBJECT_TRIGGER' ? [...(table?.triggers ?? []), ...(view?.triggers ?? [])]
        : n.objtype === 'OBJECT_POLICY' ? table?.policies ?? []
          : table ? [...(table.primaryKey ? [table.primaryKey] : []), ...table.uniqueConstraints, ...table.foreignKeys, ...table.checks] : [];
      const found = candidates.find((c) => c.name === name);
      return found ? set(found) : missing();
    }
    case 'OBJECT_FUNCTION': case 'OBJECT_PROCEDURE': case 'OBJECT_ROUTINE': {
      const hits = findFunctions(ctx, nodeOf(n.object, 'ObjectWithArgs'));
      if (!hits.length) return missing();
      for (const { schema, function: f } of hits) {
        const next = { ...f };
        set(next);
        replaceFunction(schema, f, next);
      }
      return;
    }
    case 'OBJECT_SCHEMA': {
      const schema = ctx.catalog.schemas.get(stringOf(n.object) ?? '');
      return schema ? set(schema) : missing();
    }
    case 'OBJECT_TYPE': case 'OBJECT_DOMAIN': {
      const names = strings(nodeOf(n.object, 'TypeName')?.names);
      const rv = nameListToRangeVar(names);
      const e = lookupSchemas(ctx, rv.schemaname).map((s) => s.enums.get(rv.relname)).find((x) => x !== undefined);
      if (e) set(writableEnum(ctx.catalog, e));
      return; // domains and other types: not modelled beyond their names
    }
    case 'OBJECT_EXTENSION': {
      const ext = ctx.catalog.extensions.get(stringOf(n.object) ?? '');
      if (!ext) return missing();
      const next = { ...ext };
      set(next);
      ctx.catalog.extensions.set(ext.name, next);
      return;
    }
    default:
      return;
  }
}
