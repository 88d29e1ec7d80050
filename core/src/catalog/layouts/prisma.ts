import type { LayoutSpec } from './types';
import { compareText } from './order';
import { baseName, joinPath, parentName } from './paths';
import { oneQueryStringContext } from './query-string';

/** `migrations/<timestamp or number>_<name>/migration.sql`, applied in folder-name order. */
export const prismaLayout: LayoutSpec = {
  id: 'prisma',
  tool: 'Prisma Migrate',
  // Prisma Migrate has no down: a rollback is a new migration (or `migrate diff` run by hand).
  down: 'none',
  matches: (path) => baseName(path) === 'migration.sql' && /^\d+_/.test(parentName(path)),
  isMigrationsFolder: (dir, fs) => fs.list(dir).some((e) => e.isDirectory && fs.readFile(joinPath(joinPath(dir, e.name), 'migration.sql')) !== undefined),
  collect: (dir, fs) =>
    fs.list(dir)
      .filter((e) => e.isDirectory && fs.readFile(joinPath(joinPath(dir, e.name), 'migration.sql')) !== undefined)
      .map((e) => e.name)
      .sort(compareText)
      .map((name) => ({ up: joinPath(joinPath(dir, name), 'migration.sql'), version: name.split('_')[0] })),
  // Prisma before 7.4 sends migration.sql as one simple-protocol query string. 7.4 (prisma-engines #5767, Feb 2026)
  // splits it into statements and sends each alone, but falls back to one string when its SQL parser fails on a
  // statement, as it does on DROP INDEX CONCURRENTLY (prisma-engines #5847, open in July 2026).
  context: (_path, text) => {
    const context = oneQueryStringContext('Prisma Migrate sends migration.sql', text, ' (7.4 and later split it into statements, except when their SQL parser cannot read one, as with DROP INDEX CONCURRENTLY)');
    return context.transactional
      ? { ...context, runsAloneFrom: [{ operations: ['CREATE INDEX CONCURRENTLY', 'VALIDATE CONSTRAINT'], release: 'Prisma 7.4' }] }
      : context;
  },
};
