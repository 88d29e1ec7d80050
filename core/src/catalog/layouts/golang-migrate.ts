import type { LayoutSpec } from './types';
import { compareNatural, singleFileUnits, sqlFiles } from './order';
import { baseName, joinPath } from './paths';
import { oneQueryStringContext } from './query-string';

/** `<version>_<name>.up.sql` / `.down.sql`, version a number (not a 14-digit pop timestamp with `.postgres.`). */
export const golangMigrateLayout: LayoutSpec = {
  id: 'golang-migrate',
  tool: 'golang-migrate',
  // `migrate down` runs <version>_<name>.down.sql.
  down: 'file',
  downFileName: (up) => up.replace(/\.up\.sql$/i, '.down.sql'),
  matches: (path) => /^\d+_.+\.(up|down)\.sql$/i.test(baseName(path)),
  isMigrationsFolder: (dir, fs) => sqlFiles(dir, fs).some((n) => /^\d+_.+\.up\.sql$/i.test(n)) && !sqlFiles(dir, fs).some((n) => /\.postgres\.up\.sql$/.test(n)),
  // Versions are unsigned integers; each `<v>_x.up.sql` pairs with `<v>_x.down.sql`.
  collect: (dir, fs) => {
    const names = sqlFiles(dir, fs);
    return singleFileUnits(dir, fs, /^(\d+)_.+\.up\.sql$/i, compareNatural).map((u) => {
      const down = baseName(u.up).replace(/\.up\.sql$/i, '.down.sql');
      return names.includes(down) ? { ...u, down: joinPath(dir, down) } : u;
    });
  },
  // The postgres driver sends the whole file in one Exec without a transaction of its own (unless the URL sets
  // x-multi-statement=true, which splits it on `;`): only a file of several statements becomes one transaction.
  context: (_path, text) => oneQueryStringContext('golang-migrate sends the file', text),
};
