/**
 * The EXPLAIN ANALYZE panel. Receives a plan from the extension (or restores the one it saved with
 * setState), and draws the summary, tips, the plan tree, the node detail and the raw tabs.
 * Every message and the restored state are validated before use; plan text only ever becomes DOM text.
 */
import * as z from 'zod/mini';
import { HostMessageSchema, PanelStateSchema, type PanelState, type PlanView } from '../../client/src/explain/protocol';
import { explainJsonText, planText } from '../../client/src/explain/protocol';
import { getSavedState, post, saveState } from './api';
import { renderCompare } from './compare';
import { renderDetail } from './detail';
import { button, h } from './dom';
import { renderSummary } from './summary';
import { renderTips } from './tips-list';
import { PlanTree } from './tree';

// zod compiles parsers with `new Function` when it can; the CSP (no 'unsafe-eval') forbids that, and
// the failed probe would be reported as a violation. Interpreted parsing is what runs here anyway.
z.config({ jitless: true });

type Tab = PanelState['ui']['tab'];

const app = document.getElementById('app') ?? document.body.appendChild(h('div', { class: 'app' }));
let current: PanelState | undefined;
let tree: PlanTree | undefined;
let banner: HTMLElement | undefined;

function persist(immediately = false): void {
  if (!current || !tree) return;
  current.ui.collapsed = [...tree.collapsed];
  current.ui.filter = tree.filter;
  current.ui.selectedId = tree.selectedId;
  saveState(current, immediately);
}

function showBanner(kind: 'running' | 'error', message: string): void {
  banner?.remove();
  banner = h('div', { class: `banner ${kind}`, attrs: { role: kind === 'error' ? 'alert' : 'status' } },
    kind === 'running' ? h('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }) : null,
    h('span', { text: message }));
  app.prepend(banner);
  app.querySelector('.placeholder')?.remove();
}

function render(state: PanelState): void {
  current = state;
  const { plan, ui } = state;
  banner = undefined;
  const detail = h('section', { class: 'detail', attrs: { 'aria-label': 'Node detail' } });
  tree = new PlanTree(plan, ui, {
    onSelect: (id) => {
      renderDetail(detail, plan, plan.nodes[id]);
      persist();
    },
    onChange: () => {
      if (filterInput.value !== tree!.filter) filterInput.value = tree!.filter;
      persist();
    },
  });
  const planTree = tree;

  const filterInput = h('input', { class: 'filter', attrs: { type: 'search', placeholder: 'Filter nodes (name, table, index, condition…)', 'aria-label': 'Filter nodes' } });
  filterInput.value = ui.filter;
  let filterTimer: ReturnType<typeof setTimeout> | undefined;
  filterInput.addEventListener('input', () => {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(() => planTree.setFilter(filterInput.value), plan.nodes.length > 500 ? 120 : 0);
  });

  const compare = state.compare;
  const panes: Record<Tab, HTMLElement> = {
    plan: h('section', { class: 'pane pane-plan' }),
    json: h('section', { class: 'pane pane-json' }),
    text: h('section', { class: 'pane pane-text' }),
    compare: h('section', { class: 'pane pane-compare' }),
  };
  // The Compare tab exists while a plan to compare with is chosen.
  const tabs = (Object.keys(panes) as Tab[]).filter((tab) => tab !== 'compare' || compare);
  const tabButtons = tabs.map((tab) => {
    const b = button({ plan: 'Plan', json: 'Raw JSON', text: 'Text', compare: 'Compare' }[tab], () => selectTab(tab), {
      class: 'tab', attrs: { role: 'tab', 'data-tab': tab },
    });
    return b;
  });
  // Raw tabs are filled on first view: a 5,000-node plan is megabytes of JSON.
  const filled = new Set<Tab>(['plan']);
  const selectTab = (tab: Tab) => {
    if (tab === 'compare' && !compare) tab = 'plan';
    if (!filled.has(tab) && tab === 'compare' && compare) {
      filled.add(tab);
      panes.compare.append(renderCompare(plan, compare.base, compare.label, stopComparing));
    } else if (!filled.has(tab)) {
      filled.add(tab);
      const text = tab === 'json' ? explainJsonText(plan) : (plan.rawText ?? planText(plan));
      panes[tab].append(
        h('div', { class: 'pane-toolbar' },
          button(tab === 'json' ? 'Copy JSON' : 'Copy text', () => post({ type: 'copy', format: tab === 'json' ? 'json' : 'text' })),
          tab === 'text' && plan.rawText === undefined ? h('span', { class: 'muted', text: 'Derived from the JSON plan.' }) : null),
        h('pre', { class: 'raw', text }));
    }
    for (const [name, pane] of Object.entries(panes)) pane.hidden = name !== tab;
    for (const b of tabButtons) b.setAttribute('aria-selected', String(b.dataset.tab === tab));
    ui.tab = tab;
    persist();
    if (tab === 'plan') planTree.renderNow();
  };

  const toolbar = h('div', { class: 'toolbar' },
    h('div', { class: 'tabs', attrs: { role: 'tablist' } }, ...tabButtons),
    filterInput,
    button('Expand all', () => planTree.expandAll()),
    button('Collapse all', () => planTree.collapseAll()),
    h('span', { class: 'grow' }),
    plan.source.kind === 'shadow' ? button('Load sample rows', () => post({ type: 'loadSampleRows' }), { title: 'Fill the shadow database with generated rows and explain again' }) : null,
    plan.sql ? button('Copy query', () => post({ type: 'copy', format: 'sql' })) : null,
    button('Save plan', () => post({ type: 'savePlan' }), { title: 'Save as a .pgplan.json file' }),
    button('Compare…', () => post({ type: 'compare' }), { title: 'Compare with an earlier plan of this panel or a saved .pgplan.json file' }),
  );

  panes.plan.append(renderTips(plan, (id) => planTree.select(id, true)), planTree.element, detail);
  app.replaceChildren(renderSummary(plan), toolbar, panes.plan, panes.json, panes.text, panes.compare);
  app.dataset.planId = plan.planId;
  selectTab(ui.tab);
  planTree.renderNow();
  renderDetail(detail, plan, ui.selectedId === undefined ? undefined : plan.nodes[ui.selectedId]);
}

function stopComparing(): void {
  if (!current) return;
  const { compare: _dropped, ...rest } = current;
  render({ ...rest, ui: { ...rest.ui, tab: 'plan' } });
  persist(true);
}

function showComparison(base: PlanView, label: string): void {
  if (!current) return;
  render({ ...current, compare: { base, label }, ui: { ...current.ui, tab: 'compare' } });
  persist(true);
}

function showPlan(plan: PlanView): void {
  render({ version: 1, plan, ui: { tab: 'plan', collapsed: [], filter: '' } });
  // Saved after the first paint rather than before it: serializing a large plan takes tens of ms.
  persist();
}

window.addEventListener('message', (event: MessageEvent) => {
  const parsed = HostMessageSchema.safeParse(event.data);
  if (!parsed.success) {
    console.warn('pgvet: ignored a malformed message from the extension', parsed.error.issues.slice(0, 3));
    return;
  }
  const message = parsed.data;
  if (message.type === 'plan') showPlan(message.plan);
  else if (message.type === 'compare') showComparison(message.base, message.label);
  else showBanner(message.type, message.message);
});

const restored = PanelStateSchema.safeParse(getSavedState());
if (restored.success) render(restored.data);
post({ type: 'ready', planId: restored.success ? restored.data.plan.planId : undefined });
