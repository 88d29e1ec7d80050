import { pathToFileURL } from 'node:url';
import { LineIndex } from '../../../core/src';
import type { CatalogViewHistory, CatalogViewTable, WorkspaceIndex } from '../../../core/src';

/** `pgvet/catalog`: every history of the workspace with the tables its migrations build. */
export function catalogView(index: WorkspaceIndex | undefined): CatalogViewHistory[] {
  if (!index) return [];
  return index.migrationSets().map((set) => {
    const catalog = index.catalogFor(set.migrations[0]?.path ?? '');
    const lines = new Map<string, LineIndex>();
    const lineOf = (file: string, offset: number) => {
      let li = lines.get(file);
      if (!li) lines.set(file, (li = new LineIndex(index.fileText(file) ?? '')));
      return li.positionAt(offset).line;
    };
    const tables: CatalogViewTable[] = [];
    for (const schema of catalog?.schemas.values() ?? []) {
      for (const t of schema.tables.values()) {
        tables.push({
          schema: t.schema,
          name: t.name,
          rls: t.rls.enabled ? (t.rls.forced ? 'RLS forced' : 'RLS on') : 'RLS off',
          location: { uri: pathToFileURL(t.origin.file).toString(), line: lineOf(t.origin.file, t.origin.start) },
          columns: t.columns.map((c) => ({ name: c.name, type: c.type, notNull: c.notNull, primaryKey: t.primaryKey?.columns.includes(c.name) ?? false })),
          indexes: t.indexes.map((i) => `${i.name} (${i.keys.map((k) => k.column ?? k.expression).join(', ')})${i.unique ? ' unique' : ''}`),
          foreignKeys: t.foreignKeys.map((f) => `${f.name}: (${f.columns.join(', ')}) → ${f.references.schema}.${f.references.name}`),
          policies: t.policies.map((p) => `${p.name} (${p.command}${p.permissive ? '' : ', restrictive'})`),
        });
      }
    }
    tables.sort((a, b) => `${a.schema}.${a.name}`.localeCompare(`${b.schema}.${b.name}`));
    return { dir: set.dir, layout: set.layout, migrations: set.migrations.length, tables };
  });
}
