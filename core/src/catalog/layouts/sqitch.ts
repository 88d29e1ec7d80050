import type { LayoutSpec, MigrationUnit } from './types';
import { dirName, joinPath, parentName } from './paths';

/** `deploy/`, `revert/`, `verify/` beside a `sqitch.plan`. */
export const sqitchLayout: LayoutSpec = {
  id: 'sqitch',
  tool: 'Sqitch',
  // `sqitch revert` runs revert/<change>.sql.
  down: 'file',
  downFileName: (up) => `../revert/${up}`,
  matches: (path, _text, fs) =>
    ['deploy', 'revert', 'verify'].includes(parentName(path)) && fs.readFile(joinPath(dirName(dirName(path)), 'sqitch.plan')) !== undefined,
  isMigrationsFolder: (dir, fs) => fs.readFile(joinPath(dir, 'sqitch.plan')) !== undefined,
  // The plan lists changes in deploy order; a change's name maps to deploy/<name>.sql and revert/<name>.sql.
  collect: (dir, fs) => {
    const plan = fs.readFile(joinPath(dir, 'sqitch.plan')) ?? '';
    const units: MigrationUnit[] = [];
    for (const line of plan.split(/\r?\n/)) {
      const m = /^\s*([^\s%#@][^\s]*?)(?:@\S+)?\s/.exec(line + ' ');
      if (!m || line.trim().startsWith('%')) continue;
      const change = m[1];
      const up = joinPath(joinPath(dir, 'deploy'), `${change}.sql`);
      if (fs.readFile(up) === undefined) continue;
      const down = joinPath(joinPath(dir, 'revert'), `${change}.sql`);
      units.push({ up, version: change, ...(fs.readFile(down) !== undefined ? { down } : {}) });
    }
    return units;
  },
  context: () => ({
    transactional: false,
    transactionReason: 'sqitch runs the script as written (scripts use their own BEGIN/COMMIT)',
  }),
};
