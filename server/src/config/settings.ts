import { z } from 'zod';
import { ruleSetting } from './schema';

/**
 * The `pgvet.*` VS Code settings as the server sees them. package.json's
 * `contributes.configuration` is the UI for these; a test keeps the two in step.
 */
export const SETTINGS_DEFAULTS = {
  enable: true,
  rules: {} as Record<string, z.infer<typeof ruleSetting>>,
  'lint.debounceMs': 150,
  'lint.onType': true,
  configFile: '',
  'trace.server': 'off' as 'off' | 'messages' | 'verbose',
};

export const settingsSchema = z.object({
  enable: z.boolean().catch(SETTINGS_DEFAULTS.enable),
  rules: z.record(z.string(), ruleSetting).catch(SETTINGS_DEFAULTS.rules),
  lint: z
    .object({
      debounceMs: z.number().int().min(0).max(5000).catch(SETTINGS_DEFAULTS['lint.debounceMs']),
      onType: z.boolean().catch(SETTINGS_DEFAULTS['lint.onType']),
    })
    .catch({ debounceMs: SETTINGS_DEFAULTS['lint.debounceMs'], onType: SETTINGS_DEFAULTS['lint.onType'] }),
  configFile: z.string().catch(SETTINGS_DEFAULTS.configFile),
});

export type Settings = z.infer<typeof settingsSchema>;

export interface SettingsResult {
  settings: Settings;
  /** Values that were not valid and fell back to their default, e.g. "pgvet.lint.debounceMs: expected number". */
  problems: string[];
}

/** Parses raw settings; invalid values fall back to defaults and are listed once. */
export function readSettings(raw: unknown): SettingsResult {
  const source = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const problems: string[] = [];
  const strict = z
    .object({
      enable: z.boolean().optional(),
      rules: z.record(z.string(), ruleSetting).optional(),
      lint: z.object({ debounceMs: z.number().int().min(0).max(5000).optional(), onType: z.boolean().optional() }).partial().optional(),
      configFile: z.string().optional(),
    })
    .safeParse(source);
  if (!strict.success) {
    for (const issue of strict.error.issues) problems.push(`pgvet.${issue.path.join('.')}: ${issue.message}`);
  }
  const fallback = settingsSchema.parse({
    enable: source.enable ?? SETTINGS_DEFAULTS.enable,
    rules: source.rules ?? SETTINGS_DEFAULTS.rules,
    lint: {
      debounceMs: (source.lint as Record<string, unknown> | undefined)?.debounceMs ?? SETTINGS_DEFAULTS['lint.debounceMs'],
      onType: (source.lint as Record<string, unknown> | undefined)?.onType ?? SETTINGS_DEFAULTS['lint.onType'],
    },
    configFile: source.configFile ?? SETTINGS_DEFAULTS.configFile,
  });
  return { settings: fallback, problems };
}
