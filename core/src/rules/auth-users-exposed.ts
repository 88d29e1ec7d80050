import { allViews, tableLabel, viewOption } from '../catalog/queries';
import { apiRoleOptions, apiRolesWith, roleList } from '../rule-kit/api-roles';
import { lastViewDefinition, readsAuthUsers } from '../rule-kit/view-definitions';
import { defineRule } from '../rule-kit/define-rule';

export const authUsersExposed = defineRule<{ roles: string[]; schemas?: string[] }>({
  id: 'auth-users-exposed',
  meta: {
    description: 'A view in an exposed schema that reads auth.users and that API roles may select from: it publishes what it selects of every user.',
    category: 'schema',
    defaultSeverity: 'error',
    fix: 'none',
  },
  options: apiRoleOptions,
  checkCatalog(ctx) {
    const { catalog, options } = ctx;
    const schemas = options.schemas ?? ctx.exposure.schemas;
    const supabase = ctx.exposure.supabase;
    for (const view of allViews(catalog)) {
      // Materialized views are materialized-view-in-api's (its message names auth.users): one finding per view.
      if (view.materialized || !schemas.includes(view.schema)) continue;
      // A security_invoker view reads auth.users with the caller's rights, which the API roles do not have.
      if (viewOption(view, 'security_invoker')) continue;
      const roles = apiRolesWith(catalog, view, ['SELECT'], options.roles, supabase);
      if (roles.length === 0 || !readsAuthUsers(ctx.files, catalog, view)) continue;
      ctx.report({
        origin: lastViewDefinition(ctx.files, catalog, view).origin,
        object: { kind: 'table', schema: view.schema, table: view.name, aspect: 'auth users exposed' },
        message: `View "${tableLabel(view)}" reads auth.users and ${roleList(roles)} may select from it: `
          + 'the view reads auth.users as its owner, so the API serves what it selects of every user '
          + '(auth.users holds emails, phone numbers, metadata) to anyone who can call it. Keep the public fields in a table of your own (filled by a trigger on auth.users) with policies, or move the view to a schema that is not exposed.',
      });
    }
  },
});
