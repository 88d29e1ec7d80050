import type { LayoutSpec } from './types';
import { baseName, parentName } from './paths';

/** `migrations/<14-digit timestamp>_<name>/migration.sql`. */
export const prismaLayout: LayoutSpec = {
  id: 'prisma',
  matches: (path) => baseName(path) === 'migration.sql' && /^\d{14}_/.test(parentName(path)),
  context: () => ({
    transactional: true,
    transactionReason: 'Prisma Migrate runs each migration.sql as one transaction',
  }),
};
