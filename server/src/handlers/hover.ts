import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover, Location } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { resolveName, parseSqlFile, LineIndex } from '../../../core/src';
import type { Catalog, Table, Resolved, Workspace, WorkspaceIndex, SqlFile } from '../../../core/src';
import { uriToPath } from './project-config';

/** The catalog to look names up in: the document's own history first, then every other one. */
function catalogsFor(index: WorkspaceIndex | undefined, path: string | undefined): Catalog[] {
  if (!index) return [];
  const own = path ? index.catalogFor(path) : undefined;
  return own ? [own, ...index.catalogs().filter((c) => c !== own)] : index.catalogs();
}

/** `parsed`: the linter's parse of this version of the document, when it has one (else parsed here). */
function resolveAt(doc: TextDocument, offset: number, workspace: Workspace, parsed: SqlFile | undefined) {
  const path = uriToPath(doc.uri);
  const file = parsed ?? parseSqlFile(doc.getText());
  for (const catalog of catalogsFor(workspace.index, path)) {
    const hit = resolveName(file, offset, catalog);
    if (hit) return hit;
  }
  return undefined;
}

/**
 * Where an object was created, as a line of the text its catalog offsets refer to (an open migration's unsaved
 * text once linted, see Workspace.textOf).
 */
function originLine(workspace: Workspace, origin: { file: string; start: number }): number {
  const text = workspace.textOf(origin.file);
  // The file went away: its top.
  return text === undefined ? 0 : new LineIndex(text).positionAt(origin.start).line;
}

function originLink(workspace: Workspace, origin: { file: string; start: number }, root?: string): string {
  const line = originLine(workspace, origin);
  const label = root ? relative(root, origin.file) : origin.file;
  return `[${label}:${line + 1}](${pathToFileURL(origin.file).toString()}#L${line + 1})`;
}

const code = (s: string) => '`' + s.replace(/`/g, "'") + '`';

export function describeTable(workspace: Workspace, t: Table, root?: string): string {
  const lines = [`**${t.schema}.${t.name}**${t.kind === 'partitioned' ? ' (partitioned)' : ''} — created in ${originLink(workspace, t.origin, root)}`, ''];
  if (t.comment) lines.push(`_${t.comment.replace(/[_*\n]/g, ' ')}_`, '');
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
  if (t.triggers.length) {
    lines.push('', '**Triggers**');
    for (const g of t.triggers) {
      const fn = `${g.function.schema ? `${g.function.schema}.` : ''}${g.function.name}()`;
      lines.push(`- ${g.name} ${g.timing} ${g.events.join(' or ')}${g.columns ? ` of ${g.columns.join(', ')}` : ''} for each ${g.level} → ${fn}${g.enabled === 'disabled' ? ' (disabled)' : ''}`);
    }
  }
  lines.push(...grantLines(t));
  return lines.join('\n');
}

/** Who was granted what beyond the owner (nothing when the table keeps PostgreSQL's default: its owner only). */
function grantLines(t: Table): string[] {
  const out: string[] = [];
  const byGrantee = new Map<string, string[]>();
  const add = (grantee: string, what: string) => byGrantee.set(grantee, [...(byGrantee.get(grantee) ?? []), what]);
  for (const i of t.acl ?? []) if (i.grantee !== t.owner && i.grantee !== 'current_user') add(i.grantee, i.privilege);
  for (const c of t.columns) for (const i of c.acl ?? []) add(i.grantee, `${i.privilege} (${c.name})`);
  if (byGrantee.size) out.push('', '**Granted**');
  for (const [grantee, what] of byGrantee) out.push(`- ${grantee === 'public' ? 'PUBLIC' : grantee}: ${what.join(', ')}`);
  return out;
}

function describe(workspace: Workspace, hit: Resolved, root?: string): string {
  if (hit.kind === 'table') return describeTable(workspace, hit.table, root);
  const c = hit.column;
  return [
    `**${hit.table.schema}.${hit.table.name}.${c.name}** ${code(c.type)}${c.notNull ? ' not null' : ''}${c.default ? ` default ${code(c.default)}` : ''}`,
    '',
    `added in ${originLink(workspace, c.origin, root)}`,
  ].join('\n');
}

export function hover(doc: TextDocument, offset: number, workspace: Workspace, root?: string, parsed?: SqlFile): Hover | null {
  const hit = resolveAt(doc, offset, workspace, parsed);
  if (!hit) return null;
  return {
    contents: { kind: 'markdown', value: describe(workspace, hit, root) },
    range: { start: doc.positionAt(hit.range.start), end: doc.positionAt(hit.range.end) },
  };
}

export function definition(doc: TextDocument, offset: number, workspace: Workspace, parsed?: SqlFile): Location | null {
  const hit = resolveAt(doc, offset, workspace, parsed);
  if (!hit) return null;
  const text = workspace.textOf(hit.origin.file);
  if (text === undefined) return null;
  const lines = new LineIndex(text);
  return { uri: pathToFileURL(hit.origin.file).toString(), range: { start: lines.positionAt(hit.origin.start), end: lines.positionAt(hit.origin.end) } };
}
