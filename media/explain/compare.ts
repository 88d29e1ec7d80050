/**
 * The Compare tab: the shown plan ("after") next to an earlier or saved one ("before"), node by node,
 * with what changed kind, appeared or disappeared, and how time, rows and buffers moved.
 */
import type { PlanView } from '../../client/src/explain/protocol';
import { change, diffPlans, type DiffRow, type DiffStatus, type SummaryPair } from '../../client/src/explain/protocol';
import { button, h } from './dom';
import { count, ms } from './format';

const MARK: Record<DiffStatus, string> = { same: ' ', changed: '~', added: '+', removed: '−' };
const STATUS_TEXT: Record<DiffStatus, string> = {
  same: 'in both plans', changed: 'changed: another operation in this place', added: 'only in this plan (appeared)', removed: 'only in the earlier plan (disappeared)',
};
/** Changes smaller than this share are shown but not coloured: timings jitter between runs. */
const NOTABLE = 0.1;

function signed(x: number, format: (v: number) => string): string {
  return `${x > 0 ? '+' : x < 0 ? '−' : '±'}${format(Math.abs(x))}`;
}

/** "−11.9 ms (−96.7 %)", and whether that is better or worse (smaller is better for time and buffers). */
function delta(pair: SummaryPair, format: (v: number) => string): { text: string; cls: '' | 'better' | 'worse' } {
  const c = change(pair.before, pair.after);
  if (!c) return { text: '', cls: '' };
  if (c.delta === 0) return { text: '=', cls: '' };
  const pct = c.ratio !== undefined ? ` (${signed(c.ratio * 100, (v) => `${v.toFixed(1)} %`)})` : '';
  const notable = c.ratio === undefined || Math.abs(c.ratio) >= NOTABLE;
  return { text: `${signed(c.delta, format)}${pct}`, cls: notable ? (c.delta < 0 ? 'better' : 'worse') : '' };
}

function deltaCell(pair: SummaryPair, format: (v: number) => string): HTMLElement {
  const d = delta(pair, format);
  return h('div', { class: `cell num delta ${d.cls}`.trim(), text: d.text });
}

function numCell(value: number | undefined, format: (v: number) => string, title?: string): HTMLElement {
  return h('div', { class: 'cell num', text: value === undefined ? '—' : format(value), title });
}

function summaryItem(label: string, pair: SummaryPair, format: (v: number) => string): HTMLElement {
  const text = `${pair.before === undefined ? '—' : format(pair.before)} → ${pair.after === undefined ? '—' : format(pair.after)}`;
  const d = delta(pair, format);
  const { before, after } = pair;
  const factor = before && after && after < before && before / after >= 1.5 ? `, ${(before / after).toFixed(1)}× less` : '';
  return h('div', { class: 'summary-item', attrs: { 'data-summary': label } },
    h('span', { class: 'label', text: label }),
    h('span', { class: 'value', text }),
    d.text ? h('span', { class: `change ${d.cls}`.trim(), text: ` ${d.text}${factor}` }) : null);
}

function nodeCell(row: DiffRow): HTMLElement {
  const titles = row.status === 'changed' ? `${row.before!.title} → ${row.after!.title}` : (row.after ?? row.before)!.title;
  const cell = h('div', { class: 'cell name', title: `${titles}\n${STATUS_TEXT[row.status]}` },
    h('span', { class: 'mark', text: MARK[row.status], attrs: { 'aria-label': STATUS_TEXT[row.status] } }));
  if (row.status === 'changed') {
    cell.append(h('span', { class: 'was', text: row.before!.title }), h('span', { class: 'arrow', text: ' → ' }), h('span', { class: 'node-name', text: row.after!.title }));
  } else {
    cell.append(h('span', { class: 'node-name', text: (row.after ?? row.before)!.title }));
  }
  cell.style.paddingLeft = `${4 + row.depth * 14}px`;
  return cell;
}

