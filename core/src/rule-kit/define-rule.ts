import { z } from 'zod';
import { ruleDocsUrl } from './docs';
import type { Rule, RuleMeta } from './types';

/**
 * A rule as its file declares it. What follows from the rest is left out and filled in by defineRule: the docs
 * URL (from the id, so a rule cannot lose its page), the default options (from the schema, so they are spelled
 * once), and the options schema itself for a rule that takes none.
 */
export interface RuleDefinition<O> extends Omit<Rule<O>, 'meta' | 'options' | 'defaultOptions'> {
  meta: Omit<RuleMeta, 'docsUrl'>;
  /** A strict zod object with a default for every key; absent: the rule takes no options. */
  options?: z.ZodType<O>;
}

const NO_OPTIONS = z.object({}).strict();

/** The rules made by defineRule: the meta-test checks every registered rule is one of them. */
const declared = new WeakSet<object>();

/** Declares a rule once, in the style of typescript-eslint's `createRule`. */
export function defineRule<O = Record<string, never>>(definition: RuleDefinition<O>): Rule<O> {
  const options = definition.options ?? (NO_OPTIONS as unknown as z.ZodType<O>);
  const rule: Rule<O> = {
    ...definition,
    meta: { ...definition.meta, docsUrl: ruleDocsUrl(definition.id) },
    options,
    // Throws at load when a key has no default: the registry would otherwise fail on the first bad setting.
    defaultOptions: options.parse({}),
  };
  declared.add(rule);
  return rule;
}

export function isDeclaredWithDefineRule(rule: object): boolean {
  return declared.has(rule);
}
