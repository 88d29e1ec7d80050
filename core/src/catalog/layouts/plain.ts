import type { LayoutSpec } from './types';
import { compareNatural, compareText, sqlFiles } from './order';
import { baseName, joinPath } from './paths';

/** Any other .sql file: run as written by psql or a plain script runner. */
export const plainLayout: LayoutSpec = {
  id: 'plain',
  tool: 'A plain folder of SQL files',
  // A folder of SQL files has no tool to roll back with.
  down: 'none',
  matches: () => true,
  // Any folder with several numbered .sql files, or named like a migrations folder.
  isMigrationsFolder: (dir, fs) => {
    const names = sqlFiles(dir, fs);
    return names.length > 0 && (/migrat/i.test(baseName(dir)) || names.filter((n) => /^\d/.test(n)).length >= 2);
  },
  // By name, numbers compared as numbers (`0002-x` before `00010-y`, as runners that parse the leading id do).
  collect: (dir, fs) => sqlFiles(dir, fs).sort((a, b) => compareNatural(a, b) || compareText(a, b)).map((n) => ({ up: joinPath(dir, n), version: /^\d+/.exec(n)?.[0] ?? n })),
  context: () => ({
    transactional: false,
    transactionReason: 'a plain SQL file runs as written',
  }),
};
