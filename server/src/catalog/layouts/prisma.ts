import type { LayoutSpec } from './types';
import { compareText } from './order';
import { baseName, joinPath, parentName } from './paths';

/** `migrations/<timestamp or number>_<name>/migration.sql`, applied in folder-name order. */
export const prismaLayout: LayoutSpec = {
  id: 'prisma',
  matches: (path) => baseName(path) === 'migration.sql' && /^\d+_/.test(parentName(path)),
  isMigrationsFolder: (dir, fs) => fs.list(dir).some((e) => e.isDirectory && fs.readFile(joinPath(joinPath(dir, e.name), 'migration.sql')) !== undefined),
  collect: (dir, fs) =>
    fs.list(dir)
      .filter((e) => e.isDirectory && fs.readFile(joinPath(joinPath(dir, e.name), 'migration.sql')) !== undefined)
      .map((e) => e.name)
      .sort(compareText)
      .map((name) => ({ up: joinPath(joinPath(dir, name), 'migration.sql'), version: name.split('_')[0] })),
  context: () => ({
    transactional: true,
    transactionReason: 'Prisma Migrate runs each migration.sql as one transaction',
  }),
};
