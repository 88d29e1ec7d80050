import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readProjectConfigText, resolveConfig } from '../../core/src/engine/resolve-config';
import { DEFAULT_PGVET_JSON } from '../../core/src/config/schema';

const severityOf = (c: ReturnType<typeof resolveConfig>, id: string) => c.rules.find((r) => r.rule.id === id)?.severity;

test('pgvet.json: invalid JSON and invalid shapes fall back to the defaults with problems', () => {
  const notJson = readProjectConfigText('{ nope');
  assert.deepEqual(notJson.config, DEFAULT_PGVET_JSON);
  assert.match(notJson.problems[0].message, /not valid JSON/);
  const badShape = readProjectConfigText(JSON.stringify({ rules: { 'syntax-error': 'loud' }, postgresVersion: 9, extra: true }));
  assert.deepEqual(badShape.config, DEFAULT_PGVET_JSON);
  assert.deepEqual(badShape.problems.map((p) => p.path.join('.')).sort(), ['', 'postgresVersion', 'rules.syntax-error']);
});

test('rule severities: defaults, then pgvet.json, then editor settings', () => {
  const project = { ...DEFAULT_PGVET_JSON, rules: { 'require-concurrent-index-creation': 'error' as const, 'syntax-error': 'info' as const } };
  const resolved = resolveConfig(project, { 'syntax-error': 'off' });
  assert.equal(severityOf(resolved, 'require-concurrent-index-creation'), 'error');
  assert.equal(severityOf(resolved, 'syntax-error'), 'off');
  assert.equal(severityOf(resolved, 'unused-ignore'), 'hint');
  assert.deepEqual(resolved.problems, []);
});

test('unknown rules and bad rule options are problems; the rule keeps its default options', () => {
  const project = { ...DEFAULT_PGVET_JSON, rules: { 'no-such-rule': 'warning' as const, 'syntax-error': ['error' as const, { bogus: 1 }] as ['error', Record<string, unknown>] } };
  const resolved = resolveConfig(project);
  assert.deepEqual(resolved.problems.map((p) => p.path.join('.')).sort(), ['rules.no-such-rule', 'rules.syntax-error.1']);
  assert.equal(severityOf(resolved, 'syntax-error'), 'error');
});
