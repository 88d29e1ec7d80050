import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Contrib extensions PGlite ships as separate `<name>.tar.gz` bundles that pgvet loads when a migration
 * runs `CREATE EXTENSION` of them. `requires` are loaded too (CREATE EXTENSION … CASCADE needs them present).
 */
export const LOADABLE_EXTENSIONS: Readonly<Record<string, { requires?: string[] }>> = {
  pgcrypto: {},
  'uuid-ossp': {},
  citext: {},
  pg_trgm: {},
  btree_gin: {},
  btree_gist: {},
  hstore: {},
  ltree: {},
  fuzzystrmatch: {},
  unaccent: {},
  intarray: {},
  cube: {},
  earthdistance: { requires: ['cube'] },
  tablefunc: {},
};

/** Extensions compiled into PGlite itself: CREATE EXTENSION works without a bundle. */
const BUILT_IN_EXTENSIONS = new Set(['plpgsql']);

/**
 * Where the `.tar.gz` bundles are. Bundled (dist/extension.js) they sit beside the bundle, as PGlite's own
 * pglite.wasm/pglite.data/initdb.wasm do; from source (tests, tsx) they are in the installed package.
 * PGlite's `@electric-sql/pglite/contrib/*` modules are not used: once bundled they resolve
 * `new URL('../<name>.tar.gz', 'file:' + __filename)`, i.e. one folder *above* dist/.
 */
export function extensionBundleDir(override?: string): string | undefined {
  const candidates: string[] = [];
  if (override) candidates.push(override);
  if (typeof __filename === 'string') candidates.push(dirname(__filename));
  try {
    candidates.push(dirname(require.resolve('@electric-sql/pglite')));
  } catch {
    // Bundled without node_modules: only the folder beside the bundle counts.
  }
  return candidates.find((dir) => existsSync(join(dir, 'pgcrypto.tar.gz')));
}

export type ExtensionAvailability = 'built-in' | 'loadable' | 'unavailable';

export function extensionAvailability(name: string, bundleDir: string | undefined): ExtensionAvailability {
  if (BUILT_IN_EXTENSIONS.has(name)) return 'built-in';
  if (!(name in LOADABLE_EXTENSIONS) || !bundleDir) return 'unavailable';
  return existsSync(join(bundleDir, `${name}.tar.gz`)) ? 'loadable' : 'unavailable';
}

/** The `extensions` option of `PGlite.create` for these names (and what they require): name → bundle URL. */
export function extensionOption(names: Iterable<string>, bundleDir: string): Record<string, URL> {
  const out: Record<string, URL> = {};
  const add = (name: string): void => {
    if (out[name] || extensionAvailability(name, bundleDir) !== 'loadable') return;
    out[name] = pathToFileURL(join(bundleDir, `${name}.tar.gz`));
    for (const r of LOADABLE_EXTENSIONS[name]?.requires ?? []) add(r);
  };
  for (const n of names) add(n);
  return out;
}
