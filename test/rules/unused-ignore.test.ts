import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { defaultConfig } from '../../core/src/engine/resolve-config';
import { lintSql } from '../../core/src/engine/lint';
import { initParser } from '../../core/src/parse/sql/parser';
import { applyEdits, ruleTests } from '../support/rule-tester';

// In these cases only unused-ignore runs, so every ignore comment is unused.
ruleTests('unused-ignore', {
  valid: [{ sql: 'SELECT 1;' }, { name: 'ordinary comments are not directives', sql: '-- pgvet ignores nothing here\nSELECT 1;' }],
  invalid: [
    { sql: '-- pgvet-ignore require-concurrent-index-creation\nSELECT 1;\n', errors: [{ text: 'require-concurrent-index-creation' }], output: 'SELECT 1;\n' },
    { name: 'bare ignore', sql: 'SELECT 1; -- pgvet-ignore\n', errors: [{ text: '-- pgvet-ignore', message: /suppresses nothing/ }], output: 'SELECT 1; \n' },
    { name: 'file ignore', sql: '-- pgvet-ignore-file syntax-error\nSELECT 1;\n', errors: [{ text: 'syntax-error', message: /in this file/ }], output: 'SELECT 1;\n' },
  ],
});

before(() => initParser());

test('with every rule on, only the unused part of an ignore list is reported, and its fix removes just that name', () => {
  const sql = '-- pgvet-ignore syntax-error, require-concurrent-index-creation\nCREATE INDEX i ON t (a);\n';
  const { findings } = lintSql({ text: sql, path: '/p/x.sql', config: defaultConfig() });
  assert.deepEqual(findings.map((f) => f.ruleId), ['unused-ignore']);
  assert.equal(sql.slice(findings[0].start, findings[0].end), 'syntax-error');
  assert.equal(applyEdits(sql, findings[0].fix!.edits), '-- pgvet-ignore require-concurrent-index-creation\nCREATE INDEX i ON t (a);\n');
});

test('ignore comments suppress the next statement only, and the file form suppresses everywhere', () => {
  const sql = '-- pgvet-ignore require-concurrent-index-creation\nCREATE INDEX i ON t (a);\nCREATE INDEX j ON t (b);\n';
  const one = lintSql({ text: sql, path: '/p/x.sql', config: defaultConfig() }).findings;
  assert.deepEqual(one.map((f) => [f.ruleId, sql.slice(f.start, f.start + 14)]), [['require-concurrent-index-creation', 'CREATE INDEX j']]);
  const all = lintSql({ text: '-- pgvet-ignore-file require-concurrent-index-creation\n' + sql, path: '/p/x.sql', config: defaultConfig() }).findings;
  assert.deepEqual(all.map((f) => f.ruleId), [], 'both indexes are suppressed and both comments did some work');
});
