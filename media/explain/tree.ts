/**
 * The plan tree as a virtual list: every visible node has a row position, but only the rows in
 * the viewport (plus a margin) exist in the DOM, so 5,000 nodes cost what 60 do. The window is
 * rebuilt with one replaceChildren per animation frame; rows still in view are reused.
 */
import type { PlanView, PlanViewNode } from '../../client/src/explain/protocol';
import { nodeTarget } from '../../client/src/explain/protocol';
import { h } from './dom';
import { count, factor, misestimateArrow, misestimateBand, ms, percent, timeBand } from './format';

/** Must match `.row { height }` in panel.css. */
export const ROW_HEIGHT = 22;
const OVERSCAN = 12;
const INDENT_PX = 14;

export interface TreeState {
  collapsed: number[];
  filter: string;
  selectedId?: number;
}

export interface TreeCallbacks {
  onSelect(id: number): void;
  /** Collapsed set or filter changed (to save state). */
  onChange(): void;
}

const COLUMNS: [label: string, className: string, title: string][] = [
  ['Node', 'name', 'Operation, and the relation or index it works on'],
  ['Self', 'num', 'Exclusive time: this node alone, without its children'],
  ['% exec', 'pct', 'Exclusive time as a share of the execution time'],
  ['Total', 'num', 'Inclusive time: this node and everything below it'],
  ['Rows act / est', 'num rowcount', 'Actual vs estimated rows, per loop'],
  ['Estimate', 'mis', 'How far the estimate was off: ↑ over-estimated, ↓ under-estimated'],
  ['Loops', 'num', 'How many times the node ran'],
  ['Removed', 'num', 'Rows removed by Filter / Join Filter / Index Recheck, all loops'],
  ['Buffers hit / read', 'num', 'Shared blocks found in cache / read, this node alone'],
];

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function headerRow(): HTMLElement {
  return h('div', { class: 'row header', attrs: { role: 'row' } },
    ...COLUMNS.map(([label, cls, title]) => h('div', { class: `cell ${cls}`, text: label, title, attrs: { role: 'columnheader' } })));
}

export class PlanTree {
  readonly element: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly layer: HTMLElement;
  private readonly nodes: PlanViewNode[];
  private readonly subtreeEnd: Int32Array;
  private readonly tipCount = new Map<number, number>();
  private search?: string[];
  private visible: number[] = [];
  private contextOnly = new Set<number>();
  private rendered = new Map<number, HTMLElement>();
  private windowStart = -1;
  private windowEnd = -1;
  private frame = 0;
  collapsed: Set<number>;
  filter: string;
  selectedId?: number;

