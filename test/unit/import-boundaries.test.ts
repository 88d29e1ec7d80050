import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { boundaryViolations, coreExportOrigins, CORE_LAYERS, coreRoom, fsViolations, importCycles, importGraph, importsOf, layerViolations, nodeFsImporters, SERVER_ONLY_CORE, valueNamesImported, type ImportEdge } from '../support/import-graph';

const ROOT = resolve(__dirname, '../..');

/**
 * The core files that may read the disk with node:fs themselves, and why none of them reads a file the editor
 * may hold unsaved text of. Everything else reads through core/src/fs (disk.ts, overlay.ts).
 */
const NODE_FS_ALLOWED = new Map([
  ['core/src/engine/project-config.ts', "pgvet.json applies once saved: the server drops it when the file changes on disk (server.ts) and reads it again from there, and an unreadable file's reason is reported"],
  ['core/src/engine/git-base.ts', 'compares the bytes on disk with the git base blob, and only when the file has no unsaved text; resolves the repository folder (realpath)'],
  ['core/src/connections/tls.ts', "libpq's certificate and key files (sslrootcert, sslcert, ~/.postgresql): not project files"],
  ['core/src/shadow/worker-db.ts', "whether the bundled worker script of the embedded database exists beside pgvet's own bundle"],
  ['core/src/shadow/extensions.ts', "whether PGlite's extension bundles exist beside pgvet's own bundle"],
]);

/** The rooms of ARCHITECTURE.md and the doors between them, checked on the source as it is. */
describe('import boundaries (ARCHITECTURE.md)', () => {
  const graph = importGraph(ROOT);

  test('the graph is read: every room has files and imports', () => {
    for (const room of ['core/src/', 'server/src/', 'client/src/', 'media/']) {
      assert.ok(graph.files.some((f) => f.startsWith(room)), `no file under ${room}`);
    }
    assert.ok(graph.edges.some((e) => e.from === 'server/src/server.ts' && e.to === 'core/src/index.ts'), 'server.ts imports core through its entry');
  });

  test('core imports no editor or LSP package and nothing outside core/src; server and client import core through core/src/index.ts only; client and server do not import each other; the webview imports only the protocol module', () => {
    assert.deepEqual(boundaryViolations(graph.edges), []);
  });

  test('the client never parses SQL, builds a catalog, lints, verifies, connects to a database or runs the embedded database: it asks the server', () => {
    const origins = coreExportOrigins(readFileSync(join(ROOT, 'core/src/index.ts'), 'utf8'));
    assert.ok(SERVER_ONLY_CORE.test(origins.get('parseSqlFile') ?? ''), 'the origin map is read (parseSqlFile comes from parse/)');
    const found: string[] = [];
    for (const file of graph.files.filter((f) => f.startsWith('client/src/'))) {
      for (const name of valueNamesImported(readFileSync(join(ROOT, file), 'utf8'), /core\/src$/)) {
        const from = origins.get(name);
        if (from && SERVER_ONLY_CORE.test(from)) found.push(`${file} runs ${name} (core/src/${from})`);
      }
    }
    assert.deepEqual(found, []);
  });

  test('inside core, each room imports only the rooms below it (fs → parse → catalog → config → rule-kit → fixes → rules → engine → …)', () => {
    const rooms = new Set(graph.files.map(coreRoom).filter((r) => r !== undefined));
    assert.deepEqual([...rooms].filter((r) => !(CORE_LAYERS as readonly string[]).includes(r)), [], 'every room of core has its layer');
    assert.deepEqual(layerViolations(graph.edges), []);
  });

  test('core reads files through core/src/fs; node:fs elsewhere only in the files listed with their reason', () => {
    assert.deepEqual(fsViolations(graph.edges, NODE_FS_ALLOWED), []);
    const importers = nodeFsImporters(graph.edges);
    assert.deepEqual([...NODE_FS_ALLOWED.keys()].filter((f) => !importers.includes(f)), [], 'every listed exception still imports node:fs (else drop it from the list)');
    assert.ok(importers.includes('core/src/fs/disk.ts'), 'the disk reader is found');
  });

  test('only core/src/parse/sql/libpg.ts runs libpg-query (the package\'s own index would compile a second copy of its WASM); types may come from it', () => {
    const fromPackage = graph.edges.filter((e) => e.to === 'libpg-query');
    assert.ok(fromPackage.some((e) => e.typeOnly), 'the type imports of libpg-query are seen');
    assert.deepEqual(fromPackage.filter((e) => !e.typeOnly).map((e) => `${e.from}:${e.line}`), []);
  });

  test('no import cycles among the source files', () => {
    assert.deepEqual(importCycles(graph.files, graph.edges), []);
  });
});

