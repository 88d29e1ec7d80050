/** The summary bar: timings, buffers, JIT, triggers, and where the plan ran. */
import type { PlanView } from '../../client/src/explain/protocol';
import { h, type Child } from './dom';
import { count, ms, percent } from './format';

function item(label: string, value: string, title?: string, className = ''): HTMLElement {
  return h('div', { class: `summary-item ${className}`.trim(), title },
    h('span', { class: 'label', text: label }), h('span', { class: 'value', text: value }));
}

export function renderSummary(plan: PlanView): HTMLElement {
  const s = plan.summary;
  const items: Child[] = [];
  if (!s.analyzed) items.push(item('Plan only', 'not executed', 'EXPLAIN without ANALYZE: estimates only, no timings', 'warn'));
  items.push(item('Execution', ms(s.executionMs)));
  items.push(item('Planning', ms(s.planningMs), s.planningBuffers.hit + s.planningBuffers.read
    ? `Planning buffers: ${count(s.planningBuffers.hit)} hit, ${count(s.planningBuffers.read)} read` : undefined));
  if (s.sharedHit + s.sharedRead > 0) {
    items.push(item('Buffers', `${count(s.sharedHit)} hit / ${count(s.sharedRead)} read${s.hitRatio !== undefined ? ` (${percent(s.hitRatio * 100)} hit)` : ''}`,
      'Shared blocks of 8 kB: found in PostgreSQL’s cache / read from the OS or disk', s.hitRatio !== undefined && s.hitRatio < 0.9 ? 'warn' : ''));
  }
  if (s.jit) items.push(item('JIT', `${ms(s.jit.totalMs)}, ${count(s.jit.functions)} functions`,
    Object.entries(s.jit.timing).map(([k, v]) => `${k}: ${ms(v)}`).join('\n')));
  for (const t of s.triggers) {
    items.push(item('Trigger', `${t.name}${t.relation ? ` on ${t.relation}` : ''}: ${ms(t.timeMs)} × ${count(t.calls)}`));
  }
  if (s.outsideNodesMs !== undefined && s.outsideNodesMs >= 0.01) {
    items.push(item('Outside nodes', ms(s.outsideNodesMs), 'Executor start-up and shutdown, and handing result rows on'));
  }
  const settings = Object.entries(s.settings);
  if (settings.length) items.push(item('Settings', settings.map(([k, v]) => `${k}=${v}`).join(', '), 'Settings that differ from the defaults'));

  const source = h('div', { class: `source source-${plan.source.kind}`, title: 'Where this plan ran' },
    h('span', { class: 'label', text: 'Ran on' }), h('span', { class: 'value', text: plan.source.label }));
  return h('header', { class: 'summary' },
    source,
    h('div', { class: 'summary-items' }, ...items),
    plan.sql ? h('details', { class: 'sql' }, h('summary', { text: 'Query' }), h('pre', { text: plan.sql })) : null,
  );
}
