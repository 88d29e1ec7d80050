import type { LayoutSpec } from './types';
import { baseName } from './paths';

/** `<version>_<name>.up.sql` / `.down.sql`, version a number (not a 14-digit pop timestamp with `.postgres.`). */
export const golangMigrateLayout: LayoutSpec = {
  id: 'golang-migrate',
  matches: (path) => /^\d+_.+\.(up|down)\.sql$/i.test(baseName(path)),
  context: () => ({
    // The postgres driver sends the file as one multi-statement query, which PostgreSQL runs as one implicit transaction.
    transactional: true,
    transactionReason: 'golang-migrate sends the file as one multi-statement query, which PostgreSQL runs as a single implicit transaction',
  }),
};
