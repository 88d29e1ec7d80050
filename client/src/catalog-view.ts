import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CATALOG_REQUEST } from '../../core/src';
import type { CatalogViewHistory, CatalogViewTable } from '../../core/src';

type Node =
  | { kind: 'history'; history: CatalogViewHistory }
  | { kind: 'table'; table: CatalogViewTable }
  | { kind: 'group'; label: string; items: string[]; icon: string }
  | { kind: 'leaf'; label: string; icon: string; description?: string };

/** "pgvet: Catalog": the schema as the workspace's migrations build it, per history. */
export class CatalogTreeProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private histories: CatalogViewHistory[] = [];

  constructor(private readonly client: () => LanguageClient | undefined) {}

  async refresh(): Promise<void> {
    const c = this.client();
    this.histories = c ? await c.sendRequest<CatalogViewHistory[]>(CATALOG_REQUEST).catch(() => []) : [];
    this.changed.fire();
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'history': {
        const item = new vscode.TreeItem(vscode.workspace.asRelativePath(node.history.dir), vscode.TreeItemCollapsibleState.Expanded);
        item.description = `${node.history.layout}, ${node.history.migrations} migrations, ${node.history.tables.length} tables`;
        item.iconPath = new vscode.ThemeIcon('database');
        return item;
      }
      case 'table': {
        const t = node.table;
        const item = new vscode.TreeItem(`${t.schema === 'public' ? '' : `${t.schema}.`}${t.name}`, vscode.TreeItemCollapsibleState.Collapsed);
        item.description = t.rls;
        item.iconPath = new vscode.ThemeIcon('symbol-class');
        item.command = { command: 'vscode.open', title: 'Open the creating migration', arguments: [vscode.Uri.parse(t.location.uri), { selection: new vscode.Range(t.location.line, 0, t.location.line, 0) }] };
        item.tooltip = 'Open the migration that created this table';
        return item;
      }
      case 'group': {
        const item = new vscode.TreeItem(node.label, node.items.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.description = String(node.items.length);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        return item;
      }
      case 'leaf': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.description = node.description;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        return item;
      }
    }
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.histories.map((history) => ({ kind: 'history', history }));
    if (node.kind === 'history') return node.history.tables.map((table) => ({ kind: 'table', table }));
    if (node.kind === 'table') {
      const t = node.table;
      return [
        ...t.columns.map((c): Node => ({ kind: 'leaf', label: c.name, icon: c.primaryKey ? 'key' : 'symbol-field', description: `${c.type}${c.notNull ? ' not null' : ''}` })),
        { kind: 'group', label: 'indexes', items: t.indexes, icon: 'list-ordered' },
        { kind: 'group', label: 'foreign keys', items: t.foreignKeys, icon: 'references' },
        { kind: 'group', label: 'policies', items: t.policies, icon: 'shield' },
      ];
    }
    if (node.kind === 'group') return node.items.map((label): Node => ({ kind: 'leaf', label, icon: 'dash' }));
    return [];
  }
}
