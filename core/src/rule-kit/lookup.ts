import type { Catalog, Column, Origin, Table } from '../catalog/model';
import type { SqlFile } from '../parse/sql/parser';

/** A name under the cursor: `schema.table`, `table`, `"Quoted"` or a column, with its range. */
export interface NameAt {
  parts: string[];
  start: number;
  end: number;
}

const PART = /"(?:[^"]|"")*"|[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*/y;

/** The (possibly qualified, possibly quoted) identifier at `offset`, folded as PostgreSQL folds names. */
export function nameAt(text: string, offset: number): NameAt | undefined {
  // Walk back to the start of the dotted name that contains the offset.
  let start = offset;
  while (start > 0 && /[\w$."\u0080-\uffff]/.test(text[start - 1])) start--;
  const parts: { text: string; start: number; end: number }[] = [];
  let at = start;
  for (;;) {
    PART.lastIndex = at;
    const m = PART.exec(text);
    if (!m) break;
    parts.push({ text: m[0], start: at, end: at + m[0].length });
    at += m[0].length;
    if (text[at] !== '.') break;
    at++;
  }
  const hit = parts.findIndex((p) => offset >= p.start && offset <= p.end);
  if (hit < 0) return undefined;
  const fold = (p: string) => (p.startsWith('"') ? p.slice(1, -1).replace(/""/g, '"') : p.toLowerCase());
  const upTo = parts.slice(0, hit + 1);
  return { parts: upTo.map((p) => fold(p.text)), start: upTo[0].start, end: upTo[upTo.length - 1].end };
}

export function findTable(catalog: Catalog, parts: string[]): Table | undefined {
  if (parts.length >= 2) return catalog.schemas.get(parts[parts.length - 2])?.tables.get(parts[parts.length - 1]);
  for (const schema of catalog.searchPath.length ? catalog.searchPath : ['public']) {
    const t = catalog.schemas.get(schema)?.tables.get(parts[0]);
    if (t) return t;
  }
  for (const s of catalog.schemas.values()) {
    const t = s.tables.get(parts[0]);
    if (t) return t;
  }
  return undefined;
}

/** Tables named in the statement around `offset` (FROM, JOIN, UPDATE, ALTER TABLE …) with their aliases, for column look-ups. */
export function tablesInStatement(file: SqlFile, offset: number, catalog: Catalog): { table: Table; alias?: string }[] {
  const stmt = file.statements.find((s) => offset >= s.start && offset <= s.end);
  if (!stmt?.ast) return [];
  const out: { table: Table; alias?: string }[] = [];
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const rec = node as Record<string, unknown>;
    if (typeof rec.relname === 'string') {
      const t = findTable(catalog, [rec.schemaname as string, rec.relname].filter(Boolean) as string[]);
      const alias = (rec.alias as { aliasname?: string } | undefined)?.aliasname;
      if (t && !out.some((o) => o.table === t && o.alias === alias)) out.push({ table: t, alias });
    }
    for (const v of Object.values(rec)) visit(v);
  };
  visit(stmt.ast);
  return out;
}

export type Resolved = { kind: 'table'; table: Table; origin: Origin } | { kind: 'column'; table: Table; column: Column; origin: Origin };

/** What the name at `offset` refers to in `catalog`: a table, or a column of a table the statement uses. */
export function resolveName(file: SqlFile, offset: number, catalog: Catalog): (Resolved & { range: NameAt }) | undefined {
  const name = nameAt(file.text, offset);
  if (!name) return undefined;
  const table = findTable(catalog, name.parts);
  if (table) return { kind: 'table', table, origin: table.origin, range: name };
  const columnName = name.parts[name.parts.length - 1];
  const used = tablesInStatement(file, offset, catalog);
  const qualifier = name.parts.length >= 2 ? name.parts[name.parts.length - 2] : undefined;
  const candidates = qualifier
    ? [...used.filter((u) => u.alias === qualifier || u.table.name === qualifier).map((u) => u.table), findTable(catalog, name.parts.slice(0, -1))].filter((t): t is Table => !!t)
    : used.map((u) => u.table);
  for (const t of candidates) {
    const column = t.columns.find((c) => c.name === columnName);
    if (column) return { kind: 'column', table: t, column, origin: column.origin, range: name };
  }
  return undefined;
}
