import type { LayoutSpec } from './types';
import { segments } from './paths';

/** drizzle-kit output: `--> statement-breakpoint` between statements, in a `drizzle/` folder. */
export const drizzleLayout: LayoutSpec = {
  id: 'drizzle',
  matches: (path, text) => text.includes('--> statement-breakpoint') || (segments(path).includes('drizzle') && /^\d{4}_.+\.sql$/.test(segments(path).at(-1) ?? '')),
  context: () => ({
    transactional: true,
    transactionReason: 'drizzle-kit migrate applies pending migrations inside one transaction',
  }),
};
