import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { boundaryViolations, coreExportOrigins, importCycles, importGraph, importsOf, SERVER_ONLY_CORE, valueNamesImported, type ImportEdge } from '../support/import-graph';

const ROOT = resolve(__dirname, '../..');

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

  test('the client never parses SQL, builds a catalog, lints, verifies or runs the embedded database: it asks the server', () => {
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
