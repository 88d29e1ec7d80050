/** The detail of the selected node: derived metrics, then every raw field with what it means. */
import type { PlanView, PlanViewNode } from '../../client/src/explain/protocol';
import { nodeTitle } from '../../client/src/explain/protocol';
import { h } from './dom';
import { FIELD_EXPLANATIONS } from './explanations';
import { count, factor, misestimateArrow, ms, percent } from './format';

function valueText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join('\n');
  return JSON.stringify(v, null, 2);
}

function table(caption: string, rows: [key: string, value: string, note?: string][]): HTMLElement {
  return h('table', { class: 'fields' },
    h('caption', { text: caption }),
    h('tbody', {}, ...rows.map(([k, v, note]) => h('tr', {},
      h('th', { text: k, attrs: { scope: 'row' } }),
      h('td', { class: 'value', text: v }),
      h('td', { class: 'note', text: note ?? '' })))));
}

export function renderDetail(container: HTMLElement, plan: PlanView, node: PlanViewNode | undefined): void {
  if (!node) {
    container.replaceChildren(h('p', { class: 'muted', text: 'Click a node to see all its fields.' }));
    return;
  }
  const b = node.buffers;
  const xb = node.exclusiveBuffers;
  const derived: [string, string, string?][] = [
    ['Self time', ms(node.exclusiveMs), 'Inclusive time minus the children (InitPlans charged where they are evaluated, CTEs shared among their scans).'],
    ['Share of execution', percent(node.percentOfTotal)],
    ['Total time', ms(node.inclusiveMs), 'Per-loop time × loops, divided among parallel processes.'],
    ['Rows, all loops', count(node.actualRowsTotal)],
    ['Loops', count(node.loops)],
  ];
  if (node.misestimate) {
    derived.push(['Estimate', `${misestimateArrow(node.misestimate.direction)} ${factor(node.misestimate.factor)}`,
      node.misestimate.direction === 'over' ? 'The planner expected more rows than came.' : 'The planner expected fewer rows than came.']);
  }
  if (node.parallelDivisor > 1) derived.push(['Parallel processes', String(node.parallelDivisor), 'Launched workers + the leader; times are divided by this.']);
  derived.push(['Shared hit / read (self)', `${count(xb['Shared Hit Blocks'])} / ${count(xb['Shared Read Blocks'])}`]);
  derived.push(['Shared hit / read (with children)', `${count(b['Shared Hit Blocks'])} / ${count(b['Shared Read Blocks'])}`]);
  if (node.neverExecuted) derived.push(['Never executed', 'yes', 'The parent never needed this node’s rows.']);

  const tips = plan.tips.filter((t) => t.nodeId === node.id);
  container.replaceChildren(h('h3', { text: `#${node.id} ${nodeTitle(node)}` }));
  if (tips.length) container.append(h('ul', { class: 'detail-tips' }, ...tips.map((t) => h('li', { text: `⚑ ${t.title}` }))));
  container.append(
    table('Derived', derived),
    table('Fields', Object.entries(node.fields).map(([k, v]) => [k, valueText(v), FIELD_EXPLANATIONS[k]])),
  );
}
