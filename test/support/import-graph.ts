/**
 * The import graph of pgvet's own source files, read from the text (static imports, `export … from`, `import()`,
 * `require()`), and the boundaries ARCHITECTURE.md states, checked on it. Used by test/unit/import-boundaries.test.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export interface ImportEdge {
  /** Repository-relative, forward slashes. */
  from: string;
  /** A repository-relative file for a relative specifier, else the bare package specifier. */
  to: string;
  /** `import type` / `export type`: gone at run time. */
  typeOnly: boolean;
  line: number;
}

const SOURCE_ROOTS = ['core/src', 'server/src', 'client/src', 'media'];
const EXTENSIONS = ['.ts', '.mts', '.tsx', '.js', '.mjs'];

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) walk(p, out);
    else if (/\.(m?ts|tsx)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(p);
  }
}

function resolveFile(root: string, fromFile: string, spec: string): string {
  const base = resolve(dirname(join(root, fromFile)), spec);
  const candidates = [base, ...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => join(base, `index${e}`))];
  for (const c of candidates) {
    try {
      if (statSync(c).isFile()) return relative(root, c).split(sep).join('/');
    } catch {
      /* next */
    }
  }
  return `${relative(root, base).split(sep).join('/')} (unresolved)`;
}

const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'"`;]*?\s+from\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The imports of one file's text. */
export function importsOf(root: string, file: string, text: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  // Comments may quote imports (docs, examples): blank them, keeping offsets for line numbers.
  const code = text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`\\])\/\/[^\n]*/g, (c, lead: string) => lead + ' '.repeat(c.length - lead.length));
  for (const m of code.matchAll(IMPORT)) {
    const spec = m[3] ?? m[4] ?? m[5];
    const typeOnly = Boolean(m[2]);
    const line = code.slice(0, m.index).split('\n').length + (m[0].startsWith('\n') ? 1 : 0);
    edges.push({ from: file, to: spec.startsWith('.') ? resolveFile(root, file, spec) : spec, typeOnly, line });
  }
  return edges;
}

/** Every source file under the source roots and its imports. */
export function importGraph(root: string): { files: string[]; edges: ImportEdge[] } {
  const abs: string[] = [];
  for (const r of SOURCE_ROOTS) walk(join(root, r), abs);
  const files = abs.map((f) => relative(root, f).split(sep).join('/')).sort();
  const edges = files.flatMap((f) => importsOf(root, f, readFileSync(join(root, f), 'utf8')));
  return { files, edges };
}

const EDITOR_PACKAGES = /^(vscode|vscode-languageserver(-textdocument|-protocol)?|vscode-languageclient)(\/|$)/;
const CORE_ENTRY = 'core/src/index.ts';
const DATABASE_PACKAGES = /^(pg|pg-[\w-]+|libpg-query|@electric-sql\/pglite|@pgsql\/[\w-]+)(\/|$)/;
const PROTOCOL_ENTRY = 'client/src/explain/protocol/index.ts';

/** The boundary each edge must keep; one line per crossing, empty when all hold. */
export function boundaryViolations(edges: readonly ImportEdge[]): string[] {
  const out: string[] = [];
  const at = (e: ImportEdge) => `${e.from}:${e.line} imports ${e.to}`;
  for (const e of edges) {
    const inCore = e.from.startsWith('core/src/');
    const target = e.to;
    if (target.endsWith('(unresolved)')) out.push(`${at(e)}: no such file`);
    if (inCore) {
      if (EDITOR_PACKAGES.test(target)) out.push(`${at(e)}: core imports an editor or LSP package`);
      if (/^(server|client|media)\//.test(target)) out.push(`${at(e)}: core imports outside core/src`);
    }
    if (/^(server|client)\/src\//.test(e.from) && target.startsWith('core/src/') && target !== CORE_ENTRY) {
      out.push(`${at(e)}: past core's entry (import core/src, i.e. ${CORE_ENTRY})`);
    }
    if (e.from.startsWith('client/') && target.startsWith('server/')) out.push(`${at(e)}: the client imports the server (ask it with a request)`);
    if (e.from.startsWith('client/') && DATABASE_PACKAGES.test(target)) out.push(`${at(e)}: the extension host loads no database driver or parser (ask the server)`);
    if (e.from.startsWith('server/') && target.startsWith('client/')) out.push(`${at(e)}: the server imports the client`);
    if (e.from.startsWith('media/')) {
      const own = target.startsWith('media/');
      if (!own && target !== PROTOCOL_ENTRY && target !== 'zod/mini') out.push(`${at(e)}: the webview imports only ${PROTOCOL_ENTRY} (and zod/mini)`);
    }
    if (e.from.startsWith('client/src/explain/protocol/') && /^(vscode|vscode-languageclient)/.test(target)) out.push(`${at(e)}: the webview protocol imports the editor`);
  }
  return out;
}

/**
 * Core's rooms from the bottom up (ARCHITECTURE.md, "Layers"): a room imports only rooms below it (and itself).
 * `parse` is one room (sql/, prisma/, text.ts); the entry (index.ts) is above them all.
 */
