import { z } from 'zod';
import type { Catalog, Privilege, Table, View } from '../catalog/model';
import { effectiveAcl, PUBLIC } from '../catalog/privileges';
import type { HistoryFile } from './types';

/**
 * Who reaches the database through an HTTP API (PostgREST, Supabase's Data API): Supabase's `anon` and
 * `authenticated`, plus PUBLIC, whose grants every role holds. Rules take the list as an option.
 */
export const DEFAULT_API_ROLES = ['anon', 'authenticated'] as const;

/** The options of the rules about what API roles reach: which roles, and which schemas (default: the exposed ones). */
export const apiRoleOptions = z.object({
  roles: z.array(z.string().min(1)).default([...DEFAULT_API_ROLES]),
  schemas: z.array(z.string().min(1)).optional(),
}).strict();

export function isSupabaseHistory(files: ReadonlyMap<string, HistoryFile>): boolean {
  return [...files.values()].some((f) => f.context.layout === 'supabase');
}

/**
 * The API roles (or `public`) that hold one of `privileges` on a relation. On Supabase the platform, not the
 * migrations, runs `ALTER DEFAULT PRIVILEGES … IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated`:
 * a relation of `public` whose privileges the history never touched (`acl` undefined) is taken as granted to
 * them. Once the history grants or revokes on it, its own ACL is trusted (the platform's grant is then unknown).
 */
export function apiRolesWith(
  catalog: Catalog, relation: Table | View, privileges: readonly Privilege[], apiRoles: readonly string[], supabase: boolean,
): string[] {
  const wanted = new Set([PUBLIC, ...apiRoles]);
  if (supabase && relation.schema === 'public' && relation.acl === undefined) return apiRoles.filter((r) => (DEFAULT_API_ROLES as readonly string[]).includes(r));
  const out = new Set<string>();
  for (const i of effectiveAcl(catalog, 'table', relation)) if (wanted.has(i.grantee) && privileges.includes(i.privilege)) out.add(i.grantee);
  for (const c of relation.columns ?? []) for (const i of c.acl ?? []) if (wanted.has(i.grantee) && privileges.includes(i.privilege)) out.add(i.grantee);
  return [...out];
}

/** How a message names the roles: `PUBLIC`, `anon`, `authenticated`. */
export function roleList(roles: readonly string[]): string {
  return roles.map((r) => (r === PUBLIC ? 'PUBLIC' : r)).join(', ');
}
