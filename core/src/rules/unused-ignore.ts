import { z } from 'zod';
import type { Rule } from '../engine/types';

/**
 * Findings for this rule are produced by the engine after every other rule has run,
 * because only then is it known which ignore comments suppressed something.
 */
export const unusedIgnore: Rule = {
  id: 'unused-ignore',
  meta: {
    description: 'A pgvet-ignore comment that suppressed nothing.',
    category: 'parsing',
    defaultSeverity: 'hint',
    fix: 'safe',
  },
  options: z.object({}).strict(),
  check() {},
};
