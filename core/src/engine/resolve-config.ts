import type { z } from 'zod';
import type { AnyRule, SeveritySetting } from '../rule-kit/types';
import { RULES, ruleById } from '../rules';
import { unknownRuleMessage } from './rule-names';
import { markSchemasSet } from './exposure';
import { DEFAULT_PGVET_JSON, pgvetJson, type PgvetJson, type RuleSetting } from '../config/schema';

export interface ResolvedRule {
  rule: AnyRule;
  severity: SeveritySetting;
  options: unknown;
}

export interface ConfigProblem {
  message: string;
  /** JSON path inside the config, e.g. ["rules", "no-such-rule"]. */
  path: (string | number)[];
}

export interface ResolvedConfig {
  project: PgvetJson;
  rules: ResolvedRule[];
  problems: ConfigProblem[];
}

function issuesToProblems(issues: z.core.$ZodIssue[], prefix: (string | number)[] = []): ConfigProblem[] {
  return issues.map((i) => ({
    path: [...prefix, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    message: i.message,
  }));
}

function unknownRules(layer: Record<string, RuleSetting>, where: string): ConfigProblem[] {
  return Object.keys(layer).filter((id) => !ruleById(id)).map((id) => ({ path: [where, id], message: unknownRuleMessage(id) }));
}

/** Validates a parsed pgvet.json; on any problem the defaults are used and the problems are returned. */
export function readProjectConfig(raw: unknown): { config: PgvetJson; problems: ConfigProblem[] } {
  const parsed = pgvetJson.safeParse(raw);
  // An unknown rule name is said, but the rest of the file still applies.
  if (parsed.success) {
    if ((raw as { schemas?: unknown }).schemas !== undefined) markSchemasSet(parsed.data);
    return { config: parsed.data, problems: unknownRules(parsed.data.rules, 'rules') };
  }
  return { config: DEFAULT_PGVET_JSON, problems: issuesToProblems(parsed.error.issues) };
}

/** Reads pgvet.json text: JSON errors and schema errors both fall back to defaults. */
export function readProjectConfigText(text: string): { config: PgvetJson; problems: ConfigProblem[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { config: DEFAULT_PGVET_JSON, problems: [{ path: [], message: `not valid JSON: ${(e as Error).message}` }] };
  }
  return readProjectConfig(raw);
}

/**
 * The rules to run with their severity and options: rule defaults, then pgvet.json,
 * then editor settings (a user's own override wins over the project's file).
 */
export function resolveConfig(project: PgvetJson, overrides: Record<string, RuleSetting> = {}, problems: ConfigProblem[] = []): ResolvedConfig {
  const out: ResolvedConfig = { project, rules: [], problems: [...problems] };
  const layers: [string, Record<string, RuleSetting>][] = [['rules', project.rules], ['pgvet.rules', overrides]];
  // pgvet.json's unknown rules are among `problems` already (readProjectConfig); the settings' are added here.
  for (const p of unknownRules(overrides, 'pgvet.rules')) out.problems.push(p);
  for (const p of unknownRules(project.rules, 'rules')) {
    if (!out.problems.some((q) => q.path.join('\0') === p.path.join('\0'))) out.problems.push(p);
  }
  for (const rule of RULES) {
    let severity: SeveritySetting = rule.meta.defaultSeverity;
    let rawOptions: Record<string, unknown> = {};
    for (const [where, layer] of layers) {
      const setting = layer[rule.id];
      if (setting === undefined) continue;
      if (typeof setting === 'string') severity = setting;
      else {
        severity = setting[0];
        rawOptions = { ...rawOptions, ...setting[1] };
        const check = rule.options.safeParse(rawOptions);
        if (!check.success) {
          out.problems.push(...issuesToProblems(check.error.issues, [where, rule.id, 1]));
          rawOptions = {};
        }
      }
    }
    const options = rule.options.safeParse(rawOptions);
    out.rules.push({ rule, severity, options: options.success ? options.data : rule.defaultOptions });
  }
  return out;
}

export function defaultConfig(): ResolvedConfig {
  return resolveConfig(DEFAULT_PGVET_JSON);
}