  constructor(plan: PlanView, state: TreeState, private readonly callbacks: TreeCallbacks) {
    this.nodes = plan.nodes;
    this.collapsed = new Set(state.collapsed);
    this.filter = state.filter;
    this.selectedId = state.selectedId;
    for (const t of plan.tips) this.tipCount.set(t.nodeId, (this.tipCount.get(t.nodeId) ?? 0) + 1);
    // Pre-order: a subtree is the contiguous range [id, subtreeEnd[id]).
    this.subtreeEnd = new Int32Array(this.nodes.length);
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const kids = this.nodes[i].childIds;
      this.subtreeEnd[i] = kids.length ? this.subtreeEnd[kids[kids.length - 1]] : i + 1;
    }
    this.layer = h('div', { class: 'rows', attrs: { role: 'presentation' } });
    this.spacer = h('div', { class: 'spacer' }, this.layer);
    this.element = h('div', { class: 'tree', attrs: { tabindex: '0', role: 'tree', 'aria-label': 'Plan nodes' } }, headerRow(), this.spacer);
    this.element.addEventListener('scroll', () => this.schedule());
    this.element.addEventListener('keydown', (e) => this.onKey(e));
    this.layer.addEventListener('click', (e) => this.onClick(e));
    this.computeVisible();
  }

  get visibleCount(): number {
    return this.visible.length;
  }

  /** Draws the rows now (first paint, tests); later updates go through `schedule`. */
  renderNow(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.renderWindow(true);
  }

  setFilter(text: string): void {
    this.filter = text;
    this.computeVisible();
    this.element.scrollTop = 0;
    this.renderNow();
    this.callbacks.onChange();
  }

  toggle(id: number, collapse = !this.collapsed.has(id)): void {
    if (!this.nodes[id]?.childIds.length) return;
    if (collapse) this.collapsed.add(id);
    else this.collapsed.delete(id);
    this.computeVisible();
    this.renderNow();
    this.callbacks.onChange();
  }

  expandAll(): void {
    this.collapsed.clear();
    this.computeVisible();
    this.renderNow();
    this.callbacks.onChange();
  }

  /** Collapses every subtree below the root's children, so the top of the plan stays in view. */
  collapseAll(): void {
    this.collapsed = new Set(this.nodes.filter((n) => n.depth >= 1 && n.childIds.length).map((n) => n.id));
    this.computeVisible();
    this.element.scrollTop = 0;
    this.renderNow();
    this.callbacks.onChange();
  }

  select(id: number, reveal = false): void {
    if (!this.nodes[id]) return;
    const previous = this.selectedId;
    this.selectedId = id;
    if (reveal) this.reveal(id);
    const old = previous === undefined ? undefined : this.rendered.get(previous);
    old?.classList.remove('selected');
    old?.setAttribute('aria-selected', 'false');
    const row = this.rendered.get(id);
    row?.classList.add('selected');
    row?.setAttribute('aria-selected', 'true');
    this.element.setAttribute('aria-activedescendant', `node-${id}`);
    this.callbacks.onSelect(id);
  }

  /** Expands the ancestors of `id` (and clears a filter hiding it), then scrolls it into view. */
  reveal(id: number): void {
    let changed = false;
    for (let p = this.nodes[id].parentId; p !== undefined; p = this.nodes[p].parentId) {
      if (this.collapsed.delete(p)) changed = true;
    }
    if (changed) this.computeVisible();
    let index = this.visible.indexOf(id);
    if (index < 0 && this.filter) {
      this.filter = '';
      this.computeVisible();
      index = this.visible.indexOf(id);
      changed = true;
    }
    const top = index * ROW_HEIGHT;
    const view = this.element.clientHeight - ROW_HEIGHT;
    if (top < this.element.scrollTop || top > this.element.scrollTop + view - ROW_HEIGHT) {
      this.element.scrollTop = Math.max(0, top - view / 3);
    }
    this.renderNow();
    if (changed) this.callbacks.onChange();
  }

  private searchText(): string[] {
    this.search ??= this.nodes.map((n) => {
      const parts = [n.displayName];
      for (const v of Object.values(n.fields)) {
        if (typeof v === 'string') parts.push(v);
        else if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') parts.push(x);
      }
      return parts.join('\n').toLowerCase();
    });
    return this.search;
  }

  private computeVisible(): void {
    const n = this.nodes.length;
    const visible: number[] = [];
    this.contextOnly = new Set();
    const query = this.filter.trim().toLowerCase();
    if (query) {
      const search = this.searchText();
      const shown = new Uint8Array(n); // 1: match, 2: ancestor of a match
      for (let i = n - 1; i >= 0; i--) {
        if (search[i].includes(query)) shown[i] = 1;
        const parent = this.nodes[i].parentId;
        if (shown[i] && parent !== undefined && !shown[parent]) shown[parent] = 2;
      }
      for (let i = 0; i < n; i++) {
        if (!shown[i]) continue;
        visible.push(i);
        if (shown[i] === 2) this.contextOnly.add(i);
      }
    } else {
      for (let i = 0; i < n; ) {
        visible.push(i);
        i = this.collapsed.has(i) ? this.subtreeEnd[i] : i + 1;
      }
    }
    this.visible = visible;
    this.spacer.style.height = `${visible.length * ROW_HEIGHT}px`;
    // Short plans get a short tree; long ones scroll inside 62 % of the panel.
    this.element.style.height = `min(62vh, 640px, ${(visible.length + 1) * ROW_HEIGHT + 20}px)`;
    this.element.dataset.visibleRows = String(visible.length);
    this.element.dataset.filter = this.filter;
    this.rendered.clear();
    this.windowStart = this.windowEnd = -1;
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.renderWindow(false);
    });
  }

  private renderWindow(force: boolean): void {
    const height = this.element.clientHeight || 40 * ROW_HEIGHT;
    const start = Math.max(0, Math.floor(this.element.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const end = Math.min(this.visible.length, Math.ceil((this.element.scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
    if (!force && start === this.windowStart && end === this.windowEnd) return;
    this.windowStart = start;
    this.windowEnd = end;
    const next = new Map<number, HTMLElement>();
    const rows: HTMLElement[] = [];
    for (let i = start; i < end; i++) {
      const id = this.visible[i];
      const row = this.rendered.get(id) ?? this.createRow(this.nodes[id]);
      row.style.top = `${i * ROW_HEIGHT}px`;
      next.set(id, row);
      rows.push(row);
    }
    this.rendered = next;
    this.layer.replaceChildren(...rows);
  }

  private createRow(node: PlanViewNode): HTMLElement {
    const f = node.fields;
    const hasChildren = node.childIds.length > 0;
    const filtering = this.filter.trim() !== '';
    const collapsed = !filtering && this.collapsed.has(node.id);
    const { on, using } = nodeTarget(f);
    const tips = this.tipCount.get(node.id);

    const name = h('div', { class: 'cell name' },
      h('span', { class: hasChildren && !filtering ? 'toggle' : 'toggle leaf', text: hasChildren && !filtering ? (collapsed ? '▸' : '▾') : '' }),
      h('span', { class: 'node-name', text: node.displayName }),
      using !== undefined ? h('span', { class: 'target', text: ` using ${using}` }) : null,
      on !== undefined ? h('span', { class: 'target', text: ` on ${on}` }) : null,
      collapsed ? h('span', { class: 'hidden-count', text: ` (+${this.subtreeEnd[node.id] - node.id - 1})` }) : null,
      tips ? h('span', { class: 'tip-flag', text: ` ⚑${tips > 1 ? tips : ''}`, title: `${tips} tuning tip${tips > 1 ? 's' : ''}` }) : null,
    );
    name.style.paddingLeft = `${4 + node.depth * INDENT_PX}px`;

    const pct = h('div', { class: `cell pct ${timeBand(node.percentOfTotal)}` });
    const bar = h('span', { class: 'bar' });
    bar.style.width = `${Math.min(100, node.percentOfTotal)}%`;
    pct.append(bar, h('span', { class: 'pct-text', text: percent(node.percentOfTotal) }));

    const mis = node.misestimate;
    const misCell = mis && mis.factor >= 1.05
      ? h('div', { class: `cell mis ${misestimateBand(mis.factor)}`, text: `${misestimateArrow(mis.direction)} ${factor(mis.factor)}`,
        title: `${mis.direction === 'over' ? 'Over' : 'Under'}-estimated ${factor(mis.factor)}` })
      : h('div', { class: 'cell mis' });

    const loops = node.loops;
    const removed = ['Rows Removed by Filter', 'Rows Removed by Join Filter', 'Rows Removed by Index Recheck']
      .reduce((sum, k) => sum + (num(f[k]) ?? 0), 0) * Math.max(loops, 1);
    const hasRemoved = ['Rows Removed by Filter', 'Rows Removed by Join Filter', 'Rows Removed by Index Recheck'].some((k) => f[k] !== undefined);
    const hit = node.exclusiveBuffers['Shared Hit Blocks'] ?? 0;
    const read = node.exclusiveBuffers['Shared Read Blocks'] ?? 0;
    const analyzed = f['Actual Total Time'] !== undefined || f['Actual Rows'] !== undefined;

    const rowsCell = node.neverExecuted
      ? h('div', { class: 'cell num rowcount', text: 'never executed' })
      : h('div', { class: 'cell num rowcount', text: analyzed ? `${count(num(f['Actual Rows']))} / ${count(num(f['Plan Rows']))}` : `— / ${count(num(f['Plan Rows']))}`,
        title: analyzed ? `${count(node.actualRowsTotal)} rows in all loops` : 'Not executed (plan only)' });

    const row = h('div', {
      class: `row${node.neverExecuted ? ' never' : ''}${this.contextOnly.has(node.id) ? ' context' : ''}${node.id === this.selectedId ? ' selected' : ''}`,
      attrs: {
        role: 'treeitem', id: `node-${node.id}`, 'data-id': String(node.id), 'aria-level': String(node.depth + 1),
        'aria-selected': String(node.id === this.selectedId), ...(hasChildren ? { 'aria-expanded': String(!collapsed) } : {}),
      },
    },
    name,
    h('div', { class: 'cell num', text: analyzed ? ms(node.exclusiveMs) : '' }),
    pct,
    h('div', { class: 'cell num', text: analyzed ? ms(node.inclusiveMs) : '' }),
    rowsCell,
    misCell,
    h('div', { class: 'cell num', text: analyzed ? count(loops) : '' }),
    h('div', { class: 'cell num', text: hasRemoved ? count(removed) : '' }),
    h('div', { class: 'cell num', text: hit || read ? `${count(hit)} / ${count(read)}` : '' }),
    );
    return row;
  }

  private onClick(e: MouseEvent): void {
    const target = e.target as HTMLElement;
    const row = target.closest<HTMLElement>('.row[data-id]');
    if (!row) return;
    const id = Number(row.dataset.id);
    if (target.classList.contains('toggle') && !target.classList.contains('leaf')) this.toggle(id);
    else this.select(id);
  }

  private onKey(e: KeyboardEvent): void {
    if (!this.visible.length) return;
    const index = this.selectedId === undefined ? -1 : this.visible.indexOf(this.selectedId);
    const go = (i: number) => this.select(this.visible[Math.max(0, Math.min(this.visible.length - 1, i))], true);
    const node = this.selectedId === undefined ? undefined : this.nodes[this.selectedId];
    switch (e.key) {
      case 'ArrowDown': go(index + 1); break;
      case 'ArrowUp': go(index - 1); break;
      case 'Home': go(0); break;
      case 'End': go(this.visible.length - 1); break;
      case 'PageDown': go(index + Math.floor(this.element.clientHeight / ROW_HEIGHT)); break;
      case 'PageUp': go(index - Math.floor(this.element.clientHeight / ROW_HEIGHT)); break;
      case 'ArrowRight': if (node && this.collapsed.has(node.id)) this.toggle(node.id, false); break;
      case 'ArrowLeft':
        if (node && node.childIds.length && !this.collapsed.has(node.id) && !this.filter) this.toggle(node.id, true);
        else if (node?.parentId !== undefined) this.select(node.parentId, true);
        break;
      default: return;
    }
    e.preventDefault();
  }
}
