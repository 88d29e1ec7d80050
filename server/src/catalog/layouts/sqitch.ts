import type { LayoutSpec } from './types';
import { dirName, joinPath, parentName } from './paths';

/** `deploy/`, `revert/`, `verify/` beside a `sqitch.plan`. */
export const sqitchLayout: LayoutSpec = {
  id: 'sqitch',
  matches: (path, _text, fs) =>
    ['deploy', 'revert', 'verify'].includes(parentName(path)) && fs.readFile(joinPath(dirName(dirName(path)), 'sqitch.plan')) !== undefined,
  context: () => ({
    transactional: false,
    transactionReason: 'sqitch runs the script as written (scripts use their own BEGIN/COMMIT)',
  }),
};
