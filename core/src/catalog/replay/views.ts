import type { AlterTableStmt, ViewStmt } from '@pgsql/types';
import { nodesOf } from '../../parse/sql/nodes';
import { findView, note, type ReplayContext } from './context';
import { changeRelationOwner, changeViewOptions, relOptions } from './owners';

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
