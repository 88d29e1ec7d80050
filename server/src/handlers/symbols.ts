import { pathToFileURL } from 'node:url';
import { SymbolKind, type DocumentSymbol, type WorkspaceSymbol } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { stmtType, parsePrismaFile, parseSqlFile, LineIndex } from '../../../core/src';
import type { WorkspaceIndex, SqlStatement } from '../../../core/src';
import type { ParsedDocument } from './linting';

/** A short name for a statement in the outline: "CREATE TABLE orders", "CREATE INDEX orders_status_idx" … */
function statementName(text: string, stmt: SqlStatement): { name: string; kind: SymbolKind } {
  const head = text.slice(stmt.start, Math.min(stmt.end, stmt.start + 200)).replace(/\s+/g, ' ');
  const m = /^(create(?: or replace)?(?: unique)?(?: materialized)? (?:table|index|view|policy|type|function|procedure|trigger|schema|extension|sequence)(?: concurrently)?(?: if not exists)?) ("(?:[^"]|"")*"|[\w.$"]+)/i.exec(head);
  const type = stmtType(stmt);
  if (m) {
    const kind = /table/i.test(m[1]) ? SymbolKind.Class : /index/i.test(m[1]) ? SymbolKind.Key : /function|procedure|trigger/i.test(m[1]) ? SymbolKind.Function : /type/i.test(m[1]) ? SymbolKind.Enum : SymbolKind.Object;
    return { name: `${m[1].toUpperCase()} ${m[2]}`, kind };
  }
  const words = head.split(' ').slice(0, 4).join(' ');
  return { name: words || type || 'statement', kind: SymbolKind.Event };
}

/** `parsed`: the linter's parse of this version of the document, when it has one (else parsed here). */
export function documentSymbols(doc: TextDocument, parsed?: ParsedDocument): DocumentSymbol[] {
  const text = doc.getText();
  const range = (start: number, end: number) => ({ start: doc.positionAt(start), end: doc.positionAt(end) });
  if (doc.languageId === 'prisma') {
    const file = parsed?.language === 'prisma' ? parsed.file : parsePrismaFile(text, doc.uri);
    return file.blocks.map((b) => ({
      name: b.name.name,
      detail: b.keyword.name,
      kind: b.kind === 'enum' ? SymbolKind.Enum : b.kind === 'model' || b.kind === 'view' || b.kind === 'type' ? SymbolKind.Class : SymbolKind.Module,
      range: range(b.start, b.end),
      selectionRange: range(b.name.start, b.name.end),
      children:
        b.kind === 'model' || b.kind === 'view' || b.kind === 'type'
          ? b.fields.map((f) => ({ name: f.name.name, detail: text.slice(f.type.start, f.type.end), kind: SymbolKind.Field, range: range(f.start, f.end), selectionRange: range(f.name.start, f.name.end) }))
          : [],
    }));
  }
  const file = parsed?.language === 'sql' ? parsed.file : parseSqlFile(text);
  return file.statements.map((s) => {
    const { name, kind } = statementName(text, s);
    return { name, kind, range: range(s.start, s.end), selectionRange: range(s.start, Math.min(s.end, s.start + name.length)) };
  });
}

/** Tables of every migration history, found by name from anywhere in the workspace. */
export function workspaceSymbols(query: string, index: WorkspaceIndex | undefined): WorkspaceSymbol[] {
  if (!index) return [];
  const q = query.toLowerCase();
  const out: WorkspaceSymbol[] = [];
  const lines = new Map<string, LineIndex>();
  for (const catalog of index.catalogs()) {
    for (const schema of catalog.schemas.values()) {
      for (const t of schema.tables.values()) {
        if (q && !t.name.toLowerCase().includes(q)) continue;
        let li = lines.get(t.origin.file);
        if (!li) {
          const text = index.fileText(t.origin.file);
          if (text === undefined) continue;
          lines.set(t.origin.file, (li = new LineIndex(text)));
        }
        out.push({
          name: t.name,
          containerName: schema.name,
          kind: SymbolKind.Class,
          location: { uri: pathToFileURL(t.origin.file).toString(), range: { start: li.positionAt(t.origin.start), end: li.positionAt(t.origin.end) } },
        });
        if (out.length >= 500) return out;
      }
    }
  }
  return out;
}
