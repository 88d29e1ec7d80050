import { z } from 'zod';
import { LAYOUT_IDS } from '../catalog/layouts/types';

export const SEVERITY_SETTINGS = ['off', 'hint', 'info', 'warning', 'error'] as const;
export const severitySetting = z.enum(SEVERITY_SETTINGS);

/** A rule entry: a severity, or `[severity, options]`. */
export const ruleSetting = z.union([severitySetting, z.tuple([severitySetting, z.record(z.string(), z.unknown())])]);
export type RuleSetting = z.infer<typeof ruleSetting>;

export const tenantOptions = z
  .object({
    column: z.string().min(1).default('tenant_id'),
    table: z.string().min(1).default('tenants'),
    mode: z.enum(['auto', 'on', 'off']).default('auto'),
    setting: z.string().min(1).default('app.tenant_id'),
    exclude: z.array(z.string()).default([]),
  })
  .strict();

/** `pgvet.json` at the workspace root (or the nearest one above the linted file). */
export const pgvetJson = z
  .object({
    $schema: z.string().optional(),
    rules: z.record(z.string(), ruleSetting).default({}),
    migrations: z
      .array(z.object({ path: z.string().min(1), layout: z.enum(LAYOUT_IDS).optional() }).strict())
      .optional(),
    schemas: z.array(z.string().min(1)).default(['public']),
    tenant: tenantOptions.default(tenantOptions.parse({})),
    postgresVersion: z.number().int().min(13).max(18).default(17),
    exclude: z.array(z.string()).default([]),
    /**
     * The last applied migration (name or version) of each history, keyed by its folder relative to pgvet.json
     * (or absolute); a string for every history this file governs. Those up to it are replayed for the catalog only.
     */
    applied: z.union([z.string().min(1), z.record(z.string().min(1), z.string().min(1))]).optional(),
  })
  .strict();

export type PgvetJson = z.infer<typeof pgvetJson>;
export const DEFAULT_PGVET_JSON: PgvetJson = pgvetJson.parse({});
