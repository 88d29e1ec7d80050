import type { Privilege } from '../catalog/model';
import { applicationTables, tableLabel } from '../catalog/queries';
import { defaultGrants } from '../catalog/privileges';
import { apiRoleOptions, apiRolesWith, roleList } from '../rule-kit/api-roles';
import { rlsDisabledSetting, rlsExpectedBecause } from '../rule-kit/rls-expected';
import { tableObject } from '../rule-kit/object-identity';
import { tableReference } from '../fixes/edits';
import { reportPlanned, type PlannedReport } from '../fixes/new-migration';
import { defineRule } from '../rule-kit/define-rule';

const ROW_PRIVILEGES: Privilege[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];

/** What a caller can do to the rows with these privileges: `reads every row`, `inserts any row and changes every row`. */
function consequences(privileges: readonly Privilege[]): string {
  const has = (p: Privilege) => privileges.includes(p);
  const changes = [has('UPDATE') ? 'updates' : '', has('DELETE') ? 'deletes' : ''].filter(Boolean).join(' and ');
  return [has('SELECT') ? 'reads every row' : '', has('INSERT') ? 'inserts any row' : '', changes ? `${changes} every row` : ''].filter(Boolean).join(', ');
}

export const grantWithoutRls = defineRule<{ roles: string[]; schemas?: string[] }>({
  id: 'grant-without-rls',
  meta: {
    description: 'A table in an exposed schema granted to PUBLIC or an API role (anon, authenticated) while its row level security is off.',
    category: 'schema',
    defaultSeverity: 'warning',
    fix: 'suggestion',
  },
  options: apiRoleOptions,
  checkCatalog(ctx) {
    const { catalog, project, options } = ctx;
    // Tables rls-disabled already reports are left to it: one finding per table without RLS, not two.
    const rlsDisabled = rlsDisabledSetting(project, ctx.exposure.schemas);
    const coveredSchemas = rlsDisabled && rlsExpectedBecause(catalog, project, ctx.files, rlsDisabled.mode) !== undefined ? rlsDisabled.schemas : [];
    const reports: PlannedReport[] = [];
    for (const table of applicationTables(catalog, options.schemas ?? ctx.exposure.schemas)) {
      if (table.rls.enabled || coveredSchemas.includes(table.schema)) continue;
      // Only what the history grants: Supabase's platform grants concern every table, and rls-disabled speaks there.
      const roles = apiRolesWith(catalog, table, ROW_PRIVILEGES, options.roles, false);
      if (roles.length === 0) continue;
      const privileges = ROW_PRIVILEGES.filter((p) => (table.acl ?? []).some((i) => i.privilege === p && roles.includes(i.grantee))
        || table.columns.some((c) => (c.acl ?? []).some((i) => i.privilege === p && roles.includes(i.grantee))));
      const byDefault = defaultGrants(catalog, 'tables', 'SELECT', table.schema).some((d) => roles.includes(d.grantee));
      const name = tableLabel(table);
      const disabledLater = table.rls.origin ? ' (a later migration disabled it)' : '';
      reports.push({
        object: tableObject(table, 'grant without rls'),
        origin: table.origin,
        message: `"${name}" grants ${privileges.join(', ')} to ${roleList(roles)}${byDefault ? ' (ALTER DEFAULT PRIVILEGES grants new tables of its schema to them)' : ''}, `
          + `but row level security is off${disabledLater}: through an API that connects as those roles, anyone ${consequences(privileges)}. `
          + `Enable row level security and add policies for those roles, or revoke the grant.`,
        plan: {
          after: table.origin,
          names: [{ schema: table.schema, table: table.name }],
          up: [`ALTER TABLE ${tableReference(table)} ENABLE ROW LEVEL SECURITY;`],
          down: [`ALTER TABLE ${tableReference(table)} DISABLE ROW LEVEL SECURITY;`],
          title: `Enable row level security on ${name} (then add policies for ${roleList(roles)})`,
          slug: `enable_rls_${table.name}`,
        },
      });
    }
    reportPlanned(ctx, reports);
  },
});
