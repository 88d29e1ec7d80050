import { z } from 'zod';
import { ruleSetting } from './schema';

/**
 * The `pgvet.*` settings the language server reads, keyed as in package.json.
 * package.json's `contributes.configuration` is the UI for these; a test keeps both in step
 * (same keys, same defaults).
 */
export const SETTINGS = {
  enable: z.boolean().default(true),
  rules: z.record(z.string(), ruleSetting).default({}),
  // 0: lint once the edits already received are applied. The re-parse of a typed-in file is incremental and a
  // stale lint is dropped before it starts (server/src/handlers/linting.ts), so waiting only added latency: at
  // typing speed (keys 100 ms or more apart) a 20 ms wait linted after every key all the same.
  'lint.debounceMs': z.number().int().min(0).max(5000).default(0),
  configFile: z.string().default(''),
  baseRef: z.string().default(''),
  'trace.server': z.enum(['off', 'messages', 'verbose']).default('off'),
  /** Minutes an unused embedded (shadow) database stays open; fractions allowed (tests), 0 keeps it. */
  'embeddedDatabase.idleMinutes': z.number().min(0).max(1440).default(5),
};

/** A named database connection for EXPLAIN (the password lives in VS Code's SecretStorage, never here). */
export const connectionSetting = z
  .object({
    name: z.string().min(1),
    connectionString: z.string().optional(),
    host: z.string().optional(),
    port: z.number().int().min(1).max(65535).optional(),
    database: z.string().optional(),
    user: z.string().optional(),
    sslmode: z.enum(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']).optional(),
    /** CA certificate file (PEM) that signs the server's certificate, or "system"; as libpq's sslrootcert. */
    sslrootcert: z.string().min(1).optional(),
    /** Client certificate (PEM) and its unencrypted private key, for `cert` authentication. */
    sslcert: z.string().min(1).optional(),
    sslkey: z.string().min(1).optional(),
    /** Role EXPLAIN runs as: `SET LOCAL ROLE` inside each EXPLAIN transaction (the ROLLBACK ends it). */
    explainRole: z.string().min(1).optional(),
  })
  .strict();
export type ConnectionSetting = z.infer<typeof connectionSetting>;

/** Settings only the extension (client) reads: connections and EXPLAIN. */
export const CLIENT_SETTINGS = {
  connections: z.array(connectionSetting).default([]),
  activeConnection: z.string().default(''),
  'explain.statementTimeoutMs': z.number().int().min(100).max(3_600_000).default(30_000),
  'explain.lockTimeoutMs': z.number().int().min(100).max(600_000).default(5_000),
  'explain.sampleRows': z.number().int().min(1).max(100_000).default(200),
  'explain.codeLens': z.boolean().default(true),
};

export interface Settings {
  enable: boolean;
  rules: Record<string, z.infer<typeof ruleSetting>>;
  lint: { debounceMs: number };
  configFile: string;
  /** The git ref whose migrations count as applied; '' for the default (see engine/git-base.ts), 'none' for no base. */
  baseRef: string;
  embeddedDatabase: { idleMinutes: number };
}

export interface SettingsResult {
  settings: Settings;
  /** Values that were not valid and fell back to their default, e.g. "pgvet.lint.debounceMs: …". */
  problems: string[];
}

function lookup(raw: Record<string, unknown>, dotted: string): unknown {
  let at: unknown = raw;
  for (const part of dotted.split('.')) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined;
  return at;
}

/** Reads one client setting from the `pgvet` section; an invalid value gives the default and a problem. */
export function readClientSetting<K extends keyof typeof CLIENT_SETTINGS>(raw: unknown, key: K): { value: z.infer<(typeof CLIENT_SETTINGS)[K]>; problem?: string } {
  const schema = CLIENT_SETTINGS[key];
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { value: parsed.data as z.infer<(typeof CLIENT_SETTINGS)[K]> };
  return { value: schema.parse(undefined) as z.infer<(typeof CLIENT_SETTINGS)[K]>, problem: `pgvet.${key}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join(', ')}` };
}

/** Reads the `pgvet` section; each invalid value falls back to its default and is listed once. */
export function readSettings(raw: unknown): SettingsResult {
  const source = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const problems: string[] = [];
  const value = <K extends keyof typeof SETTINGS>(key: K): z.infer<(typeof SETTINGS)[K]> => {
    const schema = SETTINGS[key];
    const parsed = schema.safeParse(lookup(source, key));
    if (parsed.success) return parsed.data as z.infer<(typeof SETTINGS)[K]>;
    problems.push(`pgvet.${key}: ${parsed.error.issues.map((i) => i.message).join(', ')}`);
    return schema.parse(undefined) as z.infer<(typeof SETTINGS)[K]>;
  };
  return {
    settings: { enable: value('enable'), rules: value('rules'), lint: { debounceMs: value('lint.debounceMs') }, configFile: value('configFile'), baseRef: value('baseRef'), embeddedDatabase: { idleMinutes: value('embeddedDatabase.idleMinutes') } },
    problems,
  };
}
