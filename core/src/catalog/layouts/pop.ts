import type { LayoutSpec } from './types';
import { compareNatural, compareText, sqlFiles } from './order';
import { baseName, joinPath } from './paths';

/** gobuffalo/pop (ory kratos): `<14-digit timestamp>_<name>[.postgres].up.sql`. */
export const popLayout: LayoutSpec = {
  id: 'pop',
  tool: 'pop',
  // `soda migrate down` runs the .down.sql of the version.
  down: 'file',
  downFileName: (up) => up.replace(/\.up\.sql$/i, '.down.sql'),
  matches: (path) => /^\d{14}\d*_.+?(\.postgres)?\.(up|down)\.sql$/.test(baseName(path)),
  isMigrationsFolder: (dir, fs) => sqlFiles(dir, fs).some((n) => /^\d{14}\d*_.+?\.(postgres\.)?up\.sql$/.test(n)),
  // pop orders by version; for one version the postgres-specific file wins over the dialect-neutral one.
  collect: (dir, fs) => {
    const names = sqlFiles(dir, fs);
    const byKey = new Map<string, { name: string; version: string; dialect: boolean }>();
    for (const name of names) {
      const m = /^(\d{14}\d*)_(.+?)(\.(\w+))?\.up\.sql$/.exec(name);
      if (!m || (m[4] !== undefined && m[4] !== 'postgres')) continue;
      const key = `${m[1]}_${m[2]}`;
      const prior = byKey.get(key);
      if (!prior || (!prior.dialect && m[4] === 'postgres')) byKey.set(key, { name, version: m[1], dialect: m[4] === 'postgres' });
    }
    return [...byKey.entries()]
      .sort(([ka, a], [kb, b]) => compareNatural(a.version, b.version) || compareText(ka, kb))
      .map(([, u]) => {
        const down = u.name.replace(/\.up\.sql$/, '.down.sql');
        return { up: joinPath(dir, u.name), version: u.version, ...(names.includes(down) ? { down: joinPath(dir, down) } : {}) };
      });
  },
  context: () => ({
    transactional: true,
    transactionReason: 'pop runs each migration in a transaction',
  }),
};
