import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { isDeclaredWithDefineRule } from '../../core/src/rule-kit/define-rule';
import { ruleDocsUrl } from '../../core/src/rule-kit/docs';
import { RULES } from '../../core/src/rules';

const root = resolve(__dirname, '../..');

test('the registry is sorted by id and lists every rule file', () => {
  const ids = RULES.map((r) => r.id);
  assert.deepEqual(ids, [...ids].sort());
  const files = readdirSync(resolve(root, 'core/src/rules')).filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => f.replace(/\.ts$/, ''));
  assert.deepEqual(files.sort(), [...ids].sort(), 'one file per rule, named after its id');
});

for (const rule of RULES) {
  test(`${rule.id}: file, doc page, tests with valid and invalid cases, metadata`, () => {
    assert.match(rule.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    const source = readFileSync(resolve(root, `core/src/rules/${rule.id}.ts`), 'utf8');
    assert.match(source, new RegExp(`id: '${rule.id}'`), 'the id in the file matches the file name');
    const doc = resolve(root, `docs/rules/${rule.id}.md`);
    assert.ok(existsSync(doc), `docs/rules/${rule.id}.md exists`);
    assert.match(readFileSync(doc, 'utf8'), new RegExp(`^# ${rule.id}\\b`), 'the page starts with the rule id as its title');
    const testFile = resolve(root, `test/rules/${rule.id}.test.ts`);
    assert.ok(existsSync(testFile), `test/rules/${rule.id}.test.ts exists`);
    const tests = readFileSync(testFile, 'utf8');
    assert.match(tests, new RegExp(`(ruleTests|catalogRuleTests)\\('${rule.id}'`), 'the test file uses a rule tester (which requires valid and invalid cases)');
    assert.ok(rule.meta.description.length > 20, 'has a description');
  });

  test(`${rule.id}: declared once with defineRule, which supplies its docs URL and default options`, () => {
    assert.ok(isDeclaredWithDefineRule(rule), `core/src/rules/${rule.id}.ts exports defineRule({ … })`);
    assert.equal(rule.meta.docsUrl, ruleDocsUrl(rule.id));
    assert.ok(rule.meta.docsUrl.endsWith(`/docs/rules/${rule.id}.md`), 'the URL points at the page the test above found');
    assert.deepEqual(rule.defaultOptions, rule.options.parse({}), 'the default options are the schema with nothing set');
    assert.equal(rule.options.safeParse({ notAnOption: true }).success, false, 'the options schema is strict');
  });
}
