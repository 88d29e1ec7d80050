import type { AlterTableStmt, ViewStmt } from '@pgsql/types';
import { nodesOf } from '../../parse/sql/nodes';
import type { StatementKind } from '../../parse/sql/nodes';
import { creationAcl, ownerOf } from '../privileges';
import { writableSequence, writableTable, writableView } from '../snapshot';
import { findView, note, type ReplayContext } from './context';
import { putFunction } from './functions';
import { changeRelationOwner, changeViewOptions, relOptions } from './owners';
import { enableTriggers } from './triggers';

/** CREATE VIEW … WITH (…) [WITH CHECK OPTION]: the options replace the view's (CREATE OR REPLACE too, as in PostgreSQL). */
export function viewOptions(ctx: ReplayContext, n: ViewStmt): void {
  const view = findView(ctx, n.view);
  if (!view) return;
  const options = relOptions(n.options);
  if (n.withCheckOption === 'LOCAL_CHECK_OPTION') options.check_option = 'local';
  if (n.withCheckOption === 'CASCADED_CHECK_OPTION') options.check_option = 'cascaded';
  view.options = Object.keys(options).length ? options : undefined;
}

/** ALTER VIEW / MATERIALIZED VIEW: SET / RESET (options), OWNER TO, and ENABLE / DISABLE TRIGGER; the rest is not modelled. */
export function alterView(ctx: ReplayContext, n: AlterTableStmt): void {
  const view = findView(ctx, n.relation);
  if (!view) { if (!n.missing_ok) note(ctx, `ALTER VIEW: view "${n.relation?.relname}" is not in the catalog`); return; }
  for (const cmd of nodesOf(n.cmds, 'AlterTableCmd')) {
    if (cmd.subtype === 'AT_SetRelOptions' || cmd.subtype === 'AT_ResetRelOptions') changeViewOptions(view, cmd);
    else if (cmd.subtype === 'AT_ChangeOwner') changeRelationOwner(ctx, view, cmd);
  }
}

/** Statements that may create tables, views, sequences, functions or schemas. */
const CREATING = new Set<StatementKind>(['CreateStmt', 'ViewStmt', 'CreateTableAsStmt', 'SelectStmt', 'CreateSeqStmt', 'CreateFunctionStmt', 'CreateSchemaStmt', 'AlterTableStmt']);

/**
 * Runs a statement's handler; when the history has ALTER DEFAULT PRIVILEGES, the objects the statement created get
 * the ACL those give (PostgreSQL applies them at creation, so later changes to the defaults do not reach them).
 */
export function withDefaultPrivileges(ctx: ReplayContext, kind: StatementKind, run: () => void): void {
  const catalog = ctx.catalog;
  if (catalog.defaultPrivileges.length === 0 || !CREATING.has(kind)) { run(); return; }
  const before = new Set<string>();
  const keys = (visit: (key: string) => void) => {
    for (const s of catalog.schemas.values()) {
      visit(`n ${s.name}`);
      for (const k of s.tables.keys()) visit(`r ${s.name}.${k}`);
      for (const k of s.views.keys()) visit(`r ${s.name}.${k}`);
      for (const k of s.sequences.keys()) visit(`S ${s.name}.${k}`);
      for (const fs of s.functions.values()) for (const f of fs) visit(`f ${s.name}.${f.name}(${f.args.join(',')})`);
    }
  };
  keys((k) => before.add(k));
  run();
  for (const s of catalog.schemas.values()) {
    if (!before.has(`n ${s.name}`) && !s.acl) s.acl = creationAcl(catalog, 'schema', ownerOf(catalog, s), undefined);
    for (const t of s.tables.values()) {
      if (before.has(`r ${s.name}.${t.name}`) || t.acl) continue;
      const acl = creationAcl(catalog, 'table', ownerOf(catalog, t), s.name);
      if (acl) writableTable(catalog, t).acl = acl;
    }
    for (const v of s.views.values()) {
      if (before.has(`r ${s.name}.${v.name}`) || v.acl) continue;
      const acl = creationAcl(catalog, 'table', ownerOf(catalog, v), s.name);
      if (acl) writableView(catalog, v).acl = acl;
    }
    for (const q of s.sequences.values()) {
      if (before.has(`S ${s.name}.${q.name}`) || q.acl) continue;
      const acl = creationAcl(catalog, 'sequence', ownerOf(catalog, q), s.name);
      if (acl) writableSequence(catalog, q).acl = acl;
    }
    for (const f of [...s.functions.values()].flat()) {
      if (before.has(`f ${s.name}.${f.name}(${f.args.join(',')})`) || f.acl) continue;
      const acl = creationAcl(catalog, 'function', ownerOf(catalog, f), s.name);
      if (acl) putFunction(ctx, { ...f, acl });
    }
  }
}

/** ALTER TABLE subcommands of this room: OWNER TO and ENABLE / DISABLE TRIGGER; false for any other. */
export function alterTableSecurity(ctx: ReplayContext, table: Parameters<typeof enableTriggers>[0], cmd: Parameters<typeof enableTriggers>[1]): boolean {
  if (cmd.subtype === 'AT_ChangeOwner') { changeRelationOwner(ctx, table, cmd); return true; }
  return enableTriggers(table, cmd);
}
