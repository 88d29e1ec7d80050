import { allViews, tableLabel } from '../catalog/queries';
import { apiRoleOptions, apiRolesWith, roleList } from '../rule-kit/api-roles';
import { lastViewDefinition, readsAuthUsers } from '../rule-kit/view-definitions';
import { objectReference } from '../fixes/edits';
import { newMigrationFix } from '../fixes/new-migration';
import { defineRule } from '../rule-kit/define-rule';

export const materializedViewInApi = defineRule<{ roles: string[]; schemas?: string[] }>({
  id: 'materialized-view-in-api',
  meta: {
    description: 'A materialized view in an exposed schema that API roles (anon, authenticated, PUBLIC) may select from: it has no row level security.',
    category: 'schema',
    defaultSeverity: 'warning',
    fix: 'suggestion',
  },
  options: apiRoleOptions,
  checkCatalog(ctx) {
    const { catalog, options } = ctx;
    const schemas = options.schemas ?? ctx.exposure.schemas;
    const supabase = ctx.exposure.supabase;
    for (const view of allViews(catalog)) {
      if (!view.materialized || !schemas.includes(view.schema)) continue;
      const roles = apiRolesWith(catalog, view, ['SELECT'], options.roles, supabase);
      if (roles.length === 0) continue;
      const name = tableLabel(view);
      const ref = objectReference(view.schema, view.name);
      const granted = view.acl === undefined && supabase ? 'through Supabase\'s default grants on public' : 'by a GRANT';
      const definition = lastViewDefinition(ctx.files, catalog, view);
      // A REVOKE must follow every GRANT of the history: a new migration is the one place sure to.
      const fix = newMigrationFix(ctx.files, definition.origin.file, {
        name: `revoke_api_select_${view.name}`,
        up: () => [`REVOKE SELECT ON ${ref} FROM ${roleList(roles)};`],
        down: () => [`GRANT SELECT ON ${ref} TO ${roleList(roles)};`],
        wantsConcurrently: false,
        title: (m) => `Revoke SELECT on ${name} from ${roleList(roles)} in a new migration (${m.label})`,
      });
      ctx.report({
        origin: definition.origin,
        object: { kind: 'table', schema: view.schema, table: view.name, aspect: 'materialized view in api' },
        message: `Materialized view "${name}" is in an exposed schema and ${roleList(roles)} may select from it (${granted}). `
          + `${readsAuthUsers(ctx.files, catalog, view) ? 'It reads auth.users: what it selects of every user is public. ' : ''}`
          + 'A materialized view has no row level security: every row it stored is served to those roles, whatever the policies of the tables it was built from. '
          + 'Revoke SELECT from the API roles (and serve it through a function or view that filters), or move it to a schema that is not exposed.',
        fix,
      });
    }
  },
});