/** The checks fail when a crossing is added: each rule on a one-edge graph. */
describe('import boundaries: each check catches its crossing', () => {
  const edge = (from: string, to: string): ImportEdge => ({ from, to, typeOnly: false, line: 1 });
  const cases: [string, ImportEdge, RegExp][] = [
    ['core → vscode', edge('core/src/engine/x.ts', 'vscode'), /core imports an editor or LSP package/],
    ['core → vscode-languageserver/node', edge('core/src/engine/x.ts', 'vscode-languageserver/node'), /core imports an editor or LSP package/],
    ['core → server', edge('core/src/engine/x.ts', 'server/src/handlers/linting.ts'), /core imports outside core\/src/],
    ['core → client', edge('core/src/shadow/x.ts', 'client/src/extension.ts'), /core imports outside core\/src/],
    ['server → core internals', edge('server/src/handlers/x.ts', 'core/src/engine/lint.ts'), /past core's entry/],
    ['client → core internals', edge('client/src/x.ts', 'core/src/parse/sql/parser.ts'), /past core's entry/],
    ['client → server', edge('client/src/x.ts', 'server/src/handlers/catalog-request.ts'), /the client imports the server/],
    ['server → client', edge('server/src/x.ts', 'client/src/explain/panel/html.ts'), /the server imports the client/],
    ['client → pg', edge('client/src/commands/connections.ts', 'pg'), /loads no database driver/],
    ['client → PGlite', edge('client/src/x.ts', '@electric-sql/pglite'), /loads no database driver/],
    ['client → libpg-query', edge('client/src/x.ts', 'libpg-query'), /loads no database driver/],
    ['webview → panel host', edge('media/explain/x.ts', 'client/src/explain/panel/plan-view.ts'), /the webview imports only/],
    ['webview → core', edge('media/explain/x.ts', 'core/src/index.ts'), /the webview imports only/],
  ];
  for (const [name, e, message] of cases) {
    test(name, () => {
      const found = boundaryViolations([e]);
      assert.equal(found.length, 1, JSON.stringify(found));
      assert.match(found[0], message);
    });
  }

  const layerCases: [string, ImportEdge][] = [
    ['config → rules (the registry)', edge('core/src/config/resolve.ts', 'core/src/rules/index.ts')],
    ['catalog → config', edge('core/src/catalog/queries.ts', 'core/src/config/schema.ts')],
    ['catalog → rule-kit, through a type', { ...edge('core/src/catalog/queries.ts', 'core/src/rule-kit/types.ts'), typeOnly: true }],
    ['fixes → engine', edge('core/src/fixes/edits.ts', 'core/src/engine/lint.ts')],
    ['rules → engine', edge('core/src/rules/x.ts', 'core/src/engine/workspace.ts')],
    ['parse → fixes', edge('core/src/parse/sql/x.ts', 'core/src/fixes/edits.ts')],
    ['shadow → verify', edge('core/src/shadow/shadow-db.ts', 'core/src/verify/verify.ts')],
  ];
  for (const [name, e] of layerCases) {
    test(`a layer crossing: ${name}`, () => {
      const found = layerViolations([e]);
      assert.equal(found.length, 1, JSON.stringify(found));
      assert.match(found[0], / sits below /);
    });
  }

  test('a room missing from the layers is said; going down the layers and staying in a room pass', () => {
    assert.match(layerViolations([edge('core/src/newroom/x.ts', 'core/src/parse/sql/ast.ts')]).join(), /room newroom is not in CORE_LAYERS/);
    assert.deepEqual(layerViolations([
      edge('core/src/engine/lint.ts', 'core/src/rules/index.ts'),
      edge('core/src/rules/x.ts', 'core/src/rule-kit/define-rule.ts'),
      edge('core/src/fixes/edits.ts', 'core/src/rule-kit/fix.ts'),
      edge('core/src/parse/prisma/loader.ts', 'core/src/fs/view.ts'),
      edge('core/src/index.ts', 'core/src/protocol.ts'),
      edge('core/src/engine/lint.ts', 'core/src/engine/workspace.ts'),
      edge('core/src/engine/lint.ts', 'zod'),
      edge('server/src/x.ts', 'core/src/index.ts'),
    ]), []);
  });

  test('node:fs outside core/src/fs is caught, in every spelling; fs/ and listed files pass', () => {
    const allowed = new Map([['core/src/shadow/x.ts', 'a reason']]);
    for (const spec of ['node:fs', 'fs', 'node:fs/promises']) {
      assert.equal(fsViolations([edge('core/src/parse/prisma/loader.ts', spec)], allowed).length, 1, spec);
    }
    assert.deepEqual(fsViolations([edge('core/src/fs/disk.ts', 'node:fs'), edge('core/src/shadow/x.ts', 'node:fs'), edge('server/src/x.ts', 'node:fs'), edge('core/src/engine/x.ts', 'node:path')], allowed), []);
  });

  test('the doors themselves pass', () => {
    assert.deepEqual(boundaryViolations([
      edge('server/src/x.ts', 'core/src/index.ts'),
      edge('client/src/x.ts', 'core/src/index.ts'),
      edge('media/explain/x.ts', 'client/src/explain/protocol/index.ts'),
      edge('media/explain/x.ts', 'media/explain/dom.ts'),
      edge('core/src/engine/x.ts', 'libpg-query'),
    ]), []);
  });

  test('a cycle, also of two files and through types, is found; a chain is not', () => {
    const files = ['a.ts', 'b.ts', 'c.ts', 'd.ts'];
    assert.deepEqual(importCycles(files, [edge('a.ts', 'b.ts'), edge('b.ts', 'c.ts'), edge('c.ts', 'a.ts'), edge('c.ts', 'd.ts')]), [['a.ts', 'b.ts', 'c.ts']]);
    assert.deepEqual(importCycles(files, [{ ...edge('a.ts', 'b.ts'), typeOnly: true }, edge('b.ts', 'a.ts')]), [['a.ts', 'b.ts']]);
    assert.deepEqual(importCycles(files, [edge('a.ts', 'b.ts'), edge('b.ts', 'c.ts')]), []);
  });

  test('a value import of a server-only core function from the client is caught; types and protocol constants are not', () => {
    const text = "import { parseSqlFile, CATALOG_REQUEST, type Catalog } from '../../core/src';\nimport type { SqlFile } from '../../core/src';";
    assert.deepEqual(valueNamesImported(text, /core\/src$/), ['parseSqlFile', 'CATALOG_REQUEST']);
    const origins = coreExportOrigins("export { parseSqlFile } from './parse/sql/parser';\nexport { CATALOG_REQUEST } from './protocol';");
    assert.ok(SERVER_ONLY_CORE.test(origins.get('parseSqlFile')!));
    assert.ok(!SERVER_ONLY_CORE.test(origins.get('CATALOG_REQUEST')!));
    assert.ok(SERVER_ONLY_CORE.test('explain/adapters'), 'connectPg (a pg connection) runs in the server only');
  });

  test('imports are read from every form, not from comments', () => {
    const text = [
      "import { a } from './a';",
      "import type { B } from '../b';",
      "export { c } from './c';",
      "export * from './d';",
      "import './side-effect';",
      "const e = await import('./e');",
      "const f = require('./f');",
      "// import { g } from './g';",
      '/* import { h } from "./h"; */',
      "import {\n  i,\n  j,\n} from 'vscode';",
    ].join('\n');
    const found = importsOf(ROOT, 'core/src/engine/x.ts', text).map((e) => `${e.to.replace(/ \(unresolved\)$/, '')}${e.typeOnly ? ' (type)' : ''}`);
    assert.deepEqual(found, ['core/src/engine/a', 'core/src/b (type)', 'core/src/engine/c', 'core/src/engine/d', 'core/src/engine/side-effect', 'core/src/engine/e', 'core/src/engine/f', 'vscode']);
  });
});
