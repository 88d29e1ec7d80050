import { defineRule } from '../rule-kit/define-rule';

/**
 * Findings for this rule are produced by the engine after every other rule has run,
 * because only then is it known which ignore comments suppressed something.
 */
export const unusedIgnore = defineRule({
  id: 'unused-ignore',
  meta: {
    description: 'A pgvet-ignore comment that suppressed nothing.',
    category: 'parsing',
    defaultSeverity: 'hint',
    fix: 'safe',
  },
  check() {},
});