const COLUMNS: [string, string, string][] = [
  ['Node', 'name', 'This plan’s tree; ~ changed, + appeared, − disappeared (listed where it was)'],
  ['Time before', 'num', 'Inclusive time (this node and its children) in the earlier plan'],
  ['Time after', 'num', 'Inclusive time (this node and its children) in this plan'],
  ['Δ time', 'num', 'Change of the inclusive time'],
  ['Rows before', 'num', 'Actual rows, all loops'],
  ['Rows after', 'num', 'Actual rows, all loops'],
  ['Buffers before', 'num', 'Shared blocks hit + read, with children'],
  ['Buffers after', 'num', 'Shared blocks hit + read, with children'],
  ['Δ buffers', 'num', 'Change of the shared blocks'],
];

function diffRow(row: DiffRow): HTMLElement {
  const b = row.before;
  const a = row.after;
  // Without ANALYZE there are no times or actual rows: the cost and the estimate stand in.
  const time = (s: typeof b) => (s?.totalMs !== undefined ? s.totalMs : undefined);
  const rows = (s: typeof b) => s?.rows ?? (s && s.totalMs === undefined ? s.planRows : undefined);
  return h('div', {
    class: `row diff-${row.status}`,
    attrs: { role: 'row', 'data-status': row.status, ...(b ? { 'data-before-id': String(b.id) } : {}), ...(a ? { 'data-after-id': String(a.id) } : {}) },
  },
  nodeCell(row),
  numCell(time(b), ms, b?.cost !== undefined ? `cost ${b.cost}` : undefined),
  numCell(time(a), ms, a?.cost !== undefined ? `cost ${a.cost}` : undefined),
  deltaCell({ before: time(b), after: time(a) }, ms),
  numCell(rows(b), count, b?.loops !== undefined ? `${count(b.loops)} loop(s)` : 'estimated'),
  numCell(rows(a), count, a?.loops !== undefined ? `${count(a.loops)} loop(s)` : 'estimated'),
  numCell(b?.buffers, count),
  numCell(a?.buffers, count),
  deltaCell({ before: b?.buffers, after: a?.buffers }, count),
  );
}

export function renderCompare(plan: PlanView, base: PlanView, label: string, onStop: () => void): HTMLElement {
  const diff = diffPlans(base, plan);
  const { counts } = diff;
  const structural = diff.rows.filter((r) => r.status !== 'same');
  const changes = h('ul', { class: 'compare-changes' },
    ...structural.slice(0, 12).map((r) => h('li', { class: `diff-${r.status}`, attrs: { 'data-status': r.status } },
      h('span', { class: 'mark', text: MARK[r.status] }),
      r.status === 'changed' ? `${r.before!.title} → ${r.after!.title}` : (r.after ?? r.before)!.title)));
  if (structural.length > 12) changes.append(h('li', { class: 'muted', text: `… and ${structural.length - 12} more` }));

  const head = h('header', { class: 'compare-head' },
    h('div', { class: 'compare-title' },
      h('span', { text: 'Comparing this plan with ' }), h('strong', { class: 'compare-base', text: label }),
      h('span', { class: 'grow' }),
      button('Stop comparing', onStop)),
    diff.sameQuery ? null : h('p', { class: 'banner error compare-warning', attrs: { role: 'note' }, text: 'The two plans are of different queries: nodes are matched by the tables they read.' }),
    h('div', { class: 'summary-items' },
      summaryItem('Execution', diff.summary.executionMs, ms),
      summaryItem('Planning', diff.summary.planningMs, ms),
      summaryItem('Buffers', diff.summary.buffers, count)),
    h('p', { class: 'compare-counts', text: structural.length
      ? `${counts.changed} changed, ${counts.added} appeared, ${counts.removed} disappeared, ${counts.same} in both.`
      : `Same plan shape: all ${counts.same} nodes in both.` }),
    structural.length ? changes : null,
  );
  const table = h('div', { class: 'diff-table', attrs: { role: 'table', 'aria-label': 'Plan comparison' } },
    h('div', { class: 'row header', attrs: { role: 'row' } },
      ...COLUMNS.map(([text, cls, title]) => h('div', { class: `cell ${cls}`, text, title, attrs: { role: 'columnheader' } }))),
    ...diff.rows.map(diffRow));
  return h('section', { class: 'compare' }, head, table);
}
