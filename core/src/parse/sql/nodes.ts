import type { Node, RangeVar } from '@pgsql/types';

/**
 * Typed access to libpg-query's parse tree: a node is `{ [kind]: inner }`, and @pgsql/types gives each kind's inner
 * object. These helpers unwrap a node of a known kind, or switch on the kind of one met while walking the tree.
 */

/** Every node kind of libpg-query's AST: 'CreateStmt', 'ColumnDef', 'String' … (a node is `{ [kind]: inner }`). */
export type NodeKind = Node extends infer N ? (N extends unknown ? keyof N & string : never) : never;

/** The kinds a statement's top node can have: PostgreSQL names every statement node `…Stmt`. */
export type StatementKind = Extract<NodeKind, `${string}Stmt`>;

/** The inner object of a node of kind `K`, e.g. `NodeOf<'ColumnDef'>` is `ColumnDef`. */
export type NodeOf<K extends NodeKind> = K extends unknown ? (Node extends infer N ? (N extends { [P in K]: infer V } ? V : never) : never) : never;

/**
 * The inner object of `node` when it is of kind `kind`, e.g. `nodeOf(elt, 'ColumnDef')`. Takes any value, so
 * walkers over arbitrary children (typed `unknown`) can ask too.
 */
export function nodeOf<K extends NodeKind>(node: unknown, kind: K): NodeOf<K> | undefined {
  return node !== null && typeof node === 'object' ? (node as { [P in K]?: NodeOf<K> })[kind] : undefined;
}

/** A node as its kind beside its inner object: switching on `kind` narrows `node`. */
export type UnwrappedNode = { [K in NodeKind]: { kind: K; node: NodeOf<K> } }[NodeKind];

/** The kind and inner object of a node met anywhere (undefined for what is not a node), for code that switches on the kind. */
export function unwrap(node: unknown): UnwrappedNode | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  const [kind] = Object.keys(node);
  return kind === undefined ? undefined : ({ kind, node: (node as Record<string, unknown>)[kind] } as UnwrappedNode);
}

/** The inner objects of the nodes of kind `kind` in a node list, the others left out. */
export function nodesOf<K extends NodeKind>(list: readonly unknown[] | undefined, kind: K): NodeOf<K>[] {
  const out: NodeOf<K>[] = [];
  for (const node of list ?? []) {
    const inner = nodeOf(node, kind);
    if (inner) out.push(inner);
  }
  return out;
}

/** The text of a `String` node (names in the AST are lists of them). */
export function stringOf(node: Node | undefined): string | undefined {
  return nodeOf(node, 'String')?.sval;
}

/** The texts of the `String` nodes of a list (a qualified name, a column list), the other nodes left out. */
export function stringsOf(list: Node[] | undefined): string[] {
  return (list ?? []).map(stringOf).filter((s): s is string => s !== undefined);
}

/** The value at a property path of a value of unknown shape: for PL/pgSQL trees, which @pgsql/types does not describe. */
export function pathOf(value: unknown, ...keys: string[]): unknown {
  let v = value;
  for (const key of keys) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

/** A RangeVar naming a table: the grammar always gives `relname`, the generated types leave every field optional. */
export type TableRef = RangeVar & { relname: string };

export function isTableRef(rel: RangeVar | undefined): rel is TableRef {
  return rel?.relname !== undefined;
}

/** The fields of a tree object met while walking arbitrary children, values typed unknown for the walker to narrow. */
export function fieldsOf(node: object): [string, unknown][] {
  return Object.entries(node);
}

/** The field values of a tree object met while walking arbitrary children, typed unknown for the walker to narrow. */
export function childrenOf(node: object): unknown[] {
  return Object.values(node);
}
