import { childrenOf, isTableRef, nodeOf, type TableRef } from '../../parse/sql/nodes';
import type { QualifiedName } from '../model';
import { lookupSchemas, type ReplayContext } from './context';

/** The tables and views a view's query reads (CTE names left out), resolved as PostgreSQL resolves them when the view is made. */
export function queryDependencies(ctx: ReplayContext, query: unknown): QualifiedName[] {
  const ctes = new Set<string>();
  const rangeVars: TableRef[] = [];
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) { n.forEach(visit); return; }
    if (!n || typeof n !== 'object') return;
    const cte = nodeOf(n, 'CommonTableExpr')?.ctename;
    if (cte) ctes.add(cte);
    const rv = nodeOf(n, 'RangeVar');
    if (isTableRef(rv) && rv.relname) rangeVars.push(rv);
    for (const v of childrenOf(n)) if (typeof v === 'object') visit(v);
  };
  visit(query);
  const out: QualifiedName[] = [];
  for (const rv of rangeVars) {
    if (!rv.schemaname && ctes.has(rv.relname)) continue;
    const schema = lookupSchemas(ctx, rv.schemaname).find((s) => s.tables.has(rv.relname) || s.views.has(rv.relname));
    if (schema && !out.some((d) => d.schema === schema.name && d.name === rv.relname)) out.push({ schema: schema.name, name: rv.relname });
  }
  return out;
}

/**
 * DROP … CASCADE of tables or views: the views and materialized views whose queries read them go too, and the
 * views built on those, as PostgreSQL follows pg_depend.
 */
export function dropDependentViews(ctx: ReplayContext, dropped: QualifiedName[]): void {
  const gone = [...dropped];
  const isGone = (d: QualifiedName) => gone.some((g) => g.schema === d.schema && g.name === d.name);
  for (let changed = true; changed; ) {
    changed = false;
    for (const schema of ctx.catalog.schemas.values()) {
      for (const view of [...schema.views.values()]) {
        if (!view.dependsOn?.some(isGone)) continue;
        schema.views.delete(view.name);
        gone.push({ schema: view.schema, name: view.name });
        changed = true;
      }
    }
  }
}

/** A table or view was renamed or moved to another schema: views that read it keep reading it (PostgreSQL tracks it by oid). */
export function relationMoved(ctx: ReplayContext, from: QualifiedName, to: QualifiedName): void {
  const same = (d: QualifiedName) => d.schema === from.schema && d.name === from.name;
  for (const schema of ctx.catalog.schemas.values()) {
    for (const view of [...schema.views.values()]) {
      if (!view.dependsOn?.some(same)) continue;
      // A new object, not a change: the view may be shared with a snapshot (catalog/snapshot.ts).
      schema.views.set(view.name, { ...view, dependsOn: view.dependsOn.map((d) => (same(d) ? { ...to } : d)) });
    }
  }
}
