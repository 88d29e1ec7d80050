import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { before, describe, test } from 'node:test';
import { initParser } from '../../core/src/parse/sql/parser';
import { RULES } from '../../core/src/rules';
import type { AnyRule } from '../../core/src/rule-kit/types';
import { lintCase } from '../support/catalog-rule-tester';
import { examplesOf, parseBlocks, type DocExample } from '../support/doc-examples';
import { DS } from '../support/prisma-fix';
import { lintOnly } from '../support/rule-tester';

const root = resolve(__dirname, '../..');

/**
 * Examples that show what the rule should do but it does not today: the page's rule, the example's role and a
 * piece of its text that names it (one example exactly), and what goes wrong. Each must still fail; when the rule
 * is fixed, remove the entry.
 */
const KNOWN_FAILURES: { rule: string; role: 'bad' | 'good'; contains: string; reason: string }[] = [
];

const knownFailure = (rule: string, ex: DocExample) =>
  KNOWN_FAILURES.find((k) => k.rule === rule && k.role === ex.block.role && ex.block.text.includes(k.contains))?.reason;

/** Where an example without `path=` sits: a plain folder of migrations, its history before it. */
const DEFAULT_DIR = 'migrations';

function historyPath(ex: DocExample, i: number): string {
  return ex.history[i].path ?? `${DEFAULT_DIR}/0000_history_${i + 1}.sql`;
}

/**
 * The findings of the rule a bad example shows (those in its own file), or that a good one leaves (in the whole
 * history: a good example that fixes what an earlier migration did must clear the finding placed there).
 */
function findingsOf(rule: AnyRule, ex: DocExample): string[] {
  const { block } = ex;
  const path = block.path ?? `${DEFAULT_DIR}/0001_example.sql`;
  if (block.lang === 'prisma') {
    const files = Object.fromEntries(ex.history.map((h, i) => [historyPath(ex, i), h.text]));
    // Pages leave the datasource out for brevity; pgvet checks a schema only when it is PostgreSQL's.
    const prisma = /^\s*datasource\s/m.test(block.text) ? block.text : `${DS}${block.text}`;
    return lintCase(rule.id, { prisma, files, options: block.options }).map((f) => f.message);
  }
  if (rule.checkCatalog) {
    const files = Object.fromEntries(ex.history.map((h, i) => [historyPath(ex, i), h.text]));
    files[path] = block.text;
    return lintCase(rule.id, { files, options: block.options }).filter((f) => block.role === 'good' || f.file === path).map((f) => `${f.file}: ${f.message}`);
  }
  const migration = ex.applied
    ? ({ kind: 'applied', by: 'git', ref: 'main', ...(ex.applied.text === block.text ? {} : { modified: { baseText: ex.applied.text } }) } as const)
    : undefined;
  return lintOnly(rule.id, { sql: block.text, path: `/project/${path}`, history: ex.history.map((h) => h.text), options: block.options, migration }).map((f) => f.message);
}

function check(rule: AnyRule, ex: DocExample): void {
  const found = findingsOf(rule, ex);
  if (ex.block.role === 'bad') assert.ok(found.length > 0, `a bad example: expected at least one ${rule.id} finding, got none`);
  else assert.deepEqual(found, [], `a good example: expected no ${rule.id} finding`);
}

for (const rule of RULES) {
  const page = `docs/rules/${rule.id}.md`;
  const examples = examplesOf(parseBlocks(readFileSync(resolve(root, page), 'utf8')));
  describe(`${page} examples`, () => {
    before(() => initParser());
    test('has at least one bad and one good example', () => {
      assert.ok(examples.some((e) => e.block.role === 'bad'), 'a ```sql bad block');
      assert.ok(examples.some((e) => e.block.role === 'good'), 'a ```sql good block');
    });
    for (const ex of examples) {
      const known = knownFailure(rule.id, ex);
      test(`${ex.label} (line ${ex.block.line})${known ? ' — known failure' : ''}`, () => {
        if (!known) return check(rule, ex);
        assert.throws(() => check(rule, ex), `known failure now passes (remove it from KNOWN_FAILURES): ${known}`);
      });
    }
  });
}

test('every known failure names exactly one example of its page', () => {
  for (const k of KNOWN_FAILURES) {
    const examples = examplesOf(parseBlocks(readFileSync(resolve(root, `docs/rules/${k.rule}.md`), 'utf8')));
    const matching = examples.filter((e) => e.block.role === k.role && e.block.text.includes(k.contains));
    assert.equal(matching.length, 1, `${k.rule} ${k.role} containing ${JSON.stringify(k.contains)}`);
  }
});
