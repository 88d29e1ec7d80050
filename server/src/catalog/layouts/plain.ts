import type { LayoutSpec } from './types';

/** Any other .sql file: run as written by psql or a plain script runner. */
export const plainLayout: LayoutSpec = {
  id: 'plain',
  matches: () => true,
  context: () => ({
    transactional: false,
    transactionReason: 'a plain SQL file runs as written',
  }),
};
