/** Tuning tips: each names its node (a link into the tree), its evidence, and a button for its fix. */
import type { PlanView, PlanViewTip } from '../../client/src/explain/protocol';
import { fixSql, nodeTitle } from '../../client/src/explain/protocol';
import { post } from './api';
import { button, h } from './dom';

/** Beyond this, tips render on request: a 5,000-node plan can have hundreds. */
const FIRST_TIPS = 30;

function tipItem(plan: PlanView, tip: PlanViewTip, index: number, onNode: (id: number) => void): HTMLElement {
  const node = plan.nodes[tip.nodeId];
  const fix = tip.fix;
  const sql = fixSql(tip);
  let fixButton: HTMLButtonElement | null = null;
  if (fix?.kind === 'create-index') {
    fixButton = button('Create index migration…', () => post({ type: 'createIndex', tipIndex: index, tipId: tip.id }), {
      class: 'primary', title: 'Write this CREATE INDEX CONCURRENTLY into a new migration file, opened for review',
    });
  } else if (fix) {
    fixButton = button(fix.kind === 'setting' ? 'Open setting fix' : 'Open SQL fix', () => post({ type: 'openFix', tipIndex: index, tipId: tip.id }), {
      title: 'Open the fix in an editor for review',
    });
  }
  return h('li', { class: 'tip', attrs: { 'data-tip-index': String(index), 'data-tip-id': tip.id } },
    h('div', { class: 'tip-title', text: tip.title }),
    node ? button(`#${node.id} ${nodeTitle(node)}`, () => onNode(node.id), { class: 'link', title: 'Show this node in the plan' }) : null,
    h('p', { class: 'evidence', text: tip.evidence }),
    sql !== undefined ? h('pre', { class: 'fix-sql', text: sql }) : null,
    fixButton,
  );
}

export function renderTips(plan: PlanView, onNode: (id: number) => void): HTMLElement {
  const list = h('ol', { class: 'tips-list' });
  const section = h('details', { class: 'tips', attrs: { open: '' } },
    h('summary', { text: plan.tips.length ? `Tuning tips (${plan.tips.length})` : 'Tuning tips (none)' }), list);
  if (!plan.tips.length) {
    section.removeAttribute('open');
    list.append(h('li', { class: 'muted', text: plan.summary.analyzed ? 'Nothing stands out in this plan.' : 'Tips need an executed plan (EXPLAIN ANALYZE).' }));
    return section;
  }
  const showFrom = (from: number, to: number) => {
    const frag = document.createDocumentFragment();
    for (let i = from; i < to; i++) frag.append(tipItem(plan, plan.tips[i], i, onNode));
    list.append(frag);
  };
  showFrom(0, Math.min(FIRST_TIPS, plan.tips.length));
  if (plan.tips.length > FIRST_TIPS) {
    const more = button(`Show all ${plan.tips.length} tips`, () => {
      more.remove();
      showFrom(FIRST_TIPS, plan.tips.length);
    }, { class: 'link' });
    section.append(more);
  }
  return section;
}
