import type { IndexStmt } from '@pgsql/types';
import { nodesOf } from '../../parse/sql/nodes';
import { type Index, type Table, type View } from '../model';
import { findTable, findView, note, relationNameTaken, type ReplayContext } from './context';
import { indexPartitions } from './partitions';
import { indexKeysOf, indexNameAddition, storageOptions } from './index-keys';
import { attemptMemo, recordIndexName } from './name-cache';
import { chooseName } from './names';
import { tailAfter } from './source-text';

/** CREATE [UNIQUE] INDEX on a table or materialized view; an unnamed one gets PostgreSQL's `<table>_<cols>_idx`. */
export function createIndex(ctx: ReplayContext, n: IndexStmt): void {
  const owner: Table | View | undefined = findTable(ctx, n.relation) ?? findView(ctx, n.relation);
  if (!owner) return note(ctx, `CREATE INDEX: table "${n.relation?.relname}" is not in the catalog`);
  const schema = ctx.catalog.schemas.get(owner.schema)!;
  if (n.idxname && relationNameTaken(schema, n.idxname)) {
    if (!n.if_not_exists) note(ctx, `relation "${n.idxname}" already exists`);
    return;
  }
  const location = n.relation?.location;
  const listFrom = ctx.stmt.toFileOffset(location !== undefined && location >= 0 ? location : 0);
  const { keys, names } = indexKeysOf(ctx, n.indexParams ?? [], listFrom);
  const include = nodesOf(n.indexIncludingParams, 'IndexElem').map((e) => e.name).filter((s): s is string => typeof s === 'string');
  const addition = indexNameAddition(names, include);
  const name = n.idxname ?? chooseName(owner.name, addition, 'idx', (x) => relationNameTaken(schema, x), { attempts: attemptMemo(schema), kind: 'relation' });
  const index: Index = { name, keys, include, method: n.accessMethod ?? 'btree', unique: !!n.unique, origin: ctx.origin };
  if (n.whereClause) index.predicate = tailAfter(ctx, /where\b/i);
  const options = storageOptions(n.options);
  if (options.length) index.options = options;
  owner.indexes.push(index);
  recordIndexName(schema, name, false);
  // An index on a partitioned table is created on each partition too (ON ONLY: on the parent alone, attached later).
  if ('kind' in owner && owner.kind === 'partitioned' && n.relation?.inh) indexPartitions(ctx, owner, index, addition);
}
