import { z } from 'zod';
import type { Catalog, Table, View } from '../catalog/model';
import { allViews, findTable, tableLabel, viewOption } from '../catalog/queries';
import { effectiveAcl, ownerOf } from '../catalog/privileges';
import { apiRolesWith } from '../rule-kit/api-roles';
import { lastOptionsChange } from '../rule-kit/view-definitions';
import { objectReference } from '../fixes/edits';
import { reportPlanned, type PlannedReport } from '../fixes/new-migration';
import { defineRule } from '../rule-kit/define-rule';
import type { HistoryFile } from '../rule-kit/types';
import { stmtOf } from '../parse/sql/ast';

/**
 * The tables with RLS a view reads as its owner, through other views too (a view inside a view also runs as the
 * outer view's owner, or its own). Only tables the owner is exempt from: it owns them and RLS is not forced.
 * A view owned by another role than the table's is left out: the policies then apply to that owner unless it is a
 * superuser or has BYPASSRLS, which the migrations do not tell.
 */
function bypassedTables(catalog: Catalog, view: View, ownersUnknown: boolean): Table[] {
  const owner = ownerOf(catalog, view);
  const out = new Set<Table>();
  const seen = new Set<View>([view]);
  const walk = (v: View) => {
    for (const d of v.dependsOn ?? []) {
      const inner = catalog.schemas.get(d.schema)?.views.get(d.name);
      if (inner) { if (!seen.has(inner)) { seen.add(inner); walk(inner); } continue; }
      const t = findTable(catalog, d);
      if (!t || !t.rls.enabled || t.rls.forced) continue;
      // Who created them is unknown when the history switches roles: only OWNER TO on both tells.
      if (ownersUnknown && (view.owner === undefined || t.owner === undefined)) continue;
      if (ownerOf(catalog, t) === owner) out.add(t);
    }
  };
  walk(view);
  return [...out];
}

/**
 * Whether the history runs statements as another role (SET ROLE, SET SESSION AUTHORIZATION): the catalog takes
 * every object without OWNER TO as the migration role's, which is then not known to be so.
 */
function switchesRole(files: ReadonlyMap<string, HistoryFile>): boolean {
  for (const f of files.values()) {
    for (const s of f.parsed.statements) {
      const name = stmtOf(s, 'VariableSetStmt')?.name;
      if (name === 'role' || name === 'session_authorization') return true;
    }
  }
  return false;
}

/** Someone besides the owner may select from the view (an explicit grant, or Supabase's platform grant in public). */
function readableByOthers(catalog: Catalog, view: View, supabase: boolean): boolean {
  if (apiRolesWith(catalog, view, ['SELECT'], ['anon', 'authenticated'], supabase).length) return true;
  const owner = ownerOf(catalog, view);
  return effectiveAcl(catalog, 'table', view).some((i) => i.privilege === 'SELECT' && i.grantee !== owner)
    || (view.columns ?? []).some((c) => (c.acl ?? []).some((i) => i.privilege === 'SELECT' && i.grantee !== owner));
}

export const viewBypassesRls = defineRule<{ schemas?: string[] }>({
  id: 'view-bypasses-rls',
  meta: {
    description: 'A view in an exposed schema reads a table with row level security as its owner (no security_invoker), so the policies do not filter for the caller.',
    category: 'schema',
    defaultSeverity: 'warning',
    fix: 'suggestion',
  },
  options: z.object({ schemas: z.array(z.string().min(1)).optional() }).strict(),
  checkCatalog(ctx) {
    const { catalog, project } = ctx;
    const schemas = ctx.options.schemas ?? ctx.exposure.schemas;
    const supabase = ctx.exposure.supabase;
    const invokerKnown = project.postgresVersion >= 15;
    const ownersUnknown = switchesRole(ctx.files);
    const reports: PlannedReport[] = [];
    for (const view of allViews(catalog)) {
      if (view.materialized || !schemas.includes(view.schema)) continue;
      if (viewOption(view, 'security_invoker')) continue;
      const tables = bypassedTables(catalog, view, ownersUnknown);
      if (tables.length === 0 || !readableByOthers(catalog, view, supabase)) continue;
      const name = tableLabel(view);
      const ref = objectReference(view.schema, view.name);
      const listed = tables.map((t) => `"${tableLabel(t)}"`).join(', ');
      const head = `View "${name}" reads ${listed}, which ${tables.length > 1 ? 'have' : 'has'} row level security, as the view's owner: `
        + `the owner is exempt from the policies, so whoever may select from the view (in Supabase, anon and authenticated through the Data API) sees every row.`;
      // On the statement that left the view as it is (its last definition, or a later SET / RESET of its options): the fix goes after it.
      const at = lastOptionsChange(ctx.files, catalog, view);
      const object = { kind: 'table' as const, schema: view.schema, table: view.name, aspect: 'view bypasses rls' };
      if (!invokerKnown) {
        reports.push({ origin: at, object, message: `${head} security_invoker needs PostgreSQL 15 (pgvet.json postgresVersion is ${project.postgresVersion}): `
          + 'filter rows in the view itself (with security_barrier), revoke SELECT on it from the API roles, or move it to a schema that is not exposed.' });
        continue;
      }
      reports.push({
        origin: at,
        object,
        message: `${head} Set security_invoker = true (PostgreSQL 15+) so the tables are read with the caller's rights and policies; the callers then need privileges on those tables.`,
        plan: {
          after: at,
          names: [],
          up: [`ALTER VIEW ${ref} SET (security_invoker = true);`],
          down: [`ALTER VIEW ${ref} RESET (security_invoker);`],
          title: `Make ${name} a security_invoker view`,
          slug: `security_invoker_${view.name}`,
        },
      });
    }
    reportPlanned(ctx, reports);
  },
});
