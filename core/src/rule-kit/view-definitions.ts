import type { Node, RangeVar } from '@pgsql/types';
import type { Catalog, Origin, View } from '../catalog/model';
import { stmtOf } from '../parse/sql/ast';
import { childrenOf, nodeOf } from '../parse/sql/nodes';
import type { HistoryFile } from './types';

/** The statement that gave a view its current query: the last CREATE [OR REPLACE] VIEW of it in the history. */
export interface ViewDefinition {
  origin: Origin;
  query: Node | undefined;
}

function sameView(catalog: Catalog, view: View, rel: RangeVar | undefined): boolean {
  if (!rel || rel.relname !== view.name) return false;
  // Unqualified names are taken to mean the first schema of the search path the history leaves (public mostly).
  return (rel.schemaname ?? catalog.searchPath[0] ?? 'public') === view.schema;
}

/**
 * The catalog keeps a view's first CREATE as its origin, but CREATE OR REPLACE VIEW gives it a new query (and
 * resets its options): a fix must go after the last one, and what the view reads is in the last one's query.
 */
export function lastViewDefinition(files: ReadonlyMap<string, HistoryFile>, catalog: Catalog, view: View): ViewDefinition {
  let found: ViewDefinition = { origin: view.origin, query: undefined };
  for (const f of files.values()) {
    for (const s of f.parsed.statements) {
      const v = stmtOf(s, 'ViewStmt');
      const m = stmtOf(s, 'CreateTableAsStmt');
      const hit = v && !view.materialized && sameView(catalog, view, v.view) ? v.query
        : m && m.objtype === 'OBJECT_MATVIEW' && view.materialized && sameView(catalog, view, m.into?.rel) ? m.query : undefined;
      if (hit) found = { origin: { file: f.path, start: s.start, end: s.end }, query: hit };
    }
  }
  return found;
}

/**
 * Where a statement that sets the view's options must go to stay in force and name it as it is named today: after
 * its last definition, the last ALTER VIEW … SET / RESET (…) of it and the last rename to its name, whichever comes last.
 */
export function lastOptionsChange(files: ReadonlyMap<string, HistoryFile>, catalog: Catalog, view: View): Origin {
  let found = lastViewDefinition(files, catalog, view).origin;
  let passed = false;
  for (const f of files.values()) {
    for (const s of f.parsed.statements) {
      if (f.path === found.file && s.start === found.start) passed = true;
      if (!passed) continue;
      const here = { file: f.path, start: s.start, end: s.end };
      // A later rename to today's name: a statement naming the view by it must come after.
      const rename = stmtOf(s, 'RenameStmt');
      if (rename && (rename.renameType === 'OBJECT_VIEW' || rename.renameType === 'OBJECT_TABLE') && rename.newname === view.name
        && (rename.relation?.schemaname ?? catalog.searchPath[0] ?? 'public') === view.schema) found = here;
      const alter = stmtOf(s, 'AlterTableStmt');
      if (!alter || !sameView(catalog, view, alter.relation)) continue;
      const cmds = (alter.cmds ?? []).map((c) => nodeOf(c, 'AlterTableCmd')?.subtype);
      if (cmds.some((c) => c === 'AT_SetRelOptions' || c === 'AT_ResetRelOptions')) found = here;
    }
  }
  return found;
}

/** Every relation a query names (CTE names included: the caller filters what it looks for). */
export function relationsNamed(query: unknown, out: RangeVar[] = []): RangeVar[] {
  if (Array.isArray(query)) { for (const n of query) relationsNamed(n, out); return out; }
  if (!query || typeof query !== 'object') return out;
  const rv = nodeOf(query, 'RangeVar');
  if (rv) out.push(rv);
  for (const c of childrenOf(query)) relationsNamed(c, out);
  return out;
}

/**
 * Whether a view's query reads auth.users, itself or through views of the catalog. The query is read from the
 * view's last definition: Supabase creates auth.users outside the migrations, so the catalog's dependencies
 * (relations it knows) do not list it.
 */
export function readsAuthUsers(files: ReadonlyMap<string, HistoryFile>, catalog: Catalog, view: View, seen = new Set<View>()): boolean {
  seen.add(view);
  if (relationsNamed(lastViewDefinition(files, catalog, view).query).some((r) => r.schemaname === 'auth' && r.relname === 'users')) return true;
  return (view.dependsOn ?? []).some((d) => {
    const inner = catalog.schemas.get(d.schema)?.views.get(d.name);
    return inner !== undefined && !seen.has(inner) && readsAuthUsers(files, catalog, inner, seen);
  });
}
