import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { defineRule, isDeclaredWithDefineRule } from '../../core/src/rule-kit/define-rule';

const meta = { description: 'A rule made up for this test only.', category: 'safety', defaultSeverity: 'warning', fix: 'none' } as const;

test('defineRule: a rule without options gets a strict empty schema and {} as defaults', () => {
  const rule = defineRule({ id: 'made-up', meta, check: () => undefined });
  assert.deepEqual(rule.defaultOptions, {});
  assert.equal(rule.options.safeParse({ x: 1 }).success, false);
  assert.equal(rule.meta.docsUrl, 'https://github.com/pgvet/pgvet/blob/main/docs/rules/made-up.md');
  assert.ok(isDeclaredWithDefineRule(rule));
  assert.ok(!isDeclaredWithDefineRule({ ...rule }), 'a copy made by hand is not a declared rule');
});

test('defineRule: the defaults come from the schema, and an option without one fails at declaration', () => {
  const rule = defineRule<{ limit: number }>({ id: 'made-up', meta, options: z.object({ limit: z.number().default(3) }).strict() });
  assert.deepEqual(rule.defaultOptions, { limit: 3 });
  assert.throws(() => defineRule<{ limit: number }>({ id: 'made-up', meta, options: z.object({ limit: z.number() }).strict() }));
});
