import type { Catalog } from '../catalog/model';
import { rlsInUse, tenancy } from '../catalog/queries';
import type { PgvetJson } from '../config/schema';
import { isSupabaseHistory } from './api-roles';
import type { HistoryFile } from './types';

export type RlsDisabledMode = 'auto' | 'on' | 'off';

/**
 * Why rls-disabled expects every table of the exposed schemas to enable RLS, or undefined when it does not: the one
 * place that decides, so grant-without-rls can leave those tables to it (one finding per problem).
 */
export function rlsExpectedBecause(catalog: Catalog, project: PgvetJson, files: ReadonlyMap<string, HistoryFile>, mode: RlsDisabledMode): string | undefined {
  if (mode === 'off') return undefined;
  if (mode === 'on') return 'row level security is on for this project';
  if (rlsInUse(catalog)) return 'other tables of this history enable row level security';
  if (isSupabaseHistory(files)) return 'Supabase exposes the public schema through its Data API';
  // Only declared multi-tenancy: many multi-tenant apps isolate tenants in the application, not with RLS.
  const tenants = tenancy(catalog, project);
  if (tenants.on && tenants.explicit) return 'multi-tenancy is on in pgvet.json';
  return undefined;
}

/** rls-disabled as pgvet.json configures it: off, or its mode and exposed schemas (`exposed` unless its options set them). */
export function rlsDisabledSetting(project: PgvetJson, exposed: string[]): { mode: RlsDisabledMode; schemas: string[] } | undefined {
  const setting = project.rules['rls-disabled'];
  const severity = Array.isArray(setting) ? setting[0] : setting;
  if (severity === 'off') return undefined;
  const options = (Array.isArray(setting) ? setting[1] : {}) as { mode?: unknown; schemas?: unknown };
  const mode = options.mode === 'on' || options.mode === 'off' ? options.mode : 'auto';
  const schemas = Array.isArray(options.schemas) && options.schemas.every((s) => typeof s === 'string') ? options.schemas as string[] : exposed;
  return { mode, schemas };
}
