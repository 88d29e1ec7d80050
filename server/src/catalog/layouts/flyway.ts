import type { LayoutSpec } from './types';
import { baseName } from './paths';

/** `V<version>__<name>.sql` (and `U…` undo, `R__` repeatable). */
export const flywayLayout: LayoutSpec = {
  id: 'flyway',
  matches: (path) => /^[VUR]\d*(?:[._]\d+)*__.+\.sql$/.test(baseName(path)),
  context: () => ({
    // Flyway's PostgreSQL parser spots statements such as CREATE INDEX CONCURRENTLY and runs that migration outside a transaction.
    transactional: false,
    transactionReason: 'Flyway runs a migration that contains CONCURRENTLY outside a transaction on its own',
  }),
};
