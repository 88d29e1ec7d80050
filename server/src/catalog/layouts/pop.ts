import type { LayoutSpec } from './types';
import { baseName } from './paths';

/** gobuffalo/pop (ory kratos): `<14-digit timestamp>_<name>[.postgres].up.sql`. */
export const popLayout: LayoutSpec = {
  id: 'pop',
  matches: (path) => /^\d{14}\d*_.+?(\.postgres)?\.(up|down)\.sql$/.test(baseName(path)),
  context: () => ({
    transactional: true,
    transactionReason: 'pop runs each migration in a transaction',
  }),
};
