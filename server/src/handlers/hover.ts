import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover, Location } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { resolveName, parseSqlFile, LineIndex } from '../../../core/src';
import type { Catalog, Table, Resolved, WorkspaceIndex, SqlFile } from '../../../core/src';
import { uriToPath } from './project-config';

/** The catalog to look names up in: the document's own history first, then every other one. */
function catalogsFor(index: WorkspaceIndex | undefined, path: string | undefined): Catalog[] {
  if (!index) return [];
  const own = path ? index.catalogFor(path) : undefined;
  return own ? [own, ...index.catalogs().filter((c) => c !== own)] : index.catalogs();
}

/** `parsed`: the linter's parse of this version of the document, when it has one (else parsed here). */
function resolveAt(doc: TextDocument, offset: number, index: WorkspaceIndex | undefined, parsed: SqlFile | undefined) {
  const path = uriToPath(doc.uri);
  const file = parsed ?? parseSqlFile(doc.getText());
  for (const catalog of catalogsFor(index, path)) {
    const hit = resolveName(file, offset, catalog);
    if (hit) return hit;
  }
  return undefined;
}

function originLink(origin: { file: string; start: number }, root?: string): string {
  let line = 0;
  try {
    line = new LineIndex(readFileSync(origin.file, 'utf8')).positionAt(origin.start).line;
  } catch {
    // The file went away: link to its top.
  }
  const label = root ? relative(root, origin.file) : origin.file;
  return `[${label}:${line + 1}](${pathToFileURL(origin.file).toString()}#L${line + 1})`;
}

const code = (s: string) => '`' + s.replace(/`/g, "'") + '`';

export function describeTable(t: Table, root?: string): string {
  const lines = [`**${t.schema}.${t.name}**${t.kind === 'partitioned' ? ' (partitioned)' : ''} — created in ${originLink(t.origin, root)}`, ''];
  lines.push('| column | type | null | default |', '|---|---|---|---|');
  for (const c of t.columns) lines.push(`| ${c.name}${t.primaryKey?.columns.includes(c.name) ? ' 🔑' : ''} | ${code(c.type)} | ${c.notNull ? 'not null' : ''} | ${c.default ? code(c.default) : c.identity ? `identity ${c.identity}` : ''} |`);
  if (t.primaryKey) lines.push('', `**Primary key** ${t.primaryKey.name} (${t.primaryKey.columns.join(', ')})`);
  if (t.indexes.length) {
    lines.push('', '**Indexes**');
    for (const i of t.indexes) lines.push(`- ${i.name}${i.unique ? ' unique' : ''} ${i.method !== 'btree' ? i.method + ' ' : ''}(${i.keys.map((k) => k.column ?? k.expression).join(', ')})${i.predicate ? ` where ${code(i.predicate)}` : ''}`);
  }
  if (t.foreignKeys.length) {
    lines.push('', '**Foreign keys**');
    for (const f of t.foreignKeys) lines.push(`- ${f.name} (${f.columns.join(', ')}) → ${f.references.schema}.${f.references.name} (${f.referencedColumns.join(', ')})${f.onDelete !== 'no action' ? ` on delete ${f.onDelete}` : ''}`);
  }
  lines.push('', `**Row level security** ${t.rls.enabled ? `enabled${t.rls.forced ? ', forced' : ''}` : 'off'}`);
  for (const p of t.policies) lines.push(`- policy ${p.name} (${p.permissive ? 'permissive' : 'restrictive'}, ${p.command}, to ${p.roles.join(', ')})${p.using ? ` using ${code(p.using)}` : ''}${p.withCheck ? ` with check ${code(p.withCheck)}` : ''}`);
  return lines.join('\n');
}

function describe(hit: Resolved, root?: string): string {
  if (hit.kind === 'table') return describeTable(hit.table, root);
  const c = hit.column;
  return [
    `**${hit.table.schema}.${hit.table.name}.${c.name}** ${code(c.type)}${c.notNull ? ' not null' : ''}${c.default ? ` default ${code(c.default)}` : ''}`,
    '',
    `added in ${originLink(c.origin, root)}`,
  ].join('\n');
}

export function hover(doc: TextDocument, offset: number, index: WorkspaceIndex | undefined, root?: string, parsed?: SqlFile): Hover | null {
  const hit = resolveAt(doc, offset, index, parsed);
  if (!hit) return null;
  return {
    contents: { kind: 'markdown', value: describe(hit, root) },
    range: { start: doc.positionAt(hit.range.start), end: doc.positionAt(hit.range.end) },
  };
}

export function definition(doc: TextDocument, offset: number, index: WorkspaceIndex | undefined, parsed?: SqlFile): Location | null {
  const hit = resolveAt(doc, offset, index, parsed);
  if (!hit) return null;
  let text = '';
  try {
    text = readFileSync(hit.origin.file, 'utf8');
  } catch {
    return null;
  }
  const lines = new LineIndex(text);
  return { uri: pathToFileURL(hit.origin.file).toString(), range: { start: lines.positionAt(hit.origin.start), end: lines.positionAt(hit.origin.end) } };
}
