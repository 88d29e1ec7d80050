/** The host's side of the message contract: what it accepts from the panel, and the plan view it sends. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolvePanelMessage } from '../../client/src/explain/panel/dispatch';
import { HostMessageSchema, PanelStateSchema } from '../../client/src/explain/protocol/messages';
import { explainJson, fixSql, planText } from '../../client/src/explain/protocol/plan-text';
import { allPlans } from '../explain/fixtures';
import { planViewOf } from './harness';

describe('resolvePanelMessage', () => {
  const plan = planViewOf('seq-scan-filter');
  const index = plan.tips.findIndex((t) => t.id === 'index-candidate');

  test('a create-index button resolves to the tip of the current plan', () => {
    const r = resolvePanelMessage({ type: 'createIndex', tipIndex: index, tipId: 'index-candidate' }, plan);
    assert.ok(r.ok && r.action.kind === 'createIndex');
    assert.deepEqual(r.action.tip, plan.tips[index]);
  });

  test('refuses malformed messages, stale tip references and fixes of the wrong kind', () => {
    const refused = [
      undefined, null, 'savePlan', { type: 'rm -rf' }, { type: 'createIndex' },
      { type: 'createIndex', tipIndex: index, tipId: 'misestimate' },
      { type: 'createIndex', tipIndex: 99, tipId: 'index-candidate' },
      { type: 'createIndex', tipIndex: -1, tipId: 'index-candidate' },
      { type: 'createIndex', tipIndex: 0.5, tipId: 'index-candidate' },
      { type: 'copy', format: 'html' },
    ];
    for (const m of refused) assert.equal(resolvePanelMessage(m, plan).ok, false, JSON.stringify(m));
    const misestimate = planViewOf('misestimate');
    const i = misestimate.tips.findIndex((t) => t.id === 'misestimate');
    assert.equal(resolvePanelMessage({ type: 'createIndex', tipIndex: i, tipId: 'misestimate' }, misestimate).ok, false, 'an ANALYZE fix is not an index');
    assert.ok(resolvePanelMessage({ type: 'openFix', tipIndex: i, tipId: 'misestimate' }, misestimate).ok);
    assert.equal(resolvePanelMessage({ type: 'savePlan' }, undefined).ok, false, 'no plan, nothing to save');
    assert.ok(resolvePanelMessage({ type: 'ready' }, undefined).ok);
  });

  test('copy hands over the JSON, the text and the query', () => {
    const copy = (format: string) => {
      const r = resolvePanelMessage({ type: 'copy', format }, plan);
      assert.ok(r.ok && r.action.kind === 'copy');
      return r.action.text;
    };
    assert.deepEqual(JSON.parse(copy('json')), allPlans().find((p) => p.name === 'seq-scan-filter')!.plan);
    assert.equal(copy('text'), planText(plan));
    assert.equal(copy('sql'), plan.sql);
  });
});

describe('plan views of every recorded plan', () => {
  for (const fixture of allPlans()) {
    test(`${fixture.name}: valid message, state and JSON round trip`, () => {
      const plan = planViewOf(fixture.name);
      // Through JSON, as postMessage and setState carry it.
      const wire = JSON.parse(JSON.stringify({ type: 'plan', plan }));
      assert.ok(HostMessageSchema.safeParse(wire).success);
      assert.ok(PanelStateSchema.safeParse({ version: 1, plan: wire.plan, ui: { tab: 'plan', collapsed: [], filter: '' } }).success);
      assert.deepEqual(explainJson(plan), fixture.plan);
      assert.equal(planText(plan).split('\n').filter((l) => /^\s*(->\s+)?\S.*\(cost=/.test(l)).length, plan.nodes.length);
    });
  }
});

test('setting fixes are quoted so they parse', () => {
  assert.equal(fixSql({ id: 'spill-to-disk', nodeId: 0, title: '', evidence: '', fix: { kind: 'setting', name: 'work_mem', value: '16MB' } }), "SET work_mem = '16MB';");
});