export const CORE_LAYERS = ['fs', 'parse', 'catalog', 'config', 'rule-kit', 'fixes', 'rules', 'engine', 'connections', 'live', 'shadow', 'verify', 'explain', 'protocol', 'index'] as const;

/** The room of a core file (`core/src/engine/lint.ts` → `engine`, `core/src/protocol.ts` → `protocol`); undefined outside core. */
export function coreRoom(file: string): string | undefined {
  const m = /^core\/src\/([^/]+?)(?:\/|\.ts$)/.exec(file);
  return m?.[1];
}

/** Imports inside core that go up the layers; one line per crossing, empty when all hold. */
export function layerViolations(edges: readonly ImportEdge[]): string[] {
  const out: string[] = [];
  const level = (room: string | undefined) => (room === undefined ? -1 : (CORE_LAYERS as readonly string[]).indexOf(room));
  for (const e of edges) {
    const from = coreRoom(e.from);
    const to = coreRoom(e.to);
    if (from === undefined || to === undefined || from === to) continue;
    if (level(from) < 0) out.push(`${e.from}:${e.line}: room ${from} is not in CORE_LAYERS`);
    else if (level(to) < 0) out.push(`${e.from}:${e.line} imports ${e.to}: room ${to} is not in CORE_LAYERS`);
    else if (level(to) > level(from)) out.push(`${e.from}:${e.line} imports ${e.to}: ${from} sits below ${to} (${CORE_LAYERS.join(' → ')})`);
  }
  return out;
}

const NODE_FS = /^(node:)?fs(\/promises)?$/;

/**
 * Core files that import node:fs outside core/src/fs/ and are not among `allowed` (path → why): core reads the
 * files it lints through a view (fs/view.ts) so the editor's unsaved text wins.
 */
export function fsViolations(edges: readonly ImportEdge[], allowed: ReadonlyMap<string, string>): string[] {
  return edges
    .filter((e) => e.from.startsWith('core/src/') && !e.from.startsWith('core/src/fs/') && NODE_FS.test(e.to) && !allowed.has(e.from))
    .map((e) => `${e.from}:${e.line} imports ${e.to}: read files through core/src/fs (a DirectoryView), or list the file with its reason`);
}

/** The core files that import node:fs (for checking that a list of exceptions is still true). */
export function nodeFsImporters(edges: readonly ImportEdge[]): string[] {
  return [...new Set(edges.filter((e) => e.from.startsWith('core/src/') && NODE_FS.test(e.to)).map((e) => e.from))].sort();
}

/**
 * The import cycles among files (type-only imports included: a cycle of types still ties two layers together), as
 * strongly connected components of more than one file, each sorted, the list sorted.
 */
export function importCycles(files: readonly string[], edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const e of edges) if (next.has(e.to) && e.to !== e.from) next.get(e.from)!.push(e.to);
  // Tarjan's algorithm, iterative (deep import chains would overflow a recursive one).
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  for (const start of files) {
    if (index.has(start)) continue;
    const work: { node: string; i: number }[] = [{ node: start, i: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const top = work[work.length - 1];
      const succ = next.get(top.node)!;
      if (top.i < succ.length) {
        const w = succ[top.i++];
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, i: 0 });
        } else if (onStack.has(w)) low.set(top.node, Math.min(low.get(top.node)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) low.set(work[work.length - 1].node, Math.min(low.get(work[work.length - 1].node)!, low.get(top.node)!));
      if (low.get(top.node) === index.get(top.node)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== top.node);
        if (component.length > 1) components.push(component.sort());
      }
    }
  }
  return components.sort((a, b) => a[0].localeCompare(b[0]));
}

/** Which core module each name of core/src/index.ts comes from (`export { a, b } from './x'`, `export type …` too). */
export function coreExportOrigins(indexText: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of indexText.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'\.\/([^']+)'/g)) {
    for (const part of m[1].split(',')) {
      const name = part.trim().split(/\s+as\s+/).pop()?.trim();
      if (name) out.set(name, m[2]);
    }
  }
  return out;
}

/** The names a file imports by value (not `import type`, not `type X` members) from the module `spec`. */
export function valueNamesImported(text: string, spec: RegExp): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+'([^']+)'/g)) {
    if (m[1] || !spec.test(m[3])) continue;
    for (const part of m[2].split(',')) {
      const p = part.trim();
      if (p && !p.startsWith('type ')) names.push(p.split(/\s+as\s+/)[0].trim());
    }
  }
  return names;
}

/**
 * Core's rooms the VS Code client may not run code from: the extension host stays thin, and the language server
 * owns parsing, the catalog, linting, verify, the embedded database and running EXPLAIN.
 */
export const SERVER_ONLY_CORE = /^(parse|catalog|rule-kit|rules|engine|fixes|verify|shadow)\/|^explain\/(adapters|runner|safety|statement-at|function-audit|dangerous-functions)$|^connections\/(connect|tls)$/;
