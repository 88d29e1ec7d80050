// Bundles the extension, the language server and the CLI into dist/, with the parser's WASM beside them.
import { build, context } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, chmodSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

/**
 * PGlite's ESM build finds its WASM through `import.meta.url`, which a CommonJS bundle does not have
 * ("Invalid URL" at run time); its CommonJS build uses `__filename`, which points at the bundle in dist/.
 */
const pgliteCommonJs = {
  name: 'pglite-commonjs',
  setup(b) {
    b.onResolve({ filter: /^@electric-sql\/pglite$/ }, () => ({ path: resolve('node_modules/@electric-sql/pglite/dist/index.cjs') }));
  },
};

/**
 * `pgvet verify` (PGlite, pg: a third of the CLI's script) is its own bundle, dist/verify.js, loaded when that
 * command runs: `pgvet lint` no longer reads and compiles it at every start. `pgvet lint --database-url` (pg) is
 * dist/lint-database.js the same way.
 */
const verifySeparate = {
  name: 'verify-separate',
  setup(b) {
    b.onResolve({ filter: /^\.\/cli\/verify-command$/ }, (args) => (args.importer.endsWith('server/src/cli.ts') ? { path: './verify.js', external: true } : undefined));
    b.onResolve({ filter: /^\.\/cli\/lint-database$/ }, (args) => (args.importer.endsWith('server/src/cli.ts') ? { path: './lint-database.js', external: true } : undefined));
  },
};

/**
 * dist/cli.js is a small script that prints a run kept whole in the cache (server/src/cli-start.ts); the engine,
 * dist/cli-engine.js, is loaded only when there is work to do.
 */
const engineSeparate = {
  name: 'engine-separate',
  setup(b) {
    b.onResolve({ filter: /^\.\/cli$/ }, (args) => (args.importer.endsWith('server/src/cli-start.ts') ? { path: './cli-engine.js', external: true } : undefined));
  },
};

/**
 * zod's namespace export (`z.locales`) keeps the error messages of its 60 languages: a third of the CLI's script,
 * compiled at every start. pgvet calls no locale: zod's messages stay English (schemas.js imports en.js itself).
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({ contents: 'export { default as en } from "./en.js";', resolveDir: dirname(args.path), loader: 'js' }));
  },
};

const common = {
  plugins: [pgliteCommonJs, zodEnglishOnly],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  define: { 'process.env.PGVET_VERSION': JSON.stringify(version) },
};

const entries = [
  {
    entryPoints: ['client/src/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    // VS Code's extension host answers a read of `navigator` with undefined and logs a deprecation error with
    // the reader's stack. Bundled code reads it to detect browsers and workers: pg at load time (is this a
    // Cloudflare Worker?), zod before compiling a fast object parser, PGlite for LANG. Here it is what the host
    // gives them anyway, without the log.
    define: { ...common.define, navigator: 'undefined', 'globalThis.navigator': 'undefined' },
  },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/src/cli-start.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [...common.plugins, engineSeparate] },
  { entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli-engine.js', plugins: [...common.plugins, verifySeparate] },
  { entryPoints: ['server/src/cli/verify-command.ts'], outfile: 'dist/verify.js' },
  { entryPoints: ['server/src/cli/lint-database.ts'], outfile: 'dist/lint-database.js' },
  { entryPoints: ['server/src/cli/lint-worker.ts'], outfile: 'dist/lint-worker.js' },
  // The shadow database's PGlite runs in this worker thread, so a long statement can be stopped (core/src/shadow/worker-db.ts).
  { entryPoints: ['core/src/shadow/pglite-worker.ts'], outfile: 'dist/shadow-worker.js' },
  // The EXPLAIN panel's webview script; its stylesheet is copied beside it below.
  { entryPoints: ['media/explain/main.ts'], outfile: 'dist/media/explain.js', platform: 'browser', format: 'iife', target: 'es2022' },
];

// A release build starts from an empty dist/, so nothing stale (source maps of a dev build) is packaged.
if (production) rmSync('dist', { recursive: true, force: true });
mkdirSync('dist', { recursive: true });
// libpg-query loads its WASM from the directory of the script that bundles it.
copyFileSync('node_modules/libpg-query/wasm/libpg-query.wasm', 'dist/libpg-query.wasm');
// PGlite (the embedded shadow database) finds its WASM, data and contrib bundles beside the bundle too.
const pglite = 'node_modules/@electric-sql/pglite/dist';
const contrib = ['pgcrypto', 'uuid-ossp', 'citext', 'pg_trgm', 'btree_gin', 'btree_gist', 'hstore', 'ltree', 'fuzzystrmatch', 'unaccent', 'intarray', 'cube', 'earthdistance', 'tablefunc'];
for (const f of ['pglite.wasm', 'pglite.data', 'initdb.wasm', ...contrib.map((c) => `${c}.tar.gz`)]) copyFileSync(`${pglite}/${f}`, `dist/${f}`);
mkdirSync('dist/media', { recursive: true });
copyFileSync('media/explain/panel.css', 'dist/media/explain.css');

if (watch) {
  for (const e of entries) await (await context({ ...common, ...e })).watch();
} else {
  await Promise.all(entries.map((e) => build({ ...common, ...e })));
  chmodSync('dist/cli.js', 0o755);
}
